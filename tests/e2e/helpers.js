// Shared by the Node and browser tests: the insyn binary, a site built once per test file.

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const insyn = process.env.INSYN_BIN || join(repo, "target/debug/insyn");

// The temporary folders made by tempDir, removed when the test file's process exits.
const made = [];
process.on("exit", () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh temporary folder, named `prefix…`, that is removed when the tests are done. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Builds the site at `root` (default: the published audits) into a fresh folder. */
export function buildSite(root = repo, extra = []) {
  const out = join(tempDir("insyn-e2e-"), "public");
  execFileSync(insyn, ["build", "--root", root, "--output", out, ...extra], { stdio: "pipe" });
  return out;
}

/**
 * The search files of a built site, as its manifest (`manifest`) names them: `index` is the
 * index of every audit, `recent` the index of the newest audits (null on a small site).
 */
export function searchFiles(out) {
  const dir = join(out, "search");
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const file = (url) => join(dir, url.split("/").pop());
  return {
    manifest,
    engine: file(manifest.engine),
    index: file(manifest.index),
    worker: file(manifest.worker),
    recent: manifest.recent ? file(manifest.recent.index) : null,
  };
}

/**
 * The engine of the site built in `out` (the worker module's `createEngine`), opening its
 * index file `indexName`, with every piece read from the packs beside it.
 */
export async function createEngineFor(out, indexName) {
  const files = searchFiles(out);
  const module = join(tempDir("insyn-worker-"), "worker.mjs");
  copyFileSync(files.worker, module);
  const { createEngine } = await import(module);
  const dir = join(out, "search");
  return createEngine(read(files.engine), read(join(dir, indexName)), packLoader(dir), indexName);
}

/** `insyn search --json` against a built site. */
export function cliSearch(out, query, args = []) {
  const stdout = execFileSync(insyn, ["search", query, "--index", out, "--json", ...args], { encoding: "utf8" });
  return JSON.parse(stdout);
}

export function read(path) {
  return readFileSync(path);
}

/**
 * A `loadPiece` for createEngine that reads pieces out of the pack files in `dir`, as a
 * server answering range requests would send them; `onLoad(piece, bytes)` is told of each.
 */
export function packLoader(dir, onLoad = () => {}) {
  const packs = new Map();
  return (piece) => {
    if (!packs.has(piece.pack)) packs.set(piece.pack, read(join(dir, piece.pack)));
    const bytes = packs.get(piece.pack).subarray(piece.start, piece.end);
    onLoad(piece, bytes);
    return bytes;
  };
}

/**
 * The pieces of the packs of the index `indexBytes`, as its header lists them:
 * {name, pack, start, end, chunk}, `chunk` for a text chunk (the last pieces of each
 * segment), else an index block.
 */
export function indexPieces(indexBytes) {
  const length = indexBytes.readUInt32LE(8);
  const header = JSON.parse(indexBytes.subarray(12, 12 + length).toString("utf8"));
  return Object.values(header.segments).flatMap((segment) => {
    const pieces = [];
    for (const [pack, lengths] of segment.packs) {
      let start = 0;
      for (const len of lengths) {
        pieces.push({ name: `${pack}@${start}+${len}`, pack, start, end: start + len });
        start += len;
      }
    }
    return pieces.map((piece, n) => ({ ...piece, chunk: n >= pieces.length - segment.chunks }));
  });
}

/** The names of the text chunks of the index `indexBytes`. */
export function textChunks(indexBytes) {
  return new Set(indexPieces(indexBytes).filter((p) => p.chunk).map((p) => p.name));
}
