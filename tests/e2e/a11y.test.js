// WCAG 2.1 AA in a real browser: axe-core on every page type (zero violations), reflow at
// 320 CSS px without horizontal scrolling, text enlarged to 200 %, and screenshots of every
// page type at 375 and 1280 px saved in tests/e2e/artifacts/ to look at.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildSite } from "./helpers.js";
import { serve } from "./server.js";
import { launch } from "./browser.js";
import { PAGE_TYPES, open } from "./pages.js";

const ARTIFACTS = join(import.meta.dirname, "artifacts");
const AXE = join(import.meta.dirname, "node_modules/axe-core/axe.min.js");
let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(buildSite());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Fails with a readable list of what axe found. */
function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\n")}`)
    .join("\n");
}

for (const type of Object.keys(PAGE_TYPES)) {
  test(`${type}: no WCAG 2.1 A/AA violations, reflows at 320 px, survives 200 % text`, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await open(page, server.url, type);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    assert.equal(result.violations.length, 0, describe(result.violations));
    assert.ok(result.passes.length > 10, "axe ran its checks");
    await page.screenshot({ path: join(ARTIFACTS, `${type}-1280.png`), fullPage: true });

    // Reflow (WCAG 1.4.10): at 320 CSS px the page itself never scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `the page is ${width} px wide at 320 px`);

    // Text at 200 % (WCAG 1.4.4): nothing is cut off and the page still does not scroll sideways.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
    const zoomed = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      h1: document.querySelector("h1").getBoundingClientRect().width > 0,
    }));
    assert.ok(zoomed.width <= 1280, `at 200 % text the page is ${zoomed.width} px wide`);
    assert.ok(zoomed.h1, "the heading is still shown");
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await open(phone, server.url, type);
    await phone.screenshot({ path: join(ARTIFACTS, `${type}-375.png`), fullPage: true });
    await phone.close();
  });
}
