//! What a reviewer still has to do: a draft (`draft: true`) and the review markers an import
//! leaves in its front matter (`# review: municipality guessed from the title page`), each
//! reported as a warning at its line, in the file's order.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The comment that marks a guess for review, in the front matter.
pub const MARKER: &str = "# review:";

/// Warnings for a draft and for each review marker of `yaml`, whose first line is line
/// `yaml_line` of `file`.
pub fn warnings(file: &Path, yaml: &str, yaml_line: usize, draft: bool) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (n, line) in yaml.split('\n').enumerate() {
        let line_no = yaml_line + n;
        if draft && line.starts_with("draft:") {
            found.push(
                Diagnostic::warning(file, "a draft: needs review before it is published")
                    .at_line(line_no, 1)
                    .field("draft")
                    .hint("`insyn build` leaves drafts out (`--drafts` builds them); remove `draft: true` once it is reviewed"),
            );
        }
        if let Some(col) = line.find(MARKER) {
            let note = line[col + MARKER.len()..].trim();
            found.push(
                Diagnostic::warning(file, format!("review: {note}"))
                    .at_line(line_no, line[..col].chars().count() + 1)
                    .hint(
                        "check the value against the report, then delete this `# review:` comment",
                    ),
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_and_markers_are_warnings_at_their_lines() {
        let yaml = "title: X\nmunicipality: Ale # review: municipality guessed from the title page\ndraft: true";
        let found = warnings(Path::new("a.md"), yaml, 2, true);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|d| !d.is_error()));
        let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(lines[0].contains("a.md:3:19"), "{lines:?}");
        assert!(lines[0].contains("municipality guessed from the title page"));
        assert!(lines[1].contains("a.md:4:1"), "{lines:?}");
        assert!(warnings(Path::new("a.md"), "draft: false", 2, false).is_empty());
    }
}
