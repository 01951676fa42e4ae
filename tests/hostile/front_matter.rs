//! Hostile input: front matter, the model and messages: YAML nesting, slug collisions, control characters, URLs, follow-up cycles, search limits.

use super::*;

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    vec![
        // The YAML scanner is quadratic in flow depth: refused before it runs.
        error(
            "100,000 [ in a field",
            one(audit(&[("method", Some(&"[".repeat(100_000)))], "")),
            "content/a.md",
            Some(9),
            "nesting too deep",
        ),
        error(
            "100,000 nested sequence entries",
            one(audit(
                &[("themes", Some(&format!("\n  {}x", "- ".repeat(100_000))))],
                "",
            )),
            "content/a.md",
            Some(9),
            "nesting too deep",
        ),
        error(
            "one municipality spelled three ways",
            files(&[
                ("a", &[("municipality", Some("Örebro"))]),
                ("b", &[("municipality", Some("ÖREBRO"))]),
                ("c", &[("municipality", Some("Orebro"))]),
            ]),
            "content/c.md",
            None,
            "the municipality `Orebro` has the same address (`orebro`) as `Örebro` in content/a.md",
        ),
        // Håbo and Habo are two of Sweden's municipalities whose plain slugs are one:
        // each gets a page of its own.
        Case {
            name: "two municipalities whose plain slugs are one",
            setup: files(&[
                ("a", &[("municipality", Some("Håbo"))]),
                ("b", &[("municipality", Some("Habo"))]),
            ]),
            expect: Expect::SafeAnd(Box::new(|root| {
                for (slug, name) in [("haabo", "Håbo"), ("habo", "Habo")] {
                    let page = root.join("public/kommun").join(slug).join("index.html");
                    let html = std::fs::read_to_string(&page).unwrap();
                    assert!(
                        html.contains(&format!("</span> {name}</h1>")),
                        "{}",
                        page.display()
                    );
                }
            })),
            output: "public",
        },
        error(
            "a follow-up of itself",
            files(&[("a", &[("follows_up", Some("a"))])]),
            "content/a.md",
            None,
            "names this audit itself",
        ),
        error(
            "a cycle of follow-ups",
            files(&[
                ("a", &[("follows_up", Some("b"))]),
                ("b", &[("follows_up", Some("a"))]),
            ]),
            "content/b.md",
            None,
            "cycle: content/a.md → content/b.md → content/a.md",
        ),
        fm_error(
            "a control character in the front matter",
            &[("method", Some("a\u{1b}]0;x\u{7}b"))],
            9,
            "control characters are not allowed",
        ),
        fm_error(
            "terminal escapes in a YAML escape",
            &[("themes", Some(ESCAPES))],
            8,
            "unknown theme",
        ),
        config_error(
            "script URL as publisher_url",
            "publisher_url = \"javascript:alert(1)\"",
            "not a web address",
        ),
        config_error(
            "script URL as license",
            "license = \"JAVASCRIPT:alert(1)\"",
            "not a web address",
        ),
    ]
}

/// Front-matter changes, as [`audit`] takes them.
type Changes = &'static [(&'static str, Option<&'static str>)];

/// Audits `content/{name}.md`, each with its front-matter changes.
fn files(audits: &'static [(&'static str, Changes)]) -> Box<dyn Fn(&Path)> {
    Box::new(move |root| {
        for (name, changes) in audits {
            write(root, &format!("content/{name}.md"), audit(changes, ""));
        }
    })
}

/// A case whose `insyn.toml` starts with `line` (before the fixture's own keys).
fn config_error(name: &'static str, line: &'static str, says: &'static str) -> Case {
    error(
        name,
        Box::new(move |root| {
            let fixture = fs::read_to_string(common::fixture("site").join("insyn.toml")).unwrap();
            write(root, "insyn.toml", format!("{line}\n{fixture}"));
            write(root, "content/a.md", audit(&[], ""));
        }),
        "insyn.toml",
        Some(1),
        says,
    )
}

/// A theme whose YAML escapes spell terminal sequences: clear the screen, retitle the window.
const ESCAPES: &str = "[\"\\e[2J\\e]0;pwned\\a\"]";

#[test]
fn error_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::copy(
        common::fixture("site").join("insyn.toml"),
        root.join("insyn.toml"),
    )
    .unwrap();
    write(
        root,
        "content/a.md",
        audit(&[("themes", Some(ESCAPES))], ""),
    );
    let run = budget::run(&["check", "--root", &root.to_string_lossy()], root);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        !run.stderr.contains(['\u{1b}', '\u{7}']),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
        "{}",
        run.stderr
    );
}
