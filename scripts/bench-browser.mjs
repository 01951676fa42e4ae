// The search in a real browser: headless Chromium (tests/e2e/browser.js) against the built
// site served as static hosting serves it (tests/e2e/server.js: files and byte ranges).
// Node's figures (scripts/bench-node.mjs) come from an older V8; this is what a reader's
// browser does.
// Usage: node scripts/bench-browser.mjs <built site output folder> [rounds]
//
// Prints, on the search page itself (/sok/?q=…, a fresh page and cache each time): the time
// from navigation to the first hits shown, and the bytes it downloaded (as served, before
// any compression a host would add); then, on the engine (the worker module imported into a
// page): opening the index, the first query, and the latency of the 12 queries of
// bench-node.mjs, each answered (top 20, counts, facets, snippets) after its texts are loaded.
// The engine opens the index a first search opens (of the newest audits, on a large site);
// INSYN_BENCH_INDEX=all opens the index of every audit.

import { basename, resolve } from "node:path";
import { launch } from "../tests/e2e/browser.js";
import { serve } from "../tests/e2e/server.js";
import { searchFiles } from "../tests/e2e/helpers.js";
import { QUERIES } from "./bench-queries.mjs";

const out = resolve(process.argv[2] || "");
const rounds = Number(process.argv[3] || 10);
const files = searchFiles(out);
const index = basename(process.env.INSYN_BENCH_INDEX === "all" || !files.recent ? files.index : files.recent);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let sent = 0;
const server = await serve(out, { onResponse: (path, body) => (sent += body.length) });
const browser = await launch();
try {
  // The search page, as a reader opens it: time to the first hits, and what it downloaded.
  for (const q of QUERIES.slice(0, 3)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    sent = 0;
    const start = Date.now();
    await page.goto(`${server.url}/sok/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector(".hit", { timeout: 600_000 });
    console.log(`search page, ${JSON.stringify(q)}: first hits after ${Date.now() - start} ms; ${kb(sent)} served (uncompressed)`);
    await context.close();
  }

  // The engine on its own, in a page.
  const page = await browser.newPage();
  await page.goto(`${server.url}/404.html`);
  const report = await page.evaluate(
    async ({ worker, engine, index, queries, rounds }) => {
      const { createEngine, rangeLoader } = await import(`/search/${worker}`);
      const bytes = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
      const [e, i] = await Promise.all([bytes(`/search/${engine}`), bytes(`/search/${index}`)]);
      const indexUrl = new URL(`/search/${index}`, location.href).href;
      let t = performance.now();
      const eng = await createEngine(e, i, rangeLoader(indexUrl), index);
      const open = performance.now() - t;
      t = performance.now();
      await eng.search({ q: queries[0], limit: 10 });
      const first = performance.now() - t;
      for (const q of queries) await eng.search({ q, limit: 20 }); // load every query's texts
      const times = [];
      for (let round = 0; round < rounds; round++) {
        for (const q of queries) {
          const s = performance.now();
          await eng.search({ q, limit: 20 });
          times.push(performance.now() - s);
        }
      }
      times.sort((a, b) => a - b);
      const pct = (p) => times[Math.round((times.length - 1) * p)].toFixed(1);
      return { open, first, p50: pct(0.5), p95: pct(0.95), n: times.length, agent: navigator.userAgent };
    },
    { worker: basename(files.worker), engine: basename(files.engine), index, queries: QUERIES, rounds },
  );
  console.log(`index: ${index}${files.recent && index === basename(files.recent) ? " (of the newest audits)" : ""}`);
  console.log(`browser: ${(report.agent.match(/(Headless)?Chrome\/[\d.]+/) || [report.agent])[0]}`);
  console.log(`engine in Chromium: instantiate + open index ${report.open.toFixed(0)} ms; first query ${report.first.toFixed(0)} ms (fetching its pieces from a local server); time to first results (compute) ${(report.open + report.first).toFixed(0)} ms`);
  console.log(`Chromium query latency (top 20 + count + facets + snippets, ${report.n} queries, texts loaded): p50 ${report.p50} ms, p95 ${report.p95} ms`);
} finally {
  await browser.close();
  await server.close();
}
