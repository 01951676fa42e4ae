// A large site's two indexes: a first search opens the index of the newest audits (a
// fraction of the download), says which audits it covers, and offers to search every audit;
// a filter on older years, the button, or `alla=1` in the URL use the index of every audit.
// The published audits stand in for a large site with `[search] recent_audits = 2`.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSite, cliSearch, createEngineFor, repo, searchFiles, tempDir } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";

const root = tempDir("insyn-recent-");
for (const dir of ["content", "themes"]) cpSync(join(repo, dir), join(root, dir), { recursive: true });
writeFileSync(join(root, "insyn.toml"), readFileSync(join(repo, "insyn.toml"), "utf8") + "\n[search]\nrecent_audits = 2\n");
const out = buildSite(root);
const { manifest } = searchFiles(out);
const recent = manifest.recent;

let server;
let browser;
let page;
const errors = [];
/** Paths the browser asked for, in order. */
const requested = [];

before(async () => {
  server = await serve(out, { onRequest: (path) => requested.push(path) });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const years = () => page.locator(".hit-meta time").evaluateAll((ts) => ts.map((t) => Number(t.dateTime.slice(0, 4))));
const status = () => page.locator("#search-status").textContent();
const fileOf = (url) => url.split("/").pop();

test("the manifest names an index of the newest audits, whole days, beside the index of all", () => {
  assert.equal(manifest.audits, 5);
  assert.ok(recent, "a recent index");
  assert.equal(recent.audits, 2);
  assert.equal(recent.from, "2017-02-06");
  // The third newest audit is of 2015: every audit from 2016 on is in the recent index.
  assert.equal(recent.whole_years_from, 2016);
  assert.notEqual(recent.index, manifest.index);
  assert.ok(recent.docs < manifest.docs && recent.index_bytes < manifest.index_bytes);
});

test("the index of the newest audits finds only them; the index of all finds the rest", async () => {
  const search = async (index) => {
    const engine = await createEngineFor(out, fileOf(index));
    return engine.search({ q: "kommunen", limit: 1000 });
  };
  const [newest, all] = await Promise.all([search(recent.index), search(manifest.index)]);
  const dates = (r) => r.hits.map((h) => h.date);
  assert.ok(newest.total > 0);
  assert.ok(dates(newest).every((d) => d >= recent.from), dates(newest).join(" "));
  assert.ok(dates(all).some((d) => d < recent.from), "older audits are in the index of all");
  assert.ok(all.total > newest.total);
  // `insyn search --index <site>` searches every audit; naming the newest audits' file, them.
  const cli = (index) => cliSearch(index, "kommunen", ["--limit", "1000"]);
  assert.equal(cli(out).length, all.total);
  assert.equal(cli(join(out, "search", fileOf(recent.index))).length, newest.total);
});

test("a first search opens only the newest audits' index and says what it covers", async () => {
  await page.goto(server.url + "/sok/?q=informationss%C3%A4kerhet");
  await page.waitForSelector(".hit");
  assert.match(await status(), /gäller de 2 senaste granskningarna, daterade 2017-02-06 eller senare/);
  assert.ok((await years()).every((y) => y >= 2017), (await years()).join(" "));
  const facetYears = await page.locator("#facets input[name=year]").evaluateAll((bs) => bs.map((b) => Number(b.value)));
  assert.ok(facetYears.length && facetYears.every((y) => y >= 2017), facetYears.join(" "));
  assert.ok(requested.includes(new URL(recent.index, server.url).pathname));
  assert.ok(!requested.includes(manifest.index), "the index of all is not downloaded");
  assert.equal(await page.locator(".search-all").textContent(), "Sök i alla 5 granskningar");
  // The scope line and the button pass axe (WCAG 2.1 A/AA) and reflow at 320 px.
  await page.addScriptTag({ path: join(import.meta.dirname, "node_modules/axe-core/axe.min.js") });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), []);
  await page.setViewportSize({ width: 320, height: 800 });
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 320, "no sideways scroll at 320 px");
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("the button searches every audit, keeps it in the URL and moves focus to the first hit", async () => {
  await page.click(".search-all");
  await page.waitForURL(/alla=1/);
  await page.waitForFunction(() => /träffar för/.test(document.querySelector("#search-status").textContent));
  assert.match(await status(), /\d+ träffar för ”informationssäkerhet”/);
  assert.ok((await years()).some((y) => y < 2017), (await years()).join(" "));
  assert.equal(await page.locator(".search-all").count(), 0);
  assert.ok(requested.includes(manifest.index));
  assert.equal(await page.evaluate(() => document.activeElement.closest(".hit-title") !== null), true);
  // Opened from the URL, the search covers every audit at once, and downloads only its index.
  requested.length = 0;
  await page.reload();
  await page.waitForSelector(".hit");
  assert.ok((await years()).some((y) => y < 2017));
  assert.doesNotMatch(await status(), /senaste/);
  assert.ok(requested.includes(manifest.index));
  assert.ok(!requested.includes(recent.index), "the newest audits' index is not downloaded");
});

test("a word only older audits hold: no hits among the newest, and the button finds them", async () => {
  await page.goto(server.url + "/sok/?q=J%C3%B6nk%C3%B6ping");
  await page.waitForSelector(".search-all");
  assert.match(await status(), /^Inga träffar bland de 2 senaste granskningarna, daterade 2017-02-06 eller senare\. Sök i alla/);
  assert.equal(await page.locator(".hit").count(), 0);
  await page.click(".search-all");
  await page.waitForSelector(".hit");
  assert.ok((await years()).every((y) => y === 2008), (await years()).join(" "));
});

test("a filter on a year before the newest audits' uses the index of every audit", async () => {
  await page.goto(server.url + "/sok/?q=kommunen&ar=2012");
  await page.waitForSelector(".hit");
  assert.ok((await years()).every((y) => y === 2012), (await years()).join(" "));
  assert.doesNotMatch(await status(), /senaste/);
  // A year the newest audits' index holds whole stays with it.
  await page.goto(server.url + "/sok/?q=kommunen&ar=2020");
  await page.waitForSelector(".hit");
  assert.match(await status(), /senaste/);
  assert.deepEqual(errors, []);
});
