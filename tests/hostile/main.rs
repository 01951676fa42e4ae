//! Hostile and broken input: every case gets a clear error (naming the file, and the line
//! where there is one) or is rendered safely — never a panic, never a write outside the
//! output folder, never an emptied or half-written previous site.
//!
//! Each case builds a fresh site over a previously built one and checks the outcome; then the
//! `insyn` binary builds it again as a child process, which must stay within the time and
//! memory budgets of [`budget`].

mod budget;
#[path = "../common/mod.rs"]
mod common;
// Cases by area (issue 11), each with its own file.
mod front_matter;
mod html;
mod index;
mod site;

use std::fs;
use std::path::{Path, PathBuf};

use insyn::pipeline::{BuildError, BuildOptions, build};

/// What a case must get.
enum Expect {
    /// A build error: in this file, at this line (when `Some`), with this in the message.
    Error {
        file: &'static str,
        line: Option<usize>,
        says: &'static str,
    },
    /// A good build with nothing unsafe in any page.
    Safe,
    /// A safe build, after which this holds of the site root.
    SafeAnd(Box<dyn Fn(&Path)>),
}

struct Case {
    name: &'static str,
    /// Writes the site's content (into the site root).
    setup: Box<dyn Fn(&Path)>,
    expect: Expect,
    /// Where the output goes, relative to the site root.
    output: &'static str,
}

const BASE: &[(&str, &str)] = &[
    ("title", "\"Granskning av IT\""),
    ("municipality", "Åre"),
    ("auditor", "pwc"),
    ("commissioned_by", "\"Revisorerna\""),
    ("date", "2020-01-01"),
    ("report_type", "granskning"),
    ("themes", "[styrning]"),
];

/// A front matter with `changes` applied (`None` removes a field) and a body.
fn audit(changes: &[(&str, Option<&str>)], body: &str) -> String {
    let mut fields: Vec<(String, String)> = BASE
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (key, value) in changes {
        fields.retain(|(k, _)| k != key);
        if let Some(v) = value {
            fields.push((key.to_string(), v.to_string()));
        }
    }
    let yaml: String = fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    format!("---\n{yaml}---\n\n{body}")
}

fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn one(text: String) -> Box<dyn Fn(&Path)> {
    Box::new(move |root| write(root, "content/a.md", &text))
}

fn fm_error(
    name: &'static str,
    changes: &'static [(&'static str, Option<&'static str>)],
    line: usize,
    says: &'static str,
) -> Case {
    Case {
        name,
        setup: one(audit(changes, "Text.\n")),
        expect: Expect::Error {
            file: "content/a.md",
            line: Some(line),
            says,
        },
        output: "public",
    }
}

fn safe(name: &'static str, setup: Box<dyn Fn(&Path)>) -> Case {
    Case {
        name,
        setup,
        expect: Expect::Safe,
        output: "public",
    }
}

fn error(
    name: &'static str,
    setup: Box<dyn Fn(&Path)>,
    file: &'static str,
    line: Option<usize>,
    says: &'static str,
) -> Case {
    Case {
        name,
        setup,
        expect: Expect::Error { file, line, says },
        output: "public",
    }
}

const XSS: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>\"><svg onload=alert(1)>";

fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Malformed YAML and wrong types.
        fm_error(
            "unclosed quote",
            &[("title", Some("\"Granskning"))],
            8,
            "found unexpected end of stream",
        ),
        fm_error(
            "bad indentation",
            &[("themes", Some("\n  - styrning\n - it"))],
            10,
            "did not find expected",
        ),
        fm_error(
            "tab indentation",
            &[("questions", Some("\n\t- id: rf1"))],
            10,
            "cannot start any token",
        ),
        fm_error(
            "unclosed flow map",
            &[("assessment", Some("{ level: uppfyllt"))],
            10,
            "",
        ),
        fm_error(
            "title is a list",
            &[("title", Some("[a, b]"))],
            8,
            "expected a string",
        ),
        fm_error(
            "themes is a string",
            &[("themes", Some("styrning"))],
            8,
            "expected a sequence",
        ),
        fm_error(
            "pages is text",
            &[("pages", Some("många"))],
            9,
            "expected u32",
        ),
        fm_error("pages is negative", &[("pages", Some("-3"))], 9, ""),
        fm_error("date is a number", &[("date", Some("2017"))], 8, "date"),
        fm_error(
            "questions is a map",
            &[("questions", Some("{ rf1: x }"))],
            9,
            "expected a sequence",
        ),
        fm_error(
            "missing title",
            &[("title", None)],
            1,
            "missing required field `title`",
        ),
        fm_error(
            "impossible date",
            &[("date", Some("2017-02-30"))],
            8,
            "28 days",
        ),
        fm_error(
            "date in another format",
            &[("date", Some("06/02/2017"))],
            8,
            "expected YYYY-MM-DD",
        ),
        fm_error(
            "year out of range",
            &[("date", Some("99999-01-01"))],
            8,
            "not a date",
        ),
        fm_error(
            "unknown theme",
            &[("themes", Some("[styrning, hemligheter]"))],
            8,
            "unknown theme `hemligheter`",
        ),
        fm_error(
            "unknown firm",
            &[("auditor", Some("Deloitte"))],
            8,
            "unknown audit firm",
        ),
        fm_error(
            "unknown field",
            &[("municipalty", Some("Åre"))],
            9,
            "unknown field `municipalty`",
        ),
        fm_error(
            "unknown report type",
            &[("report_type", Some("revision"))],
            8,
            "unknown variant",
        ),
        fm_error(
            "unknown assessment level",
            &[("assessment", Some("{ level: bra, basis: stated }"))],
            9,
            "unknown variant",
        ),
        fm_error(
            "status updates without follow-up",
            &[("status_updates", Some("{ r1: { status: genomförd } }"))],
            9,
            "without follows_up",
        ),
        fm_error(
            "duplicate question ids",
            &[(
                "questions",
                Some("[{id: rf1, text: a}, {id: rf1, text: b}]"),
            )],
            9,
            "used twice",
        ),
        fm_error(
            "item metadata for no item",
            &[("items", Some("{ rf9-r1: { status: öppen } }"))],
            9,
            "no observation or recommendation `rf9-r1`",
        ),
        fm_error(
            "path in the id",
            &[("id", Some("../../etc/passwd"))],
            9,
            "cannot be an audit id",
        ),
        fm_error(
            "upper-case id",
            &[("id", Some("Alvesta2017"))],
            9,
            "`Alvesta2017` cannot be an audit id",
        ),
        fm_error(
            "script URL as source",
            &[("source", Some("{ url: \"javascript:alert(1)\" }"))],
            9,
            "not a web address",
        ),
        fm_error(
            "source file outside static",
            &[("source", Some("{ file: ../../insyn.toml }"))],
            9,
            "inside the site's static/ folder",
        ),
        fm_error(
            "script URL as evidence",
            &[(
                "items",
                Some("{ r1: { evidence: \"javascript:alert(1)\" } }"),
            )],
            9,
            "not a web address",
        ),
        fm_error(
            "empty title",
            &[("title", Some("\"  \""))],
            8,
            "must not be empty",
        ),
        fm_error("no themes", &[("themes", Some("[]"))], 8, "lists no theme"),
        fm_error("front matter is a list", &[("- a", Some("b"))], 9, ""),
        error(
            "duplicate field",
            one("---\ntitle: A\ntitle: B\n---\n".into()),
            "content/a.md",
            Some(3),
            "duplicate entry with key",
        ),
        error(
            "front matter is a scalar",
            one("---\njust text\n---\n".into()),
            "content/a.md",
            None,
            "",
        ),
        error(
            "empty file",
            one(String::new()),
            "content/a.md",
            Some(1),
            "the file is empty",
        ),
        error(
            "no front matter",
            one("# Rubrik\n\nText.\n".into()),
            "content/a.md",
            Some(1),
            "does not start with front matter",
        ),
        error(
            "unclosed front matter",
            one("---\ntitle: x\n\n# Rubrik\n".into()),
            "content/a.md",
            Some(1),
            "not closed",
        ),
        error(
            "not UTF-8",
            Box::new(|root| write(root, "content/a.md", b"---\ntitle: \"G\xf6teborg\"\n---\n")),
            "content/a.md",
            Some(2),
            "not valid UTF-8",
        ),
        error(
            "a 50 MB file",
            Box::new(|root| {
                let mut text = audit(&[], "");
                text.push_str(&"Lång text. ".repeat(50 * 1024 * 1024 / 11));
                write(root, "content/a.md", text);
            }),
            "content/a.md",
            None,
            "at most 10 MB",
        ),
        error(
            "duplicate ids across files",
            Box::new(|root| {
                write(root, "content/a.md", audit(&[("id", Some("samma"))], ""));
                write(root, "content/b/c.md", audit(&[("id", Some("samma"))], ""));
            }),
            "content/b/c.md",
            Some(1),
            "used twice",
        ),
        error(
            "follow-up of nothing",
            one(audit(&[("follows_up", Some("finns-inte"))], "")),
            "content/a.md",
            None,
            "not an audit on this site",
        ),
        error(
            "unknown question in a heading",
            one(audit(&[], "## X {question=rf7}\n")),
            "content/a.md",
            Some(11),
            "does not define",
        ),
        error(
            "markup in a heading id",
            one(audit(&[], "## X {#a\"onclick=alert(1)}\n")),
            "content/a.md",
            Some(11),
            "cannot be an anchor",
        ),
        error(
            "duplicate anchors",
            one(audit(&[], "## A {#x}\n\n## B {#x}\n")),
            "content/a.md",
            Some(13),
            "used twice",
        ),
        error(
            "a symbolic link out of the content folder",
            Box::new(|root| {
                write(root, "outside.md", audit(&[], "Hemligt."));
                std::os::unix::fs::symlink(root.join("outside.md"), root.join("content/a.md"))
                    .unwrap();
            }),
            "content/a.md",
            None,
            "may not be symbolic links",
        ),
        // Rendered safely.
        safe(
            "byte-order mark",
            one(format!("\u{feff}{}", audit(&[], "Text.\n"))),
        ),
        safe(
            "CRLF line ends",
            one(audit(&[], "## Rekommendationer\n\n- Gör något.\n").replace('\n', "\r\n")),
        ),
        safe("front matter only", one(audit(&[], ""))),
        safe(
            "deeply nested lists",
            one(audit(
                &[],
                &(0..1000)
                    .map(|i| format!("{}- nivå {i}\n", "  ".repeat(i)))
                    .collect::<String>(),
            )),
        ),
        safe(
            "deeply nested quotes",
            one(audit(&[], &format!("{} djupt\n", ">".repeat(10_000)))),
        ),
        safe(
            "thousands of headings",
            one(audit(
                &[],
                &(0..5000)
                    .map(|i| format!("## Rubrik {i}\n\nText.\n\n"))
                    .collect::<String>(),
            )),
        ),
        safe(
            "thousands of items",
            one(audit(
                &[],
                &format!("## Rekommendationer\n\n{}", "- Gör något.\n".repeat(2_000)),
            )),
        ),
        safe(
            "a very long title",
            one(audit(
                &[("title", Some(&format!("\"{}\"", "Lång ".repeat(20_000))))],
                "",
            )),
        ),
        safe(
            "script in every front-matter field",
            one(audit(
                &[
                    ("title", Some(&yaml(XSS))),
                    ("municipality", Some(&yaml(&format!("Åre{XSS}")))),
                    ("county", Some(&yaml(XSS))),
                    ("commissioned_by", Some(&yaml(XSS))),
                    ("audited_body", Some(&yaml(XSS))),
                    ("authors", Some(&format!("[{}]", yaml(XSS)))),
                    ("method", Some(&yaml(XSS))),
                    ("scope", Some(&yaml(XSS))),
                    ("period", Some(&yaml(XSS))),
                    ("source", Some(&format!("{{ note: {} }}", yaml(XSS)))),
                    (
                        "assessment",
                        Some(&format!(
                            "{{ level: uppfyllt, basis: stated, quote: {}, note: {} }}",
                            yaml(XSS),
                            yaml(XSS)
                        )),
                    ),
                    (
                        "questions",
                        Some(&format!("[{{ id: rf1, text: {} }}]", yaml(XSS))),
                    ),
                    ("response", Some(&format!("{{ recipient: {} }}", yaml(XSS)))),
                    (
                        "items",
                        Some(&format!("{{ rf1-r1: {{ addressee: {} }} }}", yaml(XSS))),
                    ),
                ],
                "## Fråga {#rf1}\n\n### Rekommendationer\n\n- Gör något.\n",
            )),
        ),
        safe(
            "script in the body",
            one(audit(
                &[],
                &format!(
                    "Text {XSS}\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<div onmouseover=\"alert(1)\">x</div>\n"
                ),
            )),
        ),
        safe(
            "script links in the body",
            one(audit(
                &[],
                "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,<script>alert(1)</script>) [d](vbscript:x) ![e](javascript:alert(1))\n",
            )),
        ),
        safe(
            "quotes in a link title",
            one(audit(
                &[],
                "[a](https://x.se \"t\\\" onclick=\\\"alert(1)\")\n",
            )),
        ),
        safe(
            "script in an item",
            one(audit(&[], &format!("## Rekommendationer\n\n- {XSS}\n"))),
        ),
        safe(
            "markup in a footnote label",
            one(audit(
                &[],
                "Text[^\"><script>alert(1)</script>].\n\n[^\"><script>alert(1)</script>]: Not.\n",
            )),
        ),
        safe(
            "dots in a municipality",
            one(audit(&[("municipality", Some("\"../../etc\""))], "")),
        ),
        safe(
            "dots in links",
            one(audit(
                &[],
                "[upp](../../../../etc/passwd) [ner](./x/../y)\n",
            )),
        ),
        safe(
            "control and bidirectional characters",
            one(audit(
                &[("municipality", Some("\"Å\u{202e}re\u{200b}\""))],
                "Text\u{0} med \u{7} tecken.\n",
            )),
        ),
        safe(
            "a linked folder is not followed",
            Box::new(|root| {
                write(root, "content/a.md", audit(&[], ""));
                fs::create_dir_all(root.join("elsewhere")).unwrap();
                write(root, "elsewhere/b.md", "not front matter");
                std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/linked"))
                    .unwrap();
            }),
        ),
    ];
    for (name, output, says) in [
        (
            "output into the content folder",
            "content",
            "inside the site's content/ folder",
        ),
        (
            "output is the site root",
            ".",
            "would contain the site itself",
        ),
        (
            "output above the site root",
            "..",
            "would contain the site itself",
        ),
        ("output is a file", "insyn.toml", "not a folder"),
    ] {
        cases.push(Case {
            name,
            setup: one(audit(&[], "")),
            expect: Expect::Error {
                file: "",
                line: None,
                says,
            },
            output,
        });
    }
    cases.push(safe(
        "one 100,000-letter word in an item (compound splitting is bounded)",
        one(audit(
            &[],
            &format!(
                "## Iakttagelser\n\n- {}\n",
                "informationssäkerhet".repeat(5_000)
            ),
        )),
    ));
    for more in [
        front_matter::cases(),
        index::cases(),
        html::cases(),
        site::cases(),
    ] {
        cases.extend(more);
    }
    cases
}

fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    common::files(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap();
            (PathBuf::from(f), bytes)
        })
        .collect()
}

/// The tags of an HTML text: `(name, [(attribute, value)])`. Text (where markup is escaped
/// as `&lt;`) is skipped; attribute values are read with their quotes, so an escaped quote
/// inside a value cannot pass for a new attribute.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut s = &rest[name.len()..];
        let mut attrs = Vec::new();
        loop {
            s = s.trim_start();
            if s.is_empty() || s.starts_with('>') || s.starts_with("/>") {
                break;
            }
            let attr: String = s
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=' && *c != '>')
                .collect();
            s = &s[attr.len()..];
            let mut value = String::new();
            if let Some(after) = s.strip_prefix('=') {
                let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
                let body = &after[quote.map_or(0, |q| q.len_utf8())..];
                let end = match quote {
                    Some(q) => body.find(q).unwrap_or(body.len()),
                    None => body
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(body.len()),
                };
                value = body[..end].to_string();
                s = &body[(end + quote.map_or(0, |q| q.len_utf8())).min(body.len())..];
            }
            if attr.is_empty() {
                s = &s[s.chars().next().map_or(0, char::len_utf8)..];
                continue;
            }
            attrs.push((attr.to_lowercase(), value));
        }
        out.push((name.to_lowercase(), attrs));
    }
    out
}

/// Checks a built site for anything that could run script: script elements other than the
/// theme's, frames, event-handler attributes, and script URLs.
fn assert_safe(out: &Path, name: &str) {
    for f in common::files(out).iter().filter(|f| f.ends_with(".html")) {
        let html = fs::read_to_string(out.join(f)).unwrap();
        for (tag, attrs) in tags(&html) {
            assert!(
                !matches!(tag.as_str(), "iframe" | "object" | "embed"),
                "{name}: <{tag}> in {f}"
            );
            if tag == "script" {
                // The theme's module script, its JSON strings, the audit's JSON-LD (data,
                // not script, with `<` escaped so no text can close the element early), and
                // the theme's citation script on audit pages.
                let ours = attrs.iter().any(|(a, v)| {
                    (a == "type" && (v == "module" || v == "application/ld+json"))
                        || (a == "id" && v == "search-strings")
                        || (a == "src" && v.starts_with("/insyn/cite.js?v="))
                });
                assert!(ours, "{name}: a foreign <script> in {f}: {attrs:?}");
            }
            for (attr, value) in &attrs {
                assert!(!attr.starts_with("on"), "{name}: <{tag} {attr}=…> in {f}");
                let v = value.to_lowercase().replace(char::is_whitespace, "");
                if matches!(attr.as_str(), "href" | "src" | "action") {
                    for scheme in ["javascript:", "vbscript:", "data:text/html"] {
                        assert!(!v.starts_with(scheme), "{name}: {attr}={value} in {f}");
                    }
                }
            }
        }
    }
}

#[test]
fn hostile_inputs_get_a_clear_error_or_a_safe_site() {
    let all = cases();
    assert!(all.len() >= 50, "the corpus has {} cases", all.len());
    let mut failures = Vec::new();
    let mut measured = Vec::new();
    for case in all {
        let name = case.name;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(case))) {
            Ok(m) => measured.push((name, m.elapsed, m.max_rss)),
            Err(why) => failures.push(
                why.downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "panic".into()),
            ),
        }
    }
    report_budgets(&mut measured);
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Seeds too large slow the fuzzer down more than they help it.
const MAX_SEED: u64 = 64 * 1024;

/// With `INSYN_FUZZ_SEEDS` set (to `fuzz/seeds`, see `scripts/fuzz-seeds`), writes the case's
/// audits as seeds of the front_matter and body fuzz targets, named by the case.
fn seed(case: &str, root: &Path) {
    let Some(seeds) = std::env::var_os("INSYN_FUZZ_SEEDS").map(PathBuf::from) else {
        return;
    };
    let slug: String = case
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    for (n, file) in common::files(&root.join("content")).iter().enumerate() {
        let path = root.join("content").join(file);
        if !file.ends_with(".md") || fs::metadata(&path).map_or(true, |m| m.len() > MAX_SEED) {
            continue;
        }
        for target in ["front_matter", "body"] {
            write(
                &seeds,
                &format!("{target}/hostile-{slug}-{n}.md"),
                fs::read(&path).unwrap(),
            );
        }
    }
}

/// Prints the cases that came nearest the time and memory budgets (`--nocapture` shows it).
fn report_budgets(measured: &mut [(&str, std::time::Duration, u64)]) {
    measured.sort_by_key(|m| std::cmp::Reverse(m.1));
    for (name, elapsed, _) in measured.iter().take(3) {
        println!("slowest: {:.2} s  {name}", elapsed.as_secs_f64());
    }
    measured.sort_by_key(|m| std::cmp::Reverse(m.2));
    for (name, _, rss) in measured.iter().take(3) {
        println!("most memory: {} MB  {name}", rss >> 20);
    }
}

/// Builds `case` in-process and checks the outcome, then again with the binary under the
/// budgets; what that run measured.
fn run(case: Case) -> budget::Measured {
    {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::copy(
            common::fixture("site").join("insyn.toml"),
            root.join("insyn.toml"),
        )
        .unwrap();
        // A previous good site, which a failed build must leave as it was.
        write(
            &root,
            "content/ok.md",
            audit(&[("id", Some("tidigare"))], "Tidigare.\n"),
        );
        let options = BuildOptions {
            root: root.clone(),
            output: Some(PathBuf::from(case.output)),
            base_url: None,
            drafts: false,
        };
        let before = if case.output == "public" {
            build(&options).unwrap_or_else(|e| panic!("{}: the previous site: {e:?}", case.name));
            snapshot(&root.join("public"))
        } else {
            Vec::new()
        };
        fs::remove_file(root.join("content/ok.md")).unwrap();
        (case.setup)(&root);
        seed(case.name, &root);
        let outside_before = snapshot(dir.path());
        let result = std::panic::catch_unwind(|| build(&options));
        let result = result.unwrap_or_else(|_| panic!("{}: the build panicked", case.name));
        match (case.expect, result) {
            (Expect::Safe, Ok(_)) => assert_safe(&root.join("public"), case.name),
            (Expect::SafeAnd(check), Ok(_)) => {
                assert_safe(&root.join("public"), case.name);
                check(&root);
            }
            (Expect::Safe | Expect::SafeAnd(_), Err(e)) => {
                panic!("{}: expected a safe build, got {e:?}", case.name)
            }
            (Expect::Error { .. }, Ok(_)) => {
                panic!("{}: expected an error, the build succeeded", case.name)
            }
            (Expect::Error { .. }, Err(BuildError::Output(d))) => {
                panic!("{}: expected a content error, got {d:?}", case.name)
            }
            (Expect::Error { file, line, says }, Err(BuildError::Content(problems))) => {
                let found = problems.iter().any(|d| {
                    (file.is_empty() || d.file == Path::new(file))
                        && line.is_none_or(|l| d.position.map(|p| p.line) == Some(l))
                        && d.message.to_lowercase().contains(&says.to_lowercase())
                });
                let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
                assert!(
                    found,
                    "{}: no error in {file}:{line:?} saying `{says}`; got {all:#?}",
                    case.name
                );
                if case.output == "public" {
                    assert_eq!(
                        snapshot(&root.join("public")),
                        before,
                        "{}: the previous site changed",
                        case.name
                    );
                }
                // Nothing appeared or changed outside the output folder.
                let outside_after = snapshot(dir.path());
                let strip = |s: Vec<(PathBuf, Vec<u8>)>| -> Vec<PathBuf> {
                    s.into_iter()
                        .map(|(p, _)| p)
                        .filter(|p| !p.starts_with("site/public"))
                        .collect()
                };
                assert_eq!(
                    strip(outside_after),
                    strip(outside_before),
                    "{}: files appeared outside the output",
                    case.name
                );
            }
        }
        let root_arg = root.to_string_lossy().into_owned();
        budget::run(
            &[
                "build",
                "--quiet",
                "--root",
                &root_arg,
                "--output",
                "budget-out",
            ],
            &root,
        )
        .assert_within_budget(case.name)
    }
}
