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
    ]
}
