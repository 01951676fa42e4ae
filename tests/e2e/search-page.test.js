// The search page in a real browser: the header box, search as you type, highlighted
// results, facet filters, the URL as the state of the search, back and forward; the pieces
// of the index fetched by range, or whole from a server without ranges.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { buildSite } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";

let server;
let browser;
let page;
const errors = [];
const out = buildSite();
/** The status of every answer the server gave for a pack. */
const packAnswers = [];

before(async () => {
  server = await serve(out, {
    onResponse: (path, body, status) => /\/pack\./.test(path) && packAnswers.push(status),
  });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const hits = () => page.locator(".hit");

test("search from the header box shows highlighted results", async () => {
  await page.goto(server.url + "/");
  await page.fill("#header-q", "informationssäkerhet");
  await page.press("#header-q", "Enter");
  await page.waitForURL(/\/sok\/\?q=informationss/);
  await page.waitForSelector(".hit");
  assert.match(await page.locator("#search-status").textContent(), /\d+ träffar för ”informationssäkerhet”/);
  assert.ok((await hits().count()) > 3);
  assert.ok((await page.locator(".hit-snippet mark").count()) > 0, "matches are marked");
  assert.equal(await page.inputValue("#q"), "informationssäkerhet");
});

test("search as you type updates the results and the URL", async () => {
  await page.fill("#q", "");
  await page.type("#q", "beställarkompetens", { delay: 10 });
  await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "beställarkompetens");
  await page.waitForFunction(() => document.querySelector("#search-status").textContent.includes("beställarkompetens"));
  const first = await hits().first().textContent();
  assert.match(first.toLowerCase(), /beställarkompetens/);
});

test("facet filters narrow the results, with counts, and live in the URL", async () => {
  await page.fill("#q", "säkerhet");
  await page.press("#q", "Enter");
  await page.waitForFunction(() => document.querySelector("#search-status").textContent.includes("”säkerhet”"));
  const all = await hits().count();
  const kumla = page.locator("label[for='f-municipality-kumla']");
  const count = Number((await kumla.textContent()).match(/\((\d+)\)/)[1]);
  await page.check("#f-municipality-kumla");
  await page.waitForURL(/kommun=kumla/);
  // The hits before the filter may number the same: wait for the filtered ones.
  await page.waitForFunction((n) => {
    const metas = [...document.querySelectorAll(".hit-meta")];
    return metas.length === n && metas.every((m) => m.textContent.includes("Kumla"));
  }, Math.min(count, 10));
  assert.ok(count < all || all === 10);
  await page.check("#f-kind-recommendation");
  await page.waitForURL(/typ=rekommendation/);
  await page.waitForFunction(() => [...document.querySelectorAll(".hit-kind")].every((k) => k.textContent === "Rekommendation"));
});

test("a result leads to its anchor, and back restores the search", async () => {
  const link = page.locator(".hit-title a").first();
  const href = await link.getAttribute("href");
  assert.match(href, /^\/granskning\/[a-z0-9-]+\/#[a-z0-9-]+$/);
  await link.click();
  await page.waitForURL((u) => u.pathname.startsWith("/granskning/"));
  const anchor = href.split("#")[1];
  assert.equal(await page.locator(`[id='${anchor}']`).count(), 1, "the anchor exists on the audit page");
  await page.goBack();
  await page.waitForSelector(".hit");
  assert.equal(await page.inputValue("#q"), "säkerhet");
  assert.ok(await page.isChecked("#f-municipality-kumla"));
  assert.ok(await page.isChecked("#f-kind-recommendation"));
  // Back once more: the search before the kind filter.
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes("typ="));
  await page.waitForFunction(() => !document.querySelector("#f-kind-recommendation")?.checked);
  assert.ok(await page.isChecked("#f-municipality-kumla"));
  await page.goForward();
  await page.waitForFunction(() => document.querySelector("#f-kind-recommendation")?.checked);
});

test("a word that stands only in the report's text finds its section, labelled as report text", async () => {
  await page.goto(server.url + "/sok/?q=skatteunderlag");
  await page.waitForSelector(".hit");
  const first = hits().first();
  assert.equal(await first.locator(".hit-kind").textContent(), "Rapporttext");
  assert.match(await first.locator(".hit-title a").textContent(), /: 3\.3 Digitaliseringsarbetet i kommunen$/);
  assert.match(
    await first.locator(".hit-title a").getAttribute("href"),
    /^\/granskning\/kungsor-2020-digital-utveckling\/#3-3-digitaliseringsarbetet-i-kommunen$/,
  );
  assert.match(await first.locator(".hit-snippet mark").first().textContent(), /^skatteunderlag$/i);
  // The kind facet offers report text, under its Swedish name in the URL.
  await page.check("#f-kind-text");
  await page.waitForURL(/typ=rapporttext/);
});

test("a misspelt word is corrected, and the status names the correction", async () => {
  await page.goto(server.url + "/sok/?q=best%C3%A4llarkompetns");
  await page.waitForSelector(".hit");
  const status = page.locator("#search-status");
  assert.match(await status.textContent(), /”beställarkompetns” finns inte i rapporterna\. Visar träffar för beställarkompetens\./);
  assert.equal(await status.locator("em").textContent(), "beställarkompetens");
  assert.ok((await page.locator(".hit-snippet mark").count()) > 0);
});

test("when no passage holds every word, those holding most of them are shown, and the status says so", async () => {
  await page.goto(server.url + "/sok/?q=skatteunderlag%20chromebooks");
  await page.waitForSelector(".hit");
  assert.match(await page.locator("#search-status").textContent(), /^Inga träffar med alla ord; visar träffar med de flesta\. \d+ träff/);
  assert.ok((await hits().count()) >= 2, "hits for either word");
});

test("the engine and index load only when search is used", async () => {
  const fresh = await browser.newPage();
  const requested = [];
  fresh.on("request", (r) => requested.push(r.url()));
  await fresh.goto(server.url + "/sok/");
  await fresh.waitForTimeout(300);
  assert.ok(!requested.some((u) => /\/search\/(engine|index)\./.test(u)), "nothing loaded before use");
  await fresh.focus("#q");
  await fresh.waitForFunction(() => true);
  await fresh.waitForTimeout(500);
  assert.ok(requested.some((u) => /\/search\/engine\.[0-9a-f]{16}\.wasm$/.test(u)), "content-hashed engine");
  assert.ok(requested.some((u) => /\/search\/index\.[0-9a-f]{16}\.bin$/.test(u)), "content-hashed index");
  await fresh.close();
});

test("the browser fetches pieces of the packs by range", () => {
  assert.ok(packAnswers.length > 0 && packAnswers.every((status) => status === 206), JSON.stringify(packAnswers));
});

test("the pieces of one round are fetched at once, not one after another", async () => {
  // Pack answers held back 200 ms: pieces fetched at once are asked for while others wait.
  let waiting = 0;
  let most = 0;
  const slow = await serve(out, {
    onRequest: async (path) => {
      if (!/\/pack\./.test(path)) return;
      most = Math.max(most, ++waiting);
      await new Promise((r) => setTimeout(r, 200));
      waiting -= 1;
    },
  });
  const fresh = await browser.newPage();
  try {
    await fresh.goto(slow.url + "/sok/?q=informationss%C3%A4kerhet");
    await fresh.waitForSelector(".hit-snippet mark");
    assert.ok(most >= 2, `at most ${most} piece asked for at a time`);
  } finally {
    await fresh.close();
    await slow.close();
  }
});

test("search works from a server without range requests", async () => {
  const plain = await serve(out, { ranges: false });
  const fresh = await browser.newPage();
  try {
    fresh.on("pageerror", (e) => errors.push(e.message));
    await fresh.goto(plain.url + "/sok/?q=informationss%C3%A4kerhet");
    await fresh.waitForSelector(".hit");
    assert.match(await fresh.locator("#search-status").textContent(), /\d+ träffar för ”informationssäkerhet”/);
    assert.ok((await fresh.locator(".hit-snippet mark").count()) > 0, "hits show their texts");
  } finally {
    await fresh.close();
    await plain.close();
  }
});

test("no script errors", () => {
  assert.deepEqual(errors, []);
});
