// Gives each observation and recommendation on an audit page its own ready citation, in a
// "Citera" disclosure after it. Without JavaScript the page says once how to cite an item
// (#cite-items, with an example); this fills that pattern in for every item, so no
// citation is written out in the HTML (where it was a quarter of the page's bytes).
(() => {
  const note = document.getElementById("cite-items");
  if (!note) return;
  const { pattern, observation, recommendation, editorial, label } = note.dataset;
  for (const item of document.querySelectorAll("li.item[id]")) {
    const kind = item.classList.contains("recommendation") ? recommendation : observation;
    // An item the editors picked out carries their note (item_meta.html's .item-origin).
    const origin = item.querySelector(".item-origin") ? editorial : "";
    const citation = pattern
      .replaceAll("{kind}", kind)
      .replaceAll("{id}", item.id)
      .replaceAll("{origin}", origin);
    const details = document.createElement("details");
    details.className = "cite";
    const summary = document.createElement("summary");
    summary.textContent = label;
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ` ${item.id}`;
    summary.append(hidden);
    const code = document.createElement("code");
    code.textContent = citation;
    const p = document.createElement("p");
    p.append(code);
    details.append(summary, p);
    item.append(details);
  }
})();
