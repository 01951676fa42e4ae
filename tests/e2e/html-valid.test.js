// Every page is valid HTML. Every .html file of the site built from content/ and of the fixture
// site (tests/fixtures/site) goes through two validators and must get zero errors from each:
// - html-validate (configuration: .htmlvalidate.mjs): content models, nesting, implicitly
//   closed and stray elements, duplicate ids, attribute values, ARIA, id references;
// - the Nu Html Checker (vnu.jar from the vnu-jar package, run with Java), the W3C's
//   conformance checker, which also checks inside inline <svg> (html-validate skips the
//   content of foreign elements).
// The JSON-LD in <script type="application/ld+json">, which neither looks into, must parse.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { HtmlValidate, StaticConfigLoader } from "html-validate";
import vnuJar from "vnu-jar";
import config from "./.htmlvalidate.mjs";
import { buildSite, repo } from "./helpers.js";

const validator = new HtmlValidate(new StaticConfigLoader(config));
const java = process.env.JAVA || "java";

/** Every .html file under `dir`, sorted. */
function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** html-validate's errors, and JSON-LD that does not parse, as `file:line:column rule: message`. */
async function htmlValidate(out, pages) {
  const problems = [];
  for (const file of pages) {
    const name = relative(out, file);
    const html = readFileSync(file, "utf8");
    const report = await validator.validateString(html, name);
    for (const m of report.results.flatMap((r) => r.messages)) {
      problems.push(`${name}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
    for (const [, json] of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
      try {
        JSON.parse(json);
      } catch (e) {
        problems.push(`${name}: application/ld+json does not parse: ${e.message}`);
      }
    }
  }
  return problems;
}

/** The Nu Html Checker's errors (warnings and notes are not errors), in the same form. */
function nu(out, pages) {
  const args = ["-jar", String(vnuJar), "--format", "json", "--stdout", "--errors-only", "--no-langdetect"];
  const run = spawnSync(java, [...args, ...pages], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.error) {
    throw new Error(
      `the Nu Html Checker needs Java (${java}): ${run.error.message}; ` +
        "sudo apt-get install default-jre-headless, or set JAVA=/path/to/java",
    );
  }
  let messages;
  try {
    ({ messages } = JSON.parse(run.stdout));
  } catch {
    throw new Error(`the Nu Html Checker failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return messages.map((m) => {
    const name = m.url ? relative(out, fileURLToPath(m.url)) : "?";
    const kind = m.subType ? `${m.type}/${m.subType}` : m.type;
    return `${name}:${m.firstLine ?? m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"} nu ${kind}: ${m.message}`;
  });
}

for (const [site, root, minPages] of [
  ["the published audits (content/)", repo, 45],
  ["the fixture site (tests/fixtures/site)", join(repo, "tests/fixtures/site"), 20],
]) {
  test(`every page of ${site} is valid HTML`, async () => {
    const out = buildSite(root);
    const pages = htmlFiles(out);
    const all = pages.map((f) => readFileSync(f, "utf8"));
    // The validators really see the site, its inline SVG charts and its JSON-LD.
    assert.ok(pages.length >= minPages, `only ${pages.length} pages`);
    assert.ok(all.some((html) => html.includes("<svg")), "no page with an inline <svg>");
    assert.ok(all.some((html) => html.includes("application/ld+json")), "no page with JSON-LD");
    const problems = [...(await htmlValidate(out, pages)), ...nu(out, pages)];
    assert.equal(problems.length, 0, `${problems.length} HTML errors in ${pages.length} pages:\n${problems.join("\n")}`);
  });
}
