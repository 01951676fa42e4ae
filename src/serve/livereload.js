// Injected by `insyn serve` only: reloads the page after each rebuild and shows build errors
// over the page (the last good site stays underneath).
(() => {
  const events = new EventSource("/__insyn/events");
  let overlay = null;
  const hide = () => {
    overlay?.remove();
    overlay = null;
  };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("ok", hide);
  events.addEventListener("error", (event) => {
    if (!event.data) return; // the connection dropped; EventSource reconnects by itself
    hide();
    overlay = document.createElement("div");
    overlay.id = "insyn-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Insyn build error");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;" +
      "font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap";
    const title = document.createElement("h2");
    title.textContent = "The last edit does not build — the page shows the last good version.";
    title.style.cssText = "font:bold 18px system-ui,sans-serif;margin:0 0 1rem;color:#ffbf47";
    const body = document.createElement("pre");
    body.textContent = JSON.parse(event.data).message;
    const close = document.createElement("button");
    close.textContent = "Close";
    close.style.cssText = "font:inherit;margin-top:1rem;padding:.3rem 1rem";
    close.addEventListener("click", hide);
    overlay.append(title, body, close);
    document.body.append(overlay);
    close.focus();
  });
})();
