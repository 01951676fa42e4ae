// Pagefind's first search on a large site, for the queries of scripts/bench-node.mjs: what
// it downloads in headless Chromium from init() to search() and the data() of the first
// ten results (what its UI shows), each query from a fresh browser context, brotli as a
// host would serve each file. Run Pagefind over the site's audit pages first, e.g.
//   tests/e2e/node_modules/.bin/pagefind --site SITE --force-language sv \
//     --glob "granskning/**/*.html" --output-subdir pagefind-audits
// Usage: node scripts/bench-pagefind-scale.mjs <built site output folder> [bundle folder]

import { resolve } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { launch } from "../tests/e2e/browser.js";
import { serve } from "../tests/e2e/server.js";
import { QUERIES } from "./bench-queries.mjs";

const out = resolve(process.argv[2] || "");
const bundle = process.argv[3] || "pagefind-audits";
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// Pagefind's files are compressed already (gzip inside), except pagefind.js and its wasm;
// each is counted as the smaller of its bytes and their brotli.
const brotli = (bytes) =>
  Math.min(bytes.length, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);

let served = [];
const server = await serve(out, { onResponse: (path, body, status) => served.push({ path, bytes: brotli(body), status }) });
const browser = await launch();
let sum = 0;
try {
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/404.html`);
    served = [];
    const total = await page.evaluate(
      async ({ bundle, q }) => {
        const pf = await import(`/${bundle}/pagefind.js`);
        await pf.options({ basePath: `/${bundle}/` });
        await pf.init();
        const search = await pf.search(q);
        await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
        return search.results.length;
      },
      { bundle, q },
    );
    const bytes = served.reduce((s, r) => s + r.bytes, 0);
    const kinds = {};
    for (const r of served) {
      const kind = /\.(pf_\w+|pagefind|js|json)$/.exec(r.path)?.[1]?.replace("pagefind", "wasm") || r.path;
      kinds[kind] = (kinds[kind] || 0) + r.bytes;
    }
    sum += bytes;
    const parts = Object.entries(kinds).map(([k, v]) => `${k} ${kb(v)}`).join(", ");
    console.log(`  ${JSON.stringify(q).padEnd(26)} ${String(total).padStart(7)} pages: ${kb(bytes)} (${parts})`);
    await context.close();
  }
  console.log(`Pagefind (${bundle}) first search + data() of ten, mean over ${QUERIES.length} queries: ${kb(sum / QUERIES.length)} brotli`);
} finally {
  await browser.close();
  await server.close();
}
