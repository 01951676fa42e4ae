// Relevance and first-search download of Insyn's search beside Pagefind's, on one built site.
//
// Usage: node scripts/bench-relevance.mjs <built site> [<pagefind bundle dir>...]
//   The site must hold Pagefind bundles (scripts/bench-relevance builds them); each bundle is
//   named by its folder under the site, e.g. `pagefind` (every page) and `pagefind-audits`
//   (audit pages only).
// Environment: BENCH_DOWNLOAD_QUERIES=all measures the download of every query instead of the
//   first query of each category; BENCH_JSON=<file> also writes every figure as JSON.
//
// What it measures (every query of tests/relevance/queries.toml, ten hits deep):
// - Insyn, through the same WebAssembly engine as the browser (createEngine of the worker,
//   run in Node; the command line answers identically, see tests/e2e/engine.test.js):
//   passage level (audit + anchor, or an `also` anchor), section level (the heading whose
//   section holds the hit, against the expected passage's section) and page level (audit).
// - Pagefind, in headless Chromium (pagefind.js's search() and data() of the first ten
//   results): page level (a result's URL is the expected audit page) and section level (its
//   sub_results, headings with ids; ranked as Pagefind's UI picks them: results in order, each
//   result's sub_results by matched words, most first; the first ten of that list).
// - What the first search downloads, from page load to the first results: every response the
//   server sent, each compressed on its own with brotli quality 11 (what a server that
//   pre-compresses its files sends). Insyn: /sok/?q=<query> in a fresh browser context (page,
//   CSS, search.js, worker, engine, index, blocks, texts). Pagefind: a blank page that imports
//   pagefind.js, init(), search(query), then data() of the first ten results.

import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const e2e = join(repo, "tests/e2e");
const require = createRequire(join(e2e, "package.json"));
const { parse: parseToml } = require("smol-toml");
const { launch } = await import(join(e2e, "browser.js"));

const site = resolve(process.argv[2] || "");
const bundles = process.argv.slice(3);
if (!process.argv[2] || !bundles.length) {
  console.error("usage: node scripts/bench-relevance.mjs <built site> <pagefind bundle dir>...");
  process.exit(2);
}

const DEPTH = 10;
const CATEGORIES = ["plain", "inflection", "part", "compound", "hyphen", "typo", "phrase", "short", "body", "question", "diacritics"];
const queries = parseToml(readFileSync(join(repo, "tests/relevance/queries.toml"), "utf8")).query;

// ------------------------------------------------------------------ the audit pages' anchors

/** For each audit: anchor → the id of the heading whose section holds it ("" above the first). */
const sections = new Map();
for (const audit of new Set(queries.map((q) => q.audit))) {
  const html = readFileSync(join(site, "granskning", audit, "index.html"), "utf8");
  const map = new Map();
  let current = "";
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?\sid="([^"]+)"/g)) {
    const [, tag, id] = m;
    if (/^h[1-6]$/i.test(tag)) current = id;
    map.set(id, current);
  }
  sections.set(audit, map);
}
for (const q of queries) {
  for (const a of [q.anchor, ...(q.also || [])]) {
    if (!sections.get(q.audit).has(a)) throw new Error(`query ${JSON.stringify(q.q)}: #${a} is not on ${q.audit}'s page`);
  }
}
const sectionOf = (audit, anchor) => (anchor ? sections.get(audit)?.get(anchor) ?? null : "");
const expectedSections = (q) => new Set([q.anchor, ...(q.also || [])].map((a) => sectionOf(q.audit, a)));

/** 1-based rank of the first entry that `ok` accepts, or null. */
const rankOf = (list, ok) => {
  const i = list.slice(0, DEPTH).findIndex(ok);
  return i < 0 ? null : i + 1;
};

// ------------------------------------------------------------------ Insyn (the wasm engine in Node)

const searchDir = join(site, "search");
const manifest = JSON.parse(readFileSync(join(searchDir, "manifest.json"), "utf8"));
const siteFile = (url) => join(site, url.replace(/^\//, ""));
// Pieces are byte ranges of the packs, read as the tests read them.
const { packLoader, tempDir } = await import(join(e2e, "helpers.js"));
const workerModule = join(tempDir("insyn-bench-"), "worker.mjs");
copyFileSync(siteFile(manifest.worker), workerModule);
const { createEngine } = await import(workerModule);
const engine = await createEngine(readFileSync(siteFile(manifest.engine)), readFileSync(siteFile(manifest.index)), packLoader(searchDir));

const anchorOfHit = (h) => {
  const hash = h.url.split("#")[1];
  return hash || h.item || "";
};

const insyn = [];
for (const q of queries) {
  const hits = (await engine.search({ q: q.q, filters: {}, sort: "relevance", limit: DEPTH, offset: 0 })).hits;
  const expected = new Set([q.anchor, ...(q.also || [])]);
  const secs = expectedSections(q);
  insyn.push({
    passage: rankOf(hits, (h) => h.audit === q.audit && expected.has(anchorOfHit(h))),
    section: rankOf(hits, (h) => h.audit === q.audit && secs.has(sectionOf(h.audit, anchorOfHit(h)))),
    page: rankOf(hits, (h) => h.audit === q.audit),
    hits: hits.length,
    first: hits[0] ? `${hits[0].audit}#${anchorOfHit(hits[0])}` : "",
  });
}

// ------------------------------------------------------------------ a static server that logs

const BLANK = "/__bench__/blank.html";
const BLANK_HTML = '<!doctype html><html lang="sv"><meta charset="utf-8"><title>bench</title><p>bench</p></html>';
/** Responses sent since the last reset: [path, bytes]. */
let served = [];
const { serve } = await import(join(e2e, "server.js"));
const server = await serve(site, {
  pages: { [BLANK]: BLANK_HTML },
  onResponse: (path, body) => served.push([path, body]),
});
const origin = server.url;

const brotliCache = new Map();
const brotli = (path, bytes) => {
  const key = `${path}:${bytes.length}`;
  if (!brotliCache.has(key)) {
    brotliCache.set(key, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
  }
  return brotliCache.get(key);
};
const sum = (log, keep = () => true) => {
  let raw = 0;
  let br = 0;
  let files = 0;
  for (const [path, bytes] of log) {
    if (!keep(path)) continue;
    raw += bytes.length;
    br += brotli(path, bytes);
    files += 1;
  }
  return { raw, br, files };
};

const browser = await launch();

// ------------------------------------------------------------------ Pagefind accuracy

/** Runs every query through one Pagefind bundle in one page; per query, the first ten results. */
async function pagefindResults(bundle) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + BLANK);
  const out = await page.evaluate(
    async ({ bundle, qs, depth }) => {
      const pf = await import(`/${bundle}/pagefind.js`);
      await pf.options({ basePath: `/${bundle}/` });
      await pf.init();
      const all = [];
      for (const q of qs) {
        const r = await pf.search(q);
        const data = await Promise.all(r.results.slice(0, depth).map((x) => x.data()));
        all.push({
          total: r.results.length,
          results: data.map((d) => ({
            url: d.url,
            subs: (d.sub_results || []).map((s) => ({ url: s.url, words: (s.locations || []).length })),
          })),
        });
      }
      return all;
    },
    { bundle, qs: queries.map((q) => q.q), depth: DEPTH },
  );
  await context.close();
  return out;
}

const pathOf = (url) => {
  const u = new URL(url, origin);
  return u.pathname.replace(/index\.html$/, "");
};
const hashOf = (url) => decodeURIComponent(new URL(url, origin).hash.replace(/^#/, ""));

const pagefind = {};
for (const bundle of bundles) {
  const results = await pagefindResults(bundle);
  pagefind[bundle] = results.map((r, i) => {
    const q = queries[i];
    const page = `/granskning/${q.audit}/`;
    const secs = expectedSections(q);
    // Sections as Pagefind's UI would rank them: results in order, each one's sub_results by
    // matched words (most first, document order on ties).
    const subs = r.results.flatMap((res) =>
      res.subs
        .map((s, j) => ({ ...s, j }))
        .sort((a, b) => b.words - a.words || a.j - b.j)
        .map((s) => ({ page: pathOf(s.url), anchor: hashOf(s.url) })),
    );
    return {
      page: rankOf(r.results, (res) => pathOf(res.url) === page),
      section: rankOf(subs, (s) => s.page === page && secs.has(sectionOf(q.audit, s.anchor))),
      hits: r.total,
      first: r.results[0] ? pathOf(r.results[0].url) : "",
      firstIsAudit: r.results[0] ? /^\/granskning\/[^/]+\/$/.test(pathOf(r.results[0].url)) && pathOf(r.results[0].url) !== "/granskning/" : false,
    };
  });
}

// ------------------------------------------------------------------ first-search downloads

const sample =
  process.env.BENCH_DOWNLOAD_QUERIES === "all"
    ? queries
    : CATEGORIES.map((c) => queries.find((q) => q.category === c)).filter(Boolean);

async function insynDownload(q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  served = [];
  await page.goto(`${origin}/sok/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => /träff/.test(document.querySelector("#search-status")?.textContent || ""), null, {
    timeout: 60_000,
  });
  const log = served;
  served = [];
  await context.close();
  const search = (p) => p.startsWith("/search/") || p === "/search.js";
  return { total: sum(log), search: sum(log, search), files: log.map(([p]) => p) };
}

async function pagefindDownload(bundle, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + BLANK);
  served = [];
  await page.evaluate(
    async ({ bundle, q }) => {
      const pf = await import(`/${bundle}/pagefind.js`);
      await pf.options({ basePath: `/${bundle}/` });
      await pf.init();
      window.__results = await pf.search(q);
    },
    { bundle, q },
  );
  const searchLog = served;
  served = [];
  await page.evaluate(async (depth) => {
    await Promise.all(window.__results.results.slice(0, depth).map((x) => x.data()));
  }, DEPTH);
  const dataLog = served;
  served = [];
  await context.close();
  return { search: sum(searchLog), withData: sum([...searchLog, ...dataLog]), files: [...searchLog, ...dataLog].map(([p]) => p) };
}

const downloads = [];
for (const q of sample) {
  const row = { q: q.q, category: q.category, insyn: await insynDownload(q.q), pagefind: {} };
  for (const bundle of bundles) row.pagefind[bundle] = await pagefindDownload(bundle, q.q);
  downloads.push(row);
}

await browser.close();
await server.close();

// ------------------------------------------------------------------ tables

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const num = (x) => x.toFixed(3);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const score = (ranks) => {
  const n = ranks.length || 1;
  return {
    top1: ranks.filter((r) => r === 1).length / n,
    mrr: ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / n,
    found: ranks.filter((r) => r !== null).length / n,
  };
};
const table = (header, rows) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log();
};

const engines = [
  ["Insyn", "passage", insyn.map((r) => r.passage)],
  ["Insyn", "section", insyn.map((r) => r.section)],
  ["Insyn", "page", insyn.map((r) => r.page)],
];
for (const bundle of bundles) {
  engines.push([`Pagefind (${bundle})`, "section", pagefind[bundle].map((r) => r.section)]);
  engines.push([`Pagefind (${bundle})`, "page", pagefind[bundle].map((r) => r.page)]);
}

console.log(`\nRelevance: ${queries.length} judged queries (tests/relevance/queries.toml), ${DEPTH} hits deep\n`);
table(
  ["engine", "level", "top-1", "MRR@10", "found@10"],
  engines.map(([e, level, ranks]) => {
    const s = score(ranks);
    return [e, level, pct(s.top1), num(s.mrr), pct(s.found)];
  }),
);

const zero = (list) => list.filter((r) => r.hits === 0).length;
console.log("Queries with no hit at all:");
console.log(`  Insyn ${zero(insyn)} of ${queries.length}`);
for (const bundle of bundles) {
  const pf = pagefind[bundle];
  const notAudit = pf.filter((r) => r.hits > 0 && !r.firstIsAudit).length;
  console.log(`  Pagefind (${bundle}) ${zero(pf)} of ${queries.length}; first result not an audit page: ${notAudit}`);
}
console.log();

console.log("Top-1 per category (Insyn passage | Insyn page | Pagefind page per bundle | Pagefind section per bundle):\n");
const catRows = [];
for (const c of CATEGORIES) {
  const idx = queries.map((q, i) => (q.category === c ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) continue;
  const pick = (list, key) => idx.map((i) => list[i][key]);
  const row = [c, idx.length, pct(score(pick(insyn, "passage")).top1), num(score(pick(insyn, "passage")).mrr), pct(score(pick(insyn, "page")).top1)];
  for (const b of bundles) row.push(pct(score(pick(pagefind[b], "page")).top1));
  for (const b of bundles) row.push(pct(score(pick(pagefind[b], "section")).top1));
  catRows.push(row);
}
table(
  [
    "category",
    "n",
    "Insyn passage",
    "MRR",
    "Insyn page",
    ...bundles.map((b) => `PF ${b} page`),
    ...bundles.map((b) => `PF ${b} section`),
  ],
  catRows,
);

console.log(
  `First search downloads (brotli q11 of each response; ${sample.length} queries: ${
    process.env.BENCH_DOWNLOAD_QUERIES === "all" ? "all" : "the first of each category"
  }):`,
);
console.log("  Insyn: /sok/?q=… from navigation to the first results; 'search' = search.js and /search/*");
console.log("  Pagefind: import pagefind.js, init(), search(); '+data' adds data() of the first ten results\n");
const dlRows = downloads.map((d) => [
  d.q,
  kb(d.insyn.total.br),
  kb(d.insyn.search.br),
  ...bundles.flatMap((b) => [kb(d.pagefind[b].search.br), kb(d.pagefind[b].withData.br)]),
]);
const mean = (f) => downloads.reduce((a, d) => a + f(d), 0) / (downloads.length || 1);
dlRows.push([
  "mean",
  kb(mean((d) => d.insyn.total.br)),
  kb(mean((d) => d.insyn.search.br)),
  ...bundles.flatMap((b) => [kb(mean((d) => d.pagefind[b].search.br)), kb(mean((d) => d.pagefind[b].withData.br))]),
]);
table(["query", "Insyn page", "Insyn search", ...bundles.flatMap((b) => [`PF ${b}`, `PF ${b} +data`])], dlRows);

console.log("Side by side (ratios are Insyn ÷ Pagefind):\n");
const side = [];
const insynPage = score(insyn.map((r) => r.page));
const insynSection = score(insyn.map((r) => r.section));
const insynPassage = score(insyn.map((r) => r.passage));
const insynSearchBr = mean((d) => d.insyn.search.br);
const insynTotalBr = mean((d) => d.insyn.total.br);
const ratio = (a, b) => (b ? (a / b).toFixed(2) : "–");
for (const b of bundles) {
  const pfPage = score(pagefind[b].map((r) => r.page));
  const pfSection = score(pagefind[b].map((r) => r.section));
  const pfData = mean((d) => d.pagefind[b].withData.br);
  const pfSearch = mean((d) => d.pagefind[b].search.br);
  side.push([`page top-1 vs ${b}`, pct(insynPage.top1), pct(pfPage.top1), ratio(insynPage.top1, pfPage.top1)]);
  side.push([`page MRR@10 vs ${b}`, num(insynPage.mrr), num(pfPage.mrr), ratio(insynPage.mrr, pfPage.mrr)]);
  side.push([`section top-1 vs ${b}`, pct(insynSection.top1), pct(pfSection.top1), ratio(insynSection.top1, pfSection.top1)]);
  side.push([`section MRR@10 vs ${b}`, num(insynSection.mrr), num(pfSection.mrr), ratio(insynSection.mrr, pfSection.mrr)]);
  side.push([`passage top-1 (Pagefind: section) vs ${b}`, pct(insynPassage.top1), pct(pfSection.top1), ratio(insynPassage.top1, pfSection.top1)]);
  side.push([`first search, search files vs ${b} +data`, kb(insynSearchBr), kb(pfData), ratio(insynSearchBr, pfData)]);
  side.push([`first search, search files vs ${b} search()`, kb(insynSearchBr), kb(pfSearch), ratio(insynSearchBr, pfSearch)]);
  side.push([`first search, whole page vs ${b} +data`, kb(insynTotalBr), kb(pfData), ratio(insynTotalBr, pfData)]);
}
table(["measure", "Insyn", "Pagefind", "ratio"], side);

if (process.env.BENCH_JSON) {
  writeFileSync(
    process.env.BENCH_JSON,
    JSON.stringify(
      {
        queries: queries.map((q, i) => ({ q: q.q, category: q.category, audit: q.audit, anchor: q.anchor, insyn: insyn[i], pagefind: Object.fromEntries(bundles.map((b) => [b, pagefind[b][i]])) })),
        downloads: downloads.map((d) => ({ ...d, insyn: { ...d.insyn }, pagefind: d.pagefind })),
      },
      null,
      1,
    ),
  );
  console.log(`figures written to ${process.env.BENCH_JSON}`);
}
