// The WebAssembly engine, run in Node on an index written by `insyn build`, must answer
// exactly as the command line does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { buildSite, cliSearch, indexPieces, packLoader, read, repo, searchFiles, tempDir, textChunks } from "./helpers.js";
import { serve } from "./server.js";

const out = buildSite();
const files = searchFiles(out);
// The worker is an ES module with a .js name; copy it to .mjs so Node imports it as one.
const workerModule = join(tempDir("insyn-worker-"), "worker.mjs");
copyFileSync(files.worker, workerModule);
const { createEngine, rangeLoader } = await import(workerModule);
// Index blocks and text chunks are read out of the packs beside the index; every load is
// recorded.
const loads = [];
const engine = await createEngine(
  read(files.engine),
  read(files.index),
  packLoader(dirname(files.index), (piece) => loads.push(piece.name)),
);

const QUERIES = [
  ["informationssäkerhet", []],
  ["säkerhet", []],
  ["kompetens", ["--limit", "30"]],
  ["IT-styrning", []],
  ["\"styrning av IT\"", []],
  ["rekomendationer", []],
  ["pm3 OR ITIL", []],
  ["systemförvaltning -pm3", []],
  ["digitali*", ["--by-date"]],
  ["säkerhet", ["--municipality", "kumla", "--kind", "recommendation"]],
  ["kompetens", ["--from", "2010", "--to", "2016", "--theme", "kompetens"]],
  ["skatteunderlag", ["--kind", "text"]],
  ["beställarkompetns", []],
  ["skatteunderlag chromebooks", []],
];

/** The request the CLI arguments describe (as src/cmd/search.rs builds it). */
function request(q, args) {
  const filters = {};
  let limit = 10;
  let sort = "relevance";
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === "--limit") (limit = Number(value)), i++;
    else if (flag === "--by-date") sort = "date";
    else if (flag === "--municipality") (filters.municipality = [value]), i++;
    else if (flag === "--kind") (filters.kind = [value]), i++;
    else if (flag === "--theme") (filters.theme = [value]), i++;
    else if (flag === "--from") (filters.year_from = Number(value)), i++;
    else if (flag === "--to") (filters.year_to = Number(value)), i++;
  }
  return { q, filters, sort, limit, offset: 0 };
}

/** What a hit is, all of it that the two answers must share. */
const shape = (h) => [
  h.audit, h.item, h.anchor, h.section, h.editorial, h.kind, h.url, h.text, h.question, h.snippet, h.municipality, h.year,
];

for (const [q, args] of QUERIES) {
  test(`wasm and CLI agree on ${q} ${args.join(" ")}`, async () => {
    const cli = cliSearch(out, q, args);
    const wasm = (await engine.search(request(q, args))).hits;
    assert.ok(cli.length > 0, "the query finds something");
    assert.deepEqual(wasm.map(shape), cli.map(shape));
    assert.ok(wasm.every((h) => h.text.length > 0 && h.snippet.length > 0), "every hit has its text");
    for (let i = 0; i < cli.length; i++) {
      assert.ok(Math.abs(wasm[i].score - cli[i].score) < 1e-4, `score of hit ${i}`);
    }
  });
}

test("wasm and CLI give the same hits for every judged query (tests/relevance/queries.toml)", async () => {
  const { query } = parseToml(readFileSync(join(repo, "tests/relevance/queries.toml"), "utf8"));
  assert.ok(query.length >= 60, `${query.length} judged queries`);
  // One CLI run per query: the JSON lines are compared with the engine's hits.
  for (const { q } of query) {
    const cli = cliSearch(out, q, ["--limit", "10"]);
    const wasm = (await engine.search({ q, limit: 10 })).hits;
    assert.deepEqual(wasm.map(shape), cli.map(shape), q);
    for (let i = 0; i < cli.length; i++) {
      assert.ok(Math.abs(wasm[i].score - cli[i].score) < 1e-3, `${q}: score of hit ${i}`);
    }
  }
});

test("facets come with labels and counts", async () => {
  const r = await engine.search({ q: "säkerhet", filters: { municipality: ["kumla"] }, limit: 5 });
  const kumla = r.facets.municipality.find((f) => f.value === "kumla");
  assert.equal(kumla.count, r.total);
  assert.ok(r.facets.municipality.some((f) => f.label === "Jönköping"));
  assert.ok(r.facets.theme.length > 3);
});

test("malformed requests and queries never throw", async () => {
  for (const q of ["", "\"", "-", "OR OR", "*", "((", "ä".repeat(5000)]) {
    const r = await engine.search({ q, limit: 5 });
    assert.ok(Array.isArray(r.hits));
  }
  assert.ok(Array.isArray((await engine.search({ q: 42, filters: "nonsense" })).hits));
});

test("a large index is fetched block by block, in one round, and answers as the command line does", async () => {
  // The five audits' index is small enough to travel whole; a generated corpus is not.
  const corpus = join(tempDir("insyn-corpus-"), "site");
  execFileSync("cargo", ["run", "--quiet", "--example", "gen_corpus", "--", "--audits", "150", "--seed", "3", "--out", corpus], {
    cwd: repo,
    stdio: "pipe",
  });
  const big = buildSite(corpus);
  const bigFiles = searchFiles(big);
  const dir = dirname(bigFiles.index);
  // Packs of at most 16 KiB (PACK_BYTES), so a host without ranges sends little more than a
  // piece: several here, each under the cap (a pack passes it only with a single piece).
  const packs = readdirSync(dir).filter((n) => n.startsWith("pack."));
  const pieceCounts = new Map();
  for (const piece of indexPieces(read(bigFiles.index))) {
    const pack = piece.name.split("@")[0];
    pieceCounts.set(pack, (pieceCounts.get(pack) || 0) + 1);
  }
  assert.ok(packs.length > 1, `${packs.length} packs`);
  for (const pack of packs) {
    const size = statSync(join(dir, pack)).size;
    assert.ok(size <= 16 * 1024 || pieceCounts.get(pack) === 1, `${pack}: ${size} bytes`);
  }
  const chunks = textChunks(read(bigFiles.index));
  const fetched = [];
  const lazy = await createEngine(
    read(bigFiles.engine),
    read(bigFiles.index),
    packLoader(dir, (piece) => fetched.push(piece.name)),
  );
  for (const q of ["informationssäkerhet", "\"styrning av IT\"", "kompetens -upphandling"]) {
    const wasm = (await lazy.search({ q, limit: 10 })).hits;
    const cli = cliSearch(big, q, ["--limit", "10"]);
    assert.ok(cli.length > 0, `${q} finds something`);
    assert.deepEqual(
      wasm.map((h) => [h.audit, h.item, h.snippet]),
      cli.map((h) => [h.audit, h.item, h.snippet]),
    );
    assert.ok(lazy.rounds <= 2, `${q}: ${lazy.rounds} rounds (blocks, then text chunks)`);
  }
  const fetchedBlocks = fetched.filter((n) => !chunks.has(n));
  const blocks = indexPieces(read(bigFiles.index)).filter((p) => !p.chunk).length;
  assert.ok(blocks >= 5, `${blocks} blocks`);
  assert.ok(fetchedBlocks.length > 0, "blocks were fetched");
  assert.ok(fetchedBlocks.length < blocks, `${fetchedBlocks.length} of ${blocks} blocks fetched`);
  assert.equal(new Set(fetched).size, fetched.length, "no piece fetched twice");
});

test("text chunks are fetched on demand, each once", async () => {
  const fresh = [];
  const lazy = await createEngine(
    read(files.engine),
    read(files.index),
    packLoader(dirname(files.index), (piece) => fresh.push(piece.name)),
  );
  const first = await lazy.search({ q: "informationssäkerhet", limit: 3 });
  assert.ok(first.hits.length > 0 && first.hits.every((h) => h.text));
  const chunks = textChunks(read(files.index));
  assert.ok(fresh.some((name) => chunks.has(name)), "the hits' chunk was fetched");
  assert.ok(
    fresh.every((name) => /^pack\.[0-9a-f]{16}\.bin@\d+\+\d+$/.test(name)),
    fresh.join(),
  );
  const before = fresh.length;
  await lazy.search({ q: "informationssäkerhet", limit: 3 });
  assert.equal(fresh.length, before, "a loaded chunk is not fetched again");
  assert.equal(new Set(loads).size, loads.length, "the shared engine fetched no piece twice");
});

test("a chunk that cannot be fetched leaves hits without text, not an error", async () => {
  const chunks = textChunks(read(files.index));
  const fromPacks = packLoader(dirname(files.index));
  const blocksOnly = (piece) => (chunks.has(piece.name) ? null : fromPacks(piece));
  const offline = await createEngine(read(files.engine), read(files.index), blocksOnly);
  const r = await offline.search({ q: "säkerhet", limit: 3 });
  assert.ok(r.total > 0 && r.hits.length > 0);
  assert.ok(r.hits.every((h) => h.text === "" && h.snippet === ""));
  assert.equal(r.missing, undefined);
});

test("blocks that cannot be fetched leave no answer, not an error", async () => {
  const offline = await createEngine(read(files.engine), read(files.index), () => null);
  const r = await offline.search({ q: "säkerhet", limit: 3 });
  assert.equal(r.total, 0);
  assert.deepEqual(r.hits, []);
  assert.equal(r.missing, undefined);
});

test("a search whose pieces could not be fetched fails, and the same search works once they can", async () => {
  const fromPacks = packLoader(dirname(files.index));
  let online = false;
  const flaky = (piece) => {
    if (!online) throw new Error("Failed to fetch");
    return fromPacks(piece);
  };
  const remote = await createEngine(read(files.engine), read(files.index), flaky);
  await assert.rejects(remote.search({ q: "informationssäkerhet", limit: 5 }), /Failed to fetch/);
  online = true;
  const again = await remote.search({ q: "informationssäkerhet", limit: 5 });
  const expected = await engine.search({ q: "informationssäkerhet", limit: 5 });
  assert.ok(again.hits.length > 0);
  assert.deepEqual(again.hits, expected.hits);
});

test("a broken index is refused with a message", async () => {
  await assert.rejects(createEngine(read(files.engine), new Uint8Array([1, 2, 3])), /not a valid Insyn search index/);
});

/** An engine that fetches its pieces from `server` with the worker's own loader. */
function remoteEngine(server) {
  const indexUrl = `${server.url}/search/${basename(files.index)}`;
  return createEngine(read(files.engine), read(files.index), rangeLoader(indexUrl), basename(files.index));
}

const OVER_HTTP = ["informationssäkerhet", "\"styrning av IT\"", "kompetens"];

/** Searches `remote` for each of OVER_HTTP, and checks its hits against the local engine's. */
async function searchesAgree(remote) {
  for (const q of OVER_HTTP) {
    const hits = (await remote.search({ q, limit: 10 })).hits;
    assert.deepEqual(hits, (await engine.search({ q, limit: 10 })).hits, q);
    assert.ok(hits.length > 0 && hits.every((h) => h.text.length > 0), `${q}: every hit has its text`);
  }
}

const isPack = (s) => /\/pack\./.test(s.path);

test("over HTTP, pieces are fetched by range: only their bytes travel", async () => {
  const sent = [];
  const server = await serve(out, { onResponse: (path, body, status) => sent.push({ path, bytes: body.length, status }) });
  try {
    const remote = await remoteEngine(server);
    await remote.search({ q: OVER_HTTP[0], limit: 10 });
    const packs = sent.filter(isPack);
    assert.ok(packs.length > 1, `${packs.length} ranges`);
    assert.ok(packs.every((s) => s.status === 206), JSON.stringify(packs));
    const whole = readdirSync(dirname(files.index))
      .filter((n) => n.startsWith("pack."))
      .reduce((sum, n) => sum + read(join(dirname(files.index), n)).length, 0);
    const travelled = packs.reduce((sum, s) => sum + s.bytes, 0);
    assert.ok(travelled < whole / 2, `a first search: ${travelled} of ${whole} bytes`);
    await searchesAgree(remote);
  } finally {
    await server.close();
  }
});

test("a server without range requests sends a pack whole: it is kept and cut, and search works", async () => {
  const sent = [];
  const server = await serve(out, { ranges: false, onResponse: (path, body, status) => sent.push({ path, status }) });
  try {
    const remote = await remoteEngine(server);
    await searchesAgree(remote);
    const packs = sent.filter(isPack);
    assert.ok(packs.length >= 1 && packs.every((s) => s.status === 200), JSON.stringify(packs));
    // Only the first round asked before the first answer showed ranges are ignored (its
    // other answers' bodies were cancelled); every piece since was cut from the kept pack.
    const firstRound = [];
    const asking = await createEngine(read(files.engine), read(files.index), (piece) => {
      firstRound.push(piece.name);
      return null;
    });
    await asking.search({ q: OVER_HTTP[0], limit: 10 });
    const more = await remote.search({ q: "kommun", limit: 50 });
    assert.ok(more.hits.length === 50 && more.hits.every((h) => h.text.length > 0));
    // A pack is downloaded once, except that the first round's pieces of one pack may each
    // have asked for it before an answer showed that ranges are ignored.
    const asked = new Map();
    for (const name of firstRound) {
      const pack = name.split("@")[0];
      asked.set(pack, (asked.get(pack) || 0) + 1);
    }
    const downloads = new Map();
    for (const s of sent.filter(isPack)) {
      const pack = s.path.split("/").pop();
      downloads.set(pack, (downloads.get(pack) || 0) + 1);
    }
    for (const [pack, n] of downloads) {
      assert.ok(n <= Math.max(1, asked.get(pack) || 0), `${pack} downloaded ${n} times`);
    }
  } finally {
    await server.close();
  }
});

test("an answer that is not the range asked for is refused", async () => {
  // A server that answers every range with the wrong bytes (one byte later).
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const bytes = read(join(out, path));
    const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || "") || [];
    if (!a) return res.end(bytes);
    const [start, end] = [Number(a) + 1, Number(b) + 1];
    res.writeHead(206, { "content-range": `bytes ${start}-${end}/${bytes.length}` });
    res.end(bytes.subarray(start, end + 1));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const url = `http://127.0.0.1:${server.address().port}`;
    const remote = await remoteEngine({ url });
    const error = await remote.search({ q: "säkerhet" }).then(() => null, (e) => e);
    assert.ok(error, "the search fails");
    assert.equal(error.damaged, true);
    assert.match(error.message, /the server sent "bytes \d+-\d+\/\d+" \(\d+ bytes\) for bytes \d+-\d+/);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test("packs the server no longer has fail the search as gone, other failures as unreachable, none as damage", async () => {
  // The site published again: the old index's packs removed (404), other failures kept apart.
  const { createServer } = await import("node:http");
  for (const [status, gone] of [[404, true], [410, true], [500, false]]) {
    const server = createServer((req, res) => {
      res.writeHead(status);
      res.end();
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    try {
      const remote = await remoteEngine({ url: `http://127.0.0.1:${server.address().port}` });
      const error = await remote.search({ q: "säkerhet" }).then(() => null, (e) => e);
      assert.ok(error, `${status}: the search fails`);
      assert.equal(error.gone, gone, `${status}: ${error.message}`);
      assert.equal(Boolean(error.unreachable), !gone, `${status}: the host failed, try again`);
      assert.ok(!error.damaged, `${status}: not damage`);
      assert.match(error.message, new RegExp(`/search/pack\\.[0-9a-f]{16}\\.bin: HTTP ${status}`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  }
});
