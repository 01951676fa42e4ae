// Shared by the Node and browser tests: the insyn binary, a site built once per test file.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const insyn = process.env.INSYN_BIN || join(repo, "target/debug/insyn");

/** Builds the site at `root` (default: the published audits) into a fresh folder. */
export function buildSite(root = repo, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "insyn-e2e-")), "public");
  execFileSync(insyn, ["build", "--root", root, "--output", out, ...extra], { stdio: "pipe" });
  return out;
}

/** The search files of a built site. */
export function searchFiles(out) {
  const dir = join(out, "search");
  const names = readdirSync(dir);
  const file = (prefix) => join(dir, names.find((n) => n.startsWith(prefix)));
  return { engine: file("engine."), index: file("index."), worker: file("worker.") };
}

/** `insyn search --json` against a built site. */
export function cliSearch(out, query, args = []) {
  const stdout = execFileSync(insyn, ["search", query, "--index", out, "--json", ...args], { encoding: "utf8" });
  return JSON.parse(stdout);
}

export function read(path) {
  return readFileSync(path);
}
