// A damaged search index (issue 11): the WebAssembly engine reports it as damage, naming the
// file, and the search page says so in its status instead of hanging.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { buildSite, indexPieces, packLoader, read, searchFiles, tempDir } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";

const out = buildSite();
const files = searchFiles(out);
const dir = dirname(files.index);
const workerModule = join(tempDir("insyn-worker-"), "worker.mjs");
copyFileSync(files.worker, workerModule);
const { createEngine } = await import(workerModule);

/** `bytes` with one byte flipped. */
function flipped(bytes, at) {
  const copy = Buffer.from(bytes);
  copy[at % copy.length] ^= 0xff;
  return copy;
}

/** Rejects when `promise` takes longer than `ms`: a hang fails the test. */
function within(promise, ms = 10_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const packs = readdirSync(dir).filter((n) => n.startsWith("pack."));

/** The pieces of the index's packs, by kind: {blocks, chunks}, each as {name, pack, start, end}. */
function pieces() {
  const all = indexPieces(read(files.index));
  return { blocks: all.filter((p) => !p.chunk), chunks: all.filter((p) => p.chunk) };
}

/** The pack files with one byte flipped in the middle of each of `damaged` (pieces). */
function packsDamagedIn(damaged) {
  const bytes = new Map(packs.map((n) => [n, Buffer.from(read(join(dir, n)))]));
  for (const { pack, start, end } of damaged) bytes.get(pack)[(start + end) >> 1] ^= 0xff;
  return bytes;
}

test("the engine refuses a damaged index bundle, naming it", async () => {
  const name = basename(files.index);
  for (const at of [20, 5737, 31000, read(files.index).length - 3]) {
    const opening = createEngine(read(files.engine), flipped(read(files.index), at), null, name);
    const error = await within(opening.then(() => null, (e) => e));
    assert.ok(error, `offset ${at}: refused`);
    assert.equal(error.damaged, true, `offset ${at}: ${error.message}`);
    assert.match(error.message, /damaged/);
    assert.ok(error.message.includes(name), error.message);
  }
});

test("a byte flipped inside a pack, in an index block or a text chunk, fails the search as damage, without hanging", async () => {
  for (const damaged of Object.values(pieces())) {
    assert.ok(damaged.length > 0);
    const bytes = packsDamagedIn(damaged);
    const loadPiece = (piece) => bytes.get(piece.pack).subarray(piece.start, piece.end);
    const engine = await createEngine(read(files.engine), read(files.index), loadPiece, basename(files.index));
    const error = await within(engine.search({ q: "säkerhet", limit: 10 }).then(() => null, (e) => e));
    assert.ok(error, "the search fails");
    assert.equal(error.damaged, true, error.message);
    assert.match(error.message, /the search index is damaged: pack\.[0-9a-f]{16}\.bin@\d+\+\d+: /);
  }
});

test("another piece's bytes, well formed, are damage too", async () => {
  // Each block answered with the next one's stored bytes: they inflate and carry a seal
  // that holds for their own place, not this one's.
  const { blocks } = pieces();
  const fromPacks = packLoader(dir);
  const next = new Map(blocks.map((b, i) => [b.name, blocks[(i + 1) % blocks.length]]));
  const swapped = (piece) => fromPacks(next.get(piece.name) || piece);
  const engine = await createEngine(read(files.engine), read(files.index), swapped, basename(files.index));
  const error = await within(engine.search({ q: "säkerhet", limit: 10 }).then(() => null, (e) => e));
  assert.ok(error, "the search fails");
  assert.equal(error.damaged, true, error.message);
  assert.match(error.message, /the search index is damaged: pack\.[0-9a-f]{16}\.bin@\d+\+\d+: its bytes do not match its checksum/);
});

let server;
let browser;

before(async () => {
  server = await serve(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The search page's status after searching `q`, once it no longer says it is loading. */
async function statusAfterSearch(q) {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/sok/?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(
      () => {
        const text = document.querySelector("#search-status").textContent;
        return text && !text.includes("Laddar");
      },
      null,
      { timeout: 10_000 },
    );
    return await page.locator("#search-status").textContent();
  } finally {
    await page.close();
  }
}

test("the search page says the index is damaged when the bundle is", async () => {
  const whole = read(files.index);
  writeFileSync(files.index, flipped(whole, 5737));
  try {
    assert.equal(await statusAfterSearch("säkerhet"), "Sökindexet är skadat. Bygg om webbplatsen.");
  } finally {
    writeFileSync(files.index, whole);
  }
});

test("the search page says the index is damaged when a text chunk in a pack is", async () => {
  const whole = packs.map((n) => [n, read(join(dir, n))]);
  for (const [n, bytes] of packsDamagedIn(pieces().chunks)) writeFileSync(join(dir, n), bytes);
  try {
    assert.equal(await statusAfterSearch("säkerhet"), "Sökindexet är skadat. Bygg om webbplatsen.");
  } finally {
    for (const [n, bytes] of whole) writeFileSync(join(dir, n), bytes);
  }
});

test("a page loaded before the site was published again says to reload it", async () => {
  // The page is open; a new publication removes the index it names (files are named by their
  // content); its first search then finds the index gone.
  const page = await browser.newPage();
  const moved = `${files.index}.old`;
  try {
    await page.goto(`${server.url}/sok/`);
    renameSync(files.index, moved);
    await page.fill("#q", "säkerhet");
    await page.press("#q", "Enter");
    const expected =
      "Sökindexet som sidan laddade finns inte längre på servern; webbplatsen har troligen uppdaterats. Ladda om sidan för att söka.";
    const said = (text) => document.querySelector("#search-status").textContent === text;
    await page
      .waitForFunction(said, expected, { timeout: 10_000 })
      .catch(async () => assert.fail(`the status says: ${await page.locator("#search-status").textContent()}`));
  } finally {
    renameSync(moved, files.index);
    await page.close();
  }
});

test("a search whose pieces cannot be fetched says so, and searching again works once they can", async () => {
  const page = await browser.newPage();
  try {
    // The network drops every request for a pack (the engine and the index have loaded).
    await page.route(/\/search\/pack\./, (route) => route.abort("internetdisconnected"));
    await page.goto(`${server.url}/sok/?q=${encodeURIComponent("säkerhet")}`);
    const expected = "Sökningen kunde inte slutföras: en del av sökindexet gick inte att hämta. Försök igen.";
    const said = (text) => document.querySelector("#search-status").textContent === text;
    await page
      .waitForFunction(said, expected, { timeout: 10_000 })
      .catch(async () => assert.fail(`the status says: ${await page.locator("#search-status").textContent()}`));
    // The network is back: the same search, asked again, fetches what failed and answers.
    await page.unroute(/\/search\/pack\./);
    await page.fill("#q", "kompetens");
    await page.press("#q", "Enter");
    await page.fill("#q", "säkerhet");
    await page.press("#q", "Enter");
    await page.waitForSelector(".hit", { timeout: 10_000 });
    assert.match(await page.locator("#search-status").textContent(), /\d+ träffar för ”säkerhet”/);
  } finally {
    await page.close();
  }
});
