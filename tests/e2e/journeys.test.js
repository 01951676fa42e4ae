// What people do: browse from the home page to one recommendation, use the search with the
// keyboard only, and use the site with JavaScript turned off.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { buildSite, insyn, repo } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";
import { PAGE_TYPES } from "./pages.js";

let server;
let browser;

before(async () => {
  server = await serve(buildSite());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("home → municipality → audit → one item's anchor", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/");
  await page.getByRole("link", { name: "Kommuner", exact: true }).first().click();
  await page.waitForURL(/\/kommun\/$/);
  await page.getByRole("link", { name: "Kungsör", exact: true }).click();
  await page.waitForURL(/\/kommun\/kungsor\/$/);
  await page.locator(".audit-card .card-title a").first().click();
  await page.waitForURL(/\/granskning\/kungsor-2020-digital-utveckling\/$/);
  const permalink = page.locator("a.item-ref[href='#rf4-o1']");
  await permalink.click();
  assert.match(page.url(), /#rf4-o1$/);
  const target = await page.evaluate(() => document.querySelector(":target")?.id);
  assert.equal(target, "rf4-o1");
  assert.match(await page.locator("#rf4-o1").textContent(), /Kommunen behöver stärka den egna kompetensen/);
  // The target is on screen.
  const box = await page.locator("#rf4-o1").boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box.y >= 0 && box.y < viewport.height, "scrolled into view");
  await page.close();
});

test("every item gets its own ready citation from cite.js, the editors' picks marked", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/granskning/kumla-2012-it-funktionens-uppdrag/");
  const items = await page.locator("li.item[id]").count();
  assert.ok(items > 10, `${items} items`);
  assert.equal(await page.locator("li.item[id] > details.cite").count(), items);
  const cite = (id) => page.locator(`#${id} > details.cite code`).textContent();
  // The page's pattern, filled in: the firm, year, title, kind, id and permalink.
  const observation = await cite("rf1-o1");
  assert.match(observation, /^KPMG \(2012\)\. IT-funktionens uppdrag, iakttagelse rf1-o1\. https?:\/\/.+\/granskning\/kumla-2012-it-funktionens-uppdrag\/#rf1-o1$/);
  assert.ok(!observation.includes("redaktionens urval"), observation);
  // Kumla's recommendations were picked out by the editors, and their citations say so.
  assert.match(await cite("rf1-r1"), /, rekommendation rf1-r1 \(redaktionens urval\)\. /);
  // The disclosure opens from the keyboard.
  await page.locator("#rf1-o1 > details.cite summary").focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#rf1-o1 > details.cite").getAttribute("open"), "");
  await page.close();
});

/** Whether the focused element shows a focus indicator. */
async function focusVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  });
}

test("the search works with the keyboard only, with visible focus", async () => {
  const page = await browser.newPage();
  await page.goto(server.url + "/");
  // First Tab: the skip link, shown on focus.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  assert.ok(await focusVisible(page));
  const skipBox = await page.locator(".skip-link").boundingBox();
  assert.ok(skipBox.y >= 0, "the skip link comes into view");
  // Tab on to the header's search box.
  let tabs = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== "header-q" && tabs++ < 10) {
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), "header-q");
  assert.ok(await focusVisible(page), "the search box shows focus");
  await page.keyboard.type("jourverksamhet");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/sok\/\?q=jourverksamhet/);
  await page.waitForSelector(".hit");
  // On the search page, Tab reaches the box, then onwards to the first result.
  await page.focus("#q");
  assert.ok(await focusVisible(page));
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => document.querySelector("#q").value === "" && !location.search.includes("q="));
  await page.keyboard.type("jourverksamhet");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".hit");
  let steps = 0;
  while (!(await page.evaluate(() => document.activeElement.matches(".hit-title a"))) && steps++ < 40) {
    await page.keyboard.press("Tab");
    assert.ok(await focusVisible(page), `focus is visible on step ${steps}`);
  }
  assert.ok(await page.evaluate(() => document.activeElement.matches(".hit-title a")), "Tab reaches the results");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/granskning\/alvesta-2017-it-verksamheten\/#rf1-o9$/);
  await page.close();
});

test("without JavaScript every browse page works and search says what it needs", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [type, path] of Object.entries(PAGE_TYPES)) {
    if (type === "search") continue;
    const response = await page.goto(server.url + path);
    assert.equal(response.status(), type === "not-found" ? 404 : 200, path);
    assert.ok((await page.locator("main h1").count()) === 1, `${path} shows its content`);
  }
  // Audit pages show every item, and say how to cite one; the theme page lists its audits,
  // the register its recommendations.
  await page.goto(server.url + PAGE_TYPES.audit);
  assert.equal(await page.locator("li.item.recommendation").count(), 45);
  assert.ok(await page.locator("#cite-items").isVisible());
  assert.equal(await page.locator("li.item details.cite").count(), 0, "citations come from cite.js");
  await page.goto(server.url + PAGE_TYPES.theme);
  assert.ok((await page.locator(".audit-card").count()) > 0);
  await page.goto(server.url + PAGE_TYPES.recommendations);
  assert.ok((await page.locator(".item-entry").count()) > 0);
  // The search page: no form that cannot work, a plain explanation, and the browse pages.
  await page.goto(server.url + "/sok/?q=s%C3%A4kerhet");
  assert.equal(await page.locator("#search-form").isVisible(), false);
  const notice = page.locator("main .notice");
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /Sökningen kräver JavaScript/);
  for (const name of ["Kommuner", "Teman", "Revisionsbyråer", "År"]) {
    assert.equal(await notice.getByRole("link", { name, exact: true }).count(), 1, name);
  }
  await context.close();
});

test("every internal link and anchor resolves (insyn check)", () => {
  const out = execFileSync(insyn, ["check", "--root", repo], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(out, "");
});
