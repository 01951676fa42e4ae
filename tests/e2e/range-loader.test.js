// The worker's range loader over a stand-in `fetch`: the pieces a search asks for together
// go out as one request a run of adjacent pieces, never more than 32 at a time, and each
// piece gets exactly its bytes. (At 100,000 audits a phrase of common words needs 4,450
// index blocks; asked for all at once, Chromium failed the search.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { repo, tempDir } from "./helpers.js";

const module = join(tempDir("insyn-loader-"), "worker.mjs");
copyFileSync(join(repo, "src", "search", "worker.js"), module);
const { rangeLoader, runs } = await import(module);

/** A pack's bytes: byte `i` is `(i * 7 + pack) % 251`, so a wrong slice shows. */
const packBytes = (pack, length = 4096) => Uint8Array.from({ length }, (_, i) => (i * 7 + pack) % 251);

/**
 * A stand-in for `fetch` that answers ranges of packs `pack.<n>.bin` after a tick and
 * records each request and how many were in flight at once.
 */
function fakeFetch({ ranges = true } = {}) {
  const log = { requests: [], inFlight: 0, most: 0 };
  log.fetch = async (url, init = {}) => {
    log.inFlight += 1;
    log.most = Math.max(log.most, log.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    log.inFlight -= 1;
    const pack = Number(/pack\.(\d+)\.bin$/.exec(url)[1]);
    const whole = packBytes(pack);
    const range = init.headers?.Range;
    log.requests.push({ pack, range });
    const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(range || "") || [];
    if (!ranges || !a) return new Response(whole, { status: 200 });
    const body = whole.subarray(Number(a), Number(b) + 1);
    return new Response(body, { status: 206, headers: { "Content-Range": `bytes ${a}-${b}/${whole.length}` } });
  };
  return log;
}

/** Pieces of `packs` packs: three a pack, the first two adjacent, the third after a gap. */
function pieces(packs) {
  const out = [];
  for (let pack = 0; pack < packs; pack++) {
    for (const [start, end] of [[0, 100], [100, 250], [400, 500]]) {
      out.push({ name: `pack.${pack}.bin@${start}+${end - start}`, pack: `pack.${pack}.bin`, start, end });
    }
  }
  return out;
}

async function withFetch(fake, run) {
  const real = globalThis.fetch;
  globalThis.fetch = fake.fetch;
  try {
    return await run();
  } finally {
    globalThis.fetch = real;
  }
}

test("pieces asked for together go out as one range a run of adjacent pieces, 32 at most at a time", async () => {
  const fake = fakeFetch();
  const asked = pieces(200);
  const got = await withFetch(fake, () => {
    const load = rangeLoader("http://example.test/search/index.bin");
    return Promise.all(asked.map((p) => load(p)));
  });
  // Two runs a pack: the adjacent pair, and the piece after the gap.
  assert.equal(fake.requests.length, 400);
  assert.ok(fake.requests.some((r) => r.range === "bytes=0-249"), "the adjacent pieces were fetched together");
  assert.ok(fake.requests.every((r) => r.range === "bytes=0-249" || r.range === "bytes=400-499"));
  assert.ok(fake.most <= 32, `${fake.most} requests in flight at once`);
  assert.ok(fake.most > 1, "requests run side by side");
  asked.forEach((p, i) => {
    const pack = Number(p.pack.split(".")[1]);
    assert.deepEqual(got[i], packBytes(pack).subarray(p.start, p.end), p.name);
  });
});

test("without ranges, each pack is downloaded whole once a batch and every piece cut from it", async () => {
  const fake = fakeFetch({ ranges: false });
  const asked = pieces(50);
  const got = await withFetch(fake, () => {
    const load = rangeLoader("http://example.test/search/index.bin");
    return Promise.all(asked.map((p) => load(p)));
  });
  const perPack = new Map();
  for (const r of fake.requests) perPack.set(r.pack, (perPack.get(r.pack) || 0) + 1);
  // A pack's two runs may both have asked before the first answer showed ranges are ignored.
  assert.ok([...perPack.values()].every((n) => n <= 2), JSON.stringify([...perPack]));
  assert.ok(fake.most <= 32, `${fake.most} requests in flight at once`);
  asked.forEach((p, i) => {
    const pack = Number(p.pack.split(".")[1]);
    assert.deepEqual(got[i], packBytes(pack).subarray(p.start, p.end), p.name);
  });
});

test("a failed request fails the pieces of its run, and only those, saying how it failed", async () => {
  const fake = fakeFetch();
  const failing = async (url, init) => {
    if (url.endsWith("pack.1.bin")) return new Response("", { status: 404 });
    if (url.endsWith("pack.2.bin")) return new Response("", { status: 503 });
    if (url.endsWith("pack.3.bin")) throw new TypeError("Failed to fetch");
    return fake.fetch(url, init);
  };
  const asked = pieces(5);
  const results = await withFetch({ fetch: failing }, () => {
    const load = rangeLoader("http://example.test/search/index.bin");
    return Promise.allSettled(asked.map((p) => load(p)));
  });
  // A 404 means the site was published again (reload); no answer or a 503, that the network
  // or the host failed (try again).
  const expected = { "pack.1.bin": { gone: true, unreachable: false }, "pack.2.bin": { gone: false, unreachable: true }, "pack.3.bin": { gone: false, unreachable: true } };
  asked.forEach((p, i) => {
    const failed = expected[p.pack];
    assert.equal(results[i].status, failed ? "rejected" : "fulfilled", p.name);
    if (failed) {
      const { gone, unreachable } = results[i].reason;
      assert.deepEqual({ gone: Boolean(gone), unreachable: Boolean(unreachable) }, failed, p.name);
    }
  });
});

test("runs join only adjacent pieces of the same pack", () => {
  const piece = (pack, start, end) => ({ pack, start, end });
  const grouped = runs([piece("b", 10, 20), piece("a", 5, 10), piece("a", 0, 5), piece("b", 0, 10), piece("a", 11, 12)]);
  assert.deepEqual(
    grouped.map((run) => run.map((p) => `${p.pack}${p.start}-${p.end}`)),
    [["a0-5", "a5-10"], ["a11-12"], ["b0-10", "b10-20"]],
  );
});
