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
