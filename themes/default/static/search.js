// The search page. The engine (WebAssembly) and the index are loaded lazily — when the box
// is first used, or at once when the page is opened with a query — in a Web Worker.
// Query, filters and sort live in the URL (/sok/?q=…&kommun=…), so a search can be linked,
// shared, and walked through with back and forward.

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sort = document.getElementById("sort");
const status = document.getElementById("search-status");
const facetsBox = document.getElementById("facets");
const results = document.getElementById("results");
const t = JSON.parse(document.getElementById("search-strings").textContent);

const PAGE = 10;

// A large site has two indexes: of its newest audits (`recent`), which a search uses first
// because it downloads a fraction of the other, and of every audit, which the reader can ask
// for (`alla=1` in the URL), and which a filter on older years needs.
const data = form.dataset;
const recent = data.recent
  ? { index: data.recent, audits: Number(data.recentAudits), from: data.recentFrom, years: Number(data.recentYears) }
  : null;
const number = (n) => Number(n).toLocaleString(document.documentElement.lang || "sv");
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);
const counts = { audits: number(data.audits), recent: recent && number(recent.audits), from: recent && recent.from };
// Whether the reader asked to search every audit.
let everything = false;
// Index URLs that answered a search (so a wait for another is said to be one).
const opened = new Set();

// URL parameter ↔ request filter. Values of `typ` are Swedish in the URL.
const FACETS = [
  { param: "kommun", facet: "municipality", label: t.facet_municipality },
  { param: "tema", facet: "theme", label: t.facet_theme },
  { param: "typ", facet: "kind", label: t.facet_kind },
  { param: "byra", facet: "auditor", label: t.facet_auditor },
  { param: "ar", facet: "year", label: t.facet_year },
  { param: "rapporttyp", facet: "report_type", label: t.facet_report_type },
  { param: "status", facet: "status", label: t.status },
  { param: "ursprung", facet: "origin", label: t.facet_origin },
];
const KIND_IN_URL = {
  observation: "iakttagelse",
  recommendation: "rekommendation",
  summary: "sammanfattning",
  text: "rapporttext",
};
const KIND_LABEL = {
  observation: t.observation,
  recommendation: t.recommendation,
  summary: t.summary,
  text: t.text_passage,
};
const KIND_FROM_URL = Object.fromEntries(Object.entries(KIND_IN_URL).map(([k, v]) => [v, k]));

let worker = null;
let ready = null;
let nextId = 0;
// Searches waiting for their answer: id → {resolve, reject}.
const pending = new Map();
let shown = PAGE;
let lastResponse = null;

/** Starts the worker once; resolves when the index is open. */
function load() {
  if (ready) return ready;
  status.textContent = t.search_loading;
  ready = new Promise((resolve, reject) => {
    worker = new Worker(form.dataset.worker, { type: "module" });
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === "ready") resolve();
      else if (m.type === "error" && pending.has(m.id)) settle(m.id).reject(m);
      else if (m.type === "error") reject(m);
      else if (m.type === "result" && pending.has(m.id)) settle(m.id).resolve(m.response);
    };
    // A worker that dies fails every search waiting for it, so none hangs.
    worker.onerror = () => {
      const failed = { damaged: false };
      reject(failed);
      for (const id of [...pending.keys()]) settle(id).reject(failed);
    };
    // The index the page's search needs (a link to a search of every audit skips the other).
    worker.postMessage({ type: "init", engine: data.engine, index: indexFor(readUrl()) });
  });
  ready.catch(showFailure);
  return ready;
}

/**
 * Says why search cannot answer: the index is gone from the server (the site was published
 * again: reload), damaged (rebuild the site), a search could not fetch the pieces of the
 * index it needs (try again), or the engine could not be loaded.
 */
function showFailure(error, searching = false) {
  if (error && error.gone) status.textContent = t.search_gone;
  else if (error && error.damaged) status.textContent = t.search_damaged;
  else if (searching && error && error.unreachable) status.textContent = t.search_interrupted;
  else status.textContent = t.search_failed;
}

function settle(id) {
  const waiting = pending.get(id);
  pending.delete(id);
  return waiting;
}

function ask(request, index) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ type: "search", id, request, index });
  });
}

/** The index a search of `state` needs: the newest audits' unless it asks for older ones. */
function indexFor(state) {
  const older = (state.filters.year || []).some((y) => Number(y) < recent?.years);
  return recent && !state.all && !older ? recent.index : data.index;
}

/** The state in the URL. */
function readUrl() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", sort: params.get("sortera") || "", filters: {}, all: params.get("alla") === "1" };
  for (const { param, facet } of FACETS) {
    let values = params.getAll(param).filter(Boolean);
    if (facet === "kind") values = values.map((v) => KIND_FROM_URL[v] || v);
    if (values.length) state.filters[facet] = values;
  }
  return state;
}

function writeUrl(state, push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const { param, facet } of FACETS) {
    for (const v of state.filters[facet] || []) params.append(param, facet === "kind" ? KIND_IN_URL[v] || v : v);
  }
  if (state.sort) params.set("sortera", state.sort);
  if (state.all && recent) params.set("alla", "1");
  const query = params.toString();
  const url = location.pathname + (query ? "?" + query : "");
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

/** The current state from the form and the checked filters. */
function readForm() {
  const state = { q: input.value.trim(), sort: sort.value, filters: {}, all: everything };
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (state.filters[box.name] ||= []).push(box.value);
  }
  return state;
}

function toRequest(state, limit) {
  const filters = { ...state.filters };
  if (filters.year) filters.year = filters.year.map(Number).filter(Number.isFinite);
  return { q: state.q, filters, sort: state.sort === "datum" ? "date" : "relevance", limit, offset: 0 };
}

function hasFilters(state) {
  return Object.values(state.filters).some((v) => v.length);
}

let generation = 0;

async function run(state) {
  const mine = ++generation;
  if (!state.q && !hasFilters(state)) {
    results.replaceChildren();
    facetsBox.hidden = true;
    status.textContent = t.search_start;
    return;
  }
  try {
    await load();
  } catch {
    return;
  }
  const index = indexFor(state);
  if (!opened.has(index) && index === data.index && recent) status.textContent = fill(t.search_loading_all, counts);
  let response;
  try {
    response = await ask(toRequest(state, shown), index);
    opened.add(index);
  } catch (error) {
    if (mine === generation) showFailure(error, true);
    return;
  }
  if (mine !== generation) return; // a newer search has started
  lastResponse = response;
  render(state, response, index === recent?.index);
}

function plural(n, one, many) {
  return `${number(n)} ${n === 1 ? one : many}`;
}

/** Shows `response`; `newest`: the index of the newest audits answered it. */
function render(state, response, newest) {
  status.replaceChildren(...statusLine(state, response, newest));
  renderFacets(state, response.facets);
  renderHits(response, newest);
}

/**
 * The status line: how many hits, and what the engine did to find them; when `newest`, that
 * only the newest audits were searched.
 */
function statusLine(state, response, newest) {
  const parts = [];
  if (response.partial) parts.push(`${t.search_partial} `);
  for (const c of response.corrections) {
    const read = document.createElement("em");
    read.textContent = c.read;
    parts.push(`”${c.typed}” ${t.search_corrected} `, read, ". ");
  }
  if (response.total === 0) {
    parts.push(newest ? fill(t.search_no_hits_recent, counts) : t.search_no_hits);
  } else {
    let count = plural(response.total, t.search_hits_one, t.search_hits);
    if (state.q) count += ` ${t.search_for} ”${state.q}”`;
    parts.push(count);
    if (newest) parts.push(". ", fill(t.search_scope_recent, counts));
  }
  return parts;
}

// On narrow screens the filters start folded, so the results come first.
let facetsOpen = matchMedia("(min-width: 60rem)").matches;

function renderFacets(state, facets) {
  const parts = [];
  for (const { facet, label } of FACETS) {
    const values = facets[facet] || [];
    const selected = new Set((state.filters[facet] || []).map(String));
    if (!values.length && !selected.size) continue;
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = label;
    fieldset.append(legend);
    for (const v of values) {
      const id = `f-${facet}-${v.value}`.replace(/[^A-Za-z0-9_-]/g, "_");
      const wrap = document.createElement("div");
      wrap.className = "facet-value";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = facet;
      box.value = v.value;
      box.id = id;
      box.checked = selected.has(String(v.value));
      const text = document.createElement("label");
      text.htmlFor = id;
      text.textContent = `${v.label} `;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = `(${v.count})`;
      text.append(count);
      wrap.append(box, text);
      fieldset.append(wrap);
    }
    parts.push(fieldset);
  }
  if (hasFilters(state)) {
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "clear-filters";
    clear.textContent = t.clear_filters;
    clear.addEventListener("click", () => {
      for (const box of facetsBox.querySelectorAll("input[type=checkbox]")) box.checked = false;
      commit();
    });
    parts.push(clear);
  }
  // Keep focus on the checkbox that was just used.
  const focused = document.activeElement && facetsBox.contains(document.activeElement) ? document.activeElement.id : null;
  const details = document.createElement("details");
  details.open = facetsOpen;
  details.addEventListener("toggle", () => (facetsOpen = details.open));
  const summary = document.createElement("summary");
  const heading = document.createElement("h2");
  heading.textContent = t.filter_heading;
  heading.className = "facets-title";
  summary.append(heading);
  details.append(summary, ...parts);
  facetsBox.replaceChildren(details);
  facetsBox.hidden = false;
  if (focused) document.getElementById(focused)?.focus();
}

function renderHits(response, newest) {
  const list = document.createElement("ol");
  list.className = "hits";
  for (const hit of response.hits) {
    const li = document.createElement("li");
    li.className = `hit hit-${hit.kind}`;
    const meta = document.createElement("p");
    meta.className = "hit-meta";
    const kind = document.createElement("span");
    kind.className = "hit-kind";
    kind.textContent = KIND_LABEL[hit.kind] || hit.kind;
    meta.append(kind);
    if (hit.editorial) {
      const note = document.createElement("span");
      note.className = "hit-editorial";
      // An editorial item is the editors' choice of the report's words; other editorial
      // passages are the editors' own notes.
      const item = hit.kind === "observation" || hit.kind === "recommendation";
      note.textContent = item ? t.origin_editorial : t.editorial_note;
      meta.append(" · ", note);
    }
    meta.append(` · ${hit.municipality} · ${hit.auditor} · `);
    const time = document.createElement("time");
    time.dateTime = hit.date;
    time.textContent = hit.date;
    meta.append(time);
    const title = document.createElement("h2");
    title.className = "hit-title";
    const link = document.createElement("a");
    link.href = hit.url;
    link.textContent = hit.item ? `${hit.title} (${hit.item})` : hit.section ? `${hit.title}: ${hit.section}` : hit.title;
    title.append(link);
    const snippet = document.createElement("p");
    snippet.className = "hit-snippet";
    snippet.innerHTML = hit.snippet; // escaped by the engine; only <mark> is markup
    li.append(meta, title, snippet);
    if (hit.question) {
      const q = document.createElement("p");
      q.className = "hit-question";
      q.textContent = `${t.question}: ${hit.question}`;
      li.append(q);
    }
    list.append(li);
  }
  const parts = [list];
  if (newest) parts.unshift(searchAllButton());
  if (response.total > response.hits.length) {
    const more = document.createElement("button");
    more.type = "button";
    more.className = "more-results";
    more.textContent = t.more_results;
    more.addEventListener("click", async () => {
      shown += PAGE;
      const state = readForm();
      const first = response.hits.length;
      await run(state);
      // Move focus to the first new hit, for keyboard and screen-reader users.
      results.querySelectorAll(".hit-title a")[first]?.focus();
    });
    parts.push(more);
  }
  results.replaceChildren(...parts);
}

/** The button that searches every audit instead of the newest. */
function searchAllButton() {
  const p = document.createElement("p");
  p.className = "search-scope";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "search-all";
  button.textContent = fill(t.search_all, counts);
  button.addEventListener("click", async () => {
    everything = true;
    await commit();
    // The button is gone: move focus to the first hit, or back to the box.
    (results.querySelector(".hit-title a") || input).focus();
  });
  p.append(button);
  return p;
}

function applyToForm(state) {
  input.value = state.q;
  sort.value = state.sort;
  everything = state.all;
}

let typing = null;

function commit() {
  shown = PAGE;
  const state = readForm();
  writeUrl(state, true);
  return run(state);
}

form.hidden = false;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  commit();
});
input.addEventListener("focus", () => load(), { once: true });
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    shown = PAGE;
    const state = readForm();
    writeUrl(state, false);
    run(state);
  }, 120);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && input.value) {
    event.preventDefault();
    input.value = "";
    commit();
  }
});
sort.addEventListener("change", commit);
facetsBox.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox]")) commit();
});
window.addEventListener("popstate", () => {
  const state = readUrl();
  applyToForm(state);
  shown = PAGE;
  run(state);
});

const initial = readUrl();
applyToForm(initial);
if (initial.q || hasFilters(initial)) {
  run(initial);
} else {
  status.textContent = t.search_start;
}
