// A damaged search index (issue 11): the WebAssembly engine reports it as damage, naming the
// file, and the search page says so in its status instead of hanging.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { buildSite, read, searchFiles } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";

const out = buildSite();
const files = searchFiles(out);
const dir = dirname(files.index);
const workerModule = join(mkdtempSync(join(tmpdir(), "insyn-worker-")), "worker.mjs");
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

const texts = readdirSync(dir).filter((n) => n.startsWith("text."));
const blocks = readdirSync(dir).filter((n) => n.startsWith("block."));

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

test("a damaged index block or text chunk fails the search as damage, without hanging", async () => {
  for (const damaged of [blocks, texts]) {
    const loadFile = (name) => {
      const bytes = read(join(dir, name));
      return damaged.includes(name) ? flipped(bytes, 100) : bytes;
    };
    const engine = await createEngine(read(files.engine), read(files.index), loadFile, basename(files.index));
    const error = await within(engine.search({ q: "säkerhet", limit: 10 }).then(() => null, (e) => e));
    assert.ok(error, "the search fails");
    assert.equal(error.damaged, true, error.message);
    assert.match(error.message, /the search index is damaged: (block|text)\./);
  }
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

test("the search page says the index is damaged when a text chunk is", async () => {
  const whole = texts.map((n) => [n, read(join(dir, n))]);
  for (const [n, bytes] of whole) writeFileSync(join(dir, n), flipped(bytes, 100));
  try {
    assert.equal(await statusAfterSearch("säkerhet"), "Sökindexet är skadat. Bygg om webbplatsen.");
  } finally {
    for (const [n, bytes] of whole) writeFileSync(join(dir, n), bytes);
  }
});
