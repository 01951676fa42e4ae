// What a browser downloads for its first search, and the engine's query latency in Node.
// Usage: node scripts/bench-node.mjs <built site output folder>

import { readdirSync, readFileSync, copyFileSync, mkdtempSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";

const out = process.argv[2];
const dir = join(out, "search");
const names = readdirSync(dir);
const file = (prefix) => join(dir, names.find((n) => n.startsWith(prefix)));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = (bytes) => {
  const gz = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: bytes.length, gz, br, text: `${kb(bytes.length)} raw, ${kb(gz)} gzip, ${kb(br)} brotli` };
};

const engineBytes = readFileSync(file("engine."));
const indexBytes = readFileSync(file("index."));
const workerBytes = readFileSync(file("worker."));
const e = sizes(engineBytes);
const i = sizes(indexBytes);
const w = sizes(workerBytes);
console.log(`wasm engine: ${e.text}`);
console.log(`index bundle: ${i.text}`);
console.log(`worker script: ${w.text}`);
console.log(`first search downloads (engine + index + worker): ${kb(e.gz + i.gz + w.gz)} gzip, ${kb(e.br + i.br + w.br)} brotli`);

const module = join(mkdtempSync(join(tmpdir(), "insyn-bench-")), "worker.mjs");
copyFileSync(file("worker."), module);
const { createEngine } = await import(module);
let t = performance.now();
const engine = await createEngine(engineBytes, indexBytes);
console.log(`Node: instantiate + open index ${(performance.now() - t).toFixed(1)} ms`);

const QUERIES = JSON.parse(process.env.INSYN_BENCH_QUERIES || "null") || [
  "informationssäkerhet", "säkerhet", "kompetens", "beställarkompetens", "IT-styrning", "\"styrning av IT\"",
  "rekommendationerna", "systemförvaltning -pm3", "pm3 OR ITIL", "digitali*", "upphandlig", "budget kommunstyrelsen",
];
const times = [];
t = performance.now();
engine.search({ q: QUERIES[0], limit: 20 });
console.log(`Node: time to first results (first query) ${(performance.now() - t).toFixed(2)} ms`);
for (let round = 0; round < 30; round++) {
  for (const q of QUERIES) {
    const s = performance.now();
    engine.search({ q, limit: 20 });
    if (round > 0) times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.round((times.length - 1) * p)].toFixed(3);
console.log(`Node query latency (top 20 + count + facets + snippets, ${times.length} queries): p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);
