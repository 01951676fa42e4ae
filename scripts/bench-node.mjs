// What a browser downloads for its first search, and the engine's query latency in Node.
// Usage: node scripts/bench-node.mjs <built site output folder>
// A large site has two indexes (the manifest's `recent`, of its newest audits, and `index`,
// of every audit): this measures the one a first search opens, the recent one when there is
// one; INSYN_BENCH_INDEX=all measures the index of every audit (what "Sök i alla" opens).

import { readdirSync, readFileSync, copyFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { indexPieces, packLoader, searchFiles, tempDir, textChunks } from "../tests/e2e/helpers.js";
import { QUERIES } from "./bench-queries.mjs";

const out = process.argv[2];
const dir = join(out, "search");
const names = readdirSync(dir);
const files = searchFiles(out);
const { manifest } = files;
const whole = process.env.INSYN_BENCH_INDEX === "all" || !files.recent;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = (bytes) => {
  const gz = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: bytes.length, gz, br, text: `${kb(bytes.length)} raw, ${kb(gz)} gzip, ${kb(br)} brotli` };
};
// A piece of a pack travels as stored (already compressed): a request with a Range header
// goes out with Accept-Encoding: identity, so the host compresses nothing.
const stored = (bytes) => ({ raw: bytes.length, gz: bytes.length, br: bytes.length });
const total = (list) => list.reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz, br: a.br + s.br }), { raw: 0, gz: 0, br: 0 });

const engineBytes = readFileSync(files.engine);
const indexBytes = readFileSync(whole ? files.index : files.recent);
const workerBytes = readFileSync(files.worker);
const chunks = textChunks(indexBytes);
const packNames = names.filter((n) => n.startsWith("pack."));
const packBytes = packNames.reduce((sum, n) => sum + readFileSync(join(dir, n)).length, 0);
const pieceBytes = { block: [0, 0], text: [0, 0] };
for (const piece of indexPieces(indexBytes)) {
  const kind = pieceBytes[piece.chunk ? "text" : "block"];
  kind[0] += 1;
  kind[1] += piece.end - piece.start;
}
const e = sizes(engineBytes);
const i = sizes(indexBytes);
const w = sizes(workerBytes);
console.log(
  whole
    ? `index: of all ${manifest.audits} audits${files.recent ? "" : " (the site has no index of its newest audits)"}`
    : `index: of the newest ${manifest.recent.audits} of ${manifest.audits} audits (from ${manifest.recent.from}), which a first search opens; INSYN_BENCH_INDEX=all measures the index of every audit`,
);
console.log(`wasm engine: ${e.text}`);
console.log(`index bundle: ${i.text}`);
console.log(`worker script: ${w.text}`);
console.log(`packs beside it: ${packNames.length} files, ${kb(packBytes)} (the site's; an index of the newest audits lists the first of them); this index lists ${pieceBytes.block[0]} index blocks (${kb(pieceBytes.block[1])}) and ${pieceBytes.text[0]} text chunks (${kb(pieceBytes.text[1])}), stored compressed, fetched by range as searches need them`);


const module = join(tempDir("insyn-bench-"), "worker.mjs");
copyFileSync(files.worker, module);
const { createEngine } = await import(module);
// Pieces the engine fetched, as stored (what a range request transfers).
const fetched = { block: [], text: [] };
const loadPiece = packLoader(dir, (piece, bytes) => fetched[chunks.has(piece.name) ? "text" : "block"].push(stored(bytes)));
let t = performance.now();
const engine = await createEngine(engineBytes, indexBytes, loadPiece);
const openMs = performance.now() - t;
t = performance.now();
await engine.search({ q: QUERIES[0], limit: 10 });
const firstMs = performance.now() - t;
const first = total([e, i, w, ...fetched.block, ...fetched.text]);
const rounds = engine.rounds;
const piecesKb = kb(total([...fetched.block, ...fetched.text]).raw);
console.log(`first search (${JSON.stringify(QUERIES[0])}, 10 hits, the search page's first page) downloads: ${kb(first.gz)} gzip, ${kb(first.br)} brotli (engine + index + worker compressed by the host, then ${fetched.block.length} index blocks and ${fetched.text.length} text chunks as stored, ${piecesKb}, in ${rounds} rounds)`);
// The same for each query of the list, each from a fresh engine: the mean first search.
// Each query's line splits it into what every search downloads (engine, index bundle,
// worker) and what depends on the query: index blocks (term postings and positions, which
// grow with the hits) and text chunks (the hits shown).
const fixed = e.br + i.br + w.br;
console.log(`first search, each query from a fresh engine (engine + index + worker ${kb(fixed)} brotli, then):`);
let sumBr = 0;
for (const q of QUERIES) {
  const got = { block: 0, text: 0, blocks: 0 };
  const fresh = await createEngine(
    engineBytes,
    indexBytes,
    packLoader(dir, (piece, b) => {
      const kind = chunks.has(piece.name) ? "text" : "block";
      got[kind] += b.length;
      if (kind === "block") got.blocks += 1;
    }),
  );
  const { total: hits } = await fresh.search({ q, limit: 10 });
  const all = fixed + got.block + got.text;
  sumBr += all;
  console.log(`  ${JSON.stringify(q).padEnd(26)} ${String(hits).padStart(9)} hits: ${kb(all)} (index blocks ${got.blocks}, ${kb(got.block)}; text chunks ${kb(got.text)})`);
}
console.log(`first search, mean over its ${QUERIES.length} queries (each from a fresh engine): ${kb(sumBr / QUERIES.length)} brotli`);
console.log(`Node: instantiate + open index ${openMs.toFixed(1)} ms; first query ${firstMs.toFixed(2)} ms; time to first results (compute) ${(openMs + firstMs).toFixed(1)} ms`);
// Transfer time on a slow mobile link (1.6 Mbit/s down and 150 ms a round trip, as
// Lighthouse's "slow 4G"): the engine and index, then each round of fetches.
const slow = (bytes) => (bytes * 8) / 1.6e6 + 0.15 * (1 + rounds);
console.log(`time to first results on slow 4G (1.6 Mbit/s, 150 ms RTT, brotli): about ${(slow(first.br) + (openMs + firstMs) / 1000).toFixed(1)} s`);

const times = [];
for (let round = 0; round < 30; round++) {
  for (const q of QUERIES) {
    const s = performance.now();
    await engine.search({ q, limit: 20 });
    if (round > 0) times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.round((times.length - 1) * p)].toFixed(3);
console.log(`Node query latency (top 20 + count + facets + snippets, ${times.length} queries, texts loaded): p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);
