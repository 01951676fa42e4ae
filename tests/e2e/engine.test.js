// The WebAssembly engine, run in Node on an index written by `insyn build`, must answer
// exactly as the command line does.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, cliSearch, read, searchFiles } from "./helpers.js";

const out = buildSite();
const files = searchFiles(out);
// The worker is an ES module with a .js name; copy it to .mjs so Node imports it as one.
const workerModule = join(mkdtempSync(join(tmpdir(), "insyn-worker-")), "worker.mjs");
copyFileSync(files.worker, workerModule);
const { createEngine } = await import(workerModule);
const engine = await createEngine(read(files.engine), read(files.index));

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
];

/** The request the CLI arguments describe (as src/search/command.rs builds it). */
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

for (const [q, args] of QUERIES) {
  test(`wasm and CLI agree on ${q} ${args.join(" ")}`, () => {
    const cli = cliSearch(out, q, args);
    const wasm = engine.search(request(q, args)).hits;
    assert.ok(cli.length > 0, "the query finds something");
    assert.deepEqual(
      wasm.map((h) => [h.audit, h.item, h.kind, h.url, h.snippet, h.municipality, h.year]),
      cli.map((h) => [h.audit, h.item, h.kind, h.url, h.snippet, h.municipality, h.year]),
    );
    for (let i = 0; i < cli.length; i++) {
      assert.ok(Math.abs(wasm[i].score - cli[i].score) < 1e-4, `score of hit ${i}`);
    }
  });
}

test("facets come with labels and counts", () => {
  const r = engine.search({ q: "säkerhet", filters: { municipality: ["kumla"] }, limit: 5 });
  const kumla = r.facets.municipality.find((f) => f.value === "kumla");
  assert.equal(kumla.count, r.total);
  assert.ok(r.facets.municipality.some((f) => f.label === "Jönköping"));
  assert.ok(r.facets.theme.length > 3);
});

test("malformed requests and queries never throw", () => {
  for (const q of ["", "\"", "-", "OR OR", "*", "((", "ä".repeat(5000)]) {
    const r = engine.search({ q, limit: 5 });
    assert.ok(Array.isArray(r.hits));
  }
  assert.ok(Array.isArray(engine.search({ q: 42, filters: "nonsense" }).hits));
});

test("a broken index is refused with a message", async () => {
  await assert.rejects(createEngine(read(files.engine), new Uint8Array([1, 2, 3])), /not a valid Insyn search index/);
});
