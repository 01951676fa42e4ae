//! The draft's body: the report's blocks as Markdown, every word kept as the source text has
//! it (Markdown's own characters escaped, extraction markup dropped as the fidelity check's
//! normalisation drops it), so the draft passes that check as it is.

use std::fmt::Write;

use super::blocks::{Block, Kind, plain};
use crate::content::strip_extraction_markup;

/// What the body does with a block beyond writing it.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// Blocks left out (the cover page, a table of contents): declared as omissions.
    pub omitted: Vec<bool>,
    /// A heading's attributes (`#rf1`, `.observations`), by block.
    pub attributes: Vec<Option<String>>,
}

/// The body of the draft.
pub fn body(blocks: &[Block], marks: &Marks) -> String {
    let mut out = String::new();
    let mut previous: Option<Kind> = None;
    for (i, block) in blocks.iter().enumerate() {
        if marks.omitted.get(i).copied().unwrap_or(false) {
            continue;
        }
        // A list stays one list; anything else is its own block.
        if !out.is_empty() {
            out.push_str(
                if previous == Some(Kind::Item) && block.kind == Kind::Item {
                    "\n"
                } else {
                    "\n\n"
                },
            );
        }
        match block.kind {
            Kind::Heading(level) => {
                let level = usize::from(level.clamp(1, 5)) + 1;
                let _ = write!(out, "{} {}", "#".repeat(level), inline(&block.text()));
                if let Some(Some(attrs)) = marks.attributes.get(i) {
                    let _ = write!(out, " {{{attrs}}}");
                }
            }
            Kind::Item => {
                let first = block.lines[0].trim();
                let (marker, rest) = split_marker(first);
                let _ = write!(out, "{marker} {}", line_start(&inline(rest)));
                for line in &block.lines[1..] {
                    let _ = write!(out, "\n  {}", line_start(&inline(line.trim())));
                }
            }
            Kind::Paragraph => {
                let lines: Vec<String> = block
                    .lines
                    .iter()
                    .map(|l| line_start(&inline(strip_footnote_marker(l.trim()))))
                    .filter(|l| !l.is_empty())
                    .collect();
                out.push_str(&lines.join("\n"));
            }
        }
        previous = Some(block.kind);
    }
    out.push('\n');
    out
}

/// A list item's marker as Markdown (`-`, or `3.` for a numbered one) and its text.
fn split_marker(line: &str) -> (String, &str) {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return (
            format!("{}.", &line[..digits]),
            line[digits + 2..].trim_start(),
        );
    }
    let rest = line
        .split_once(' ')
        .map_or("", |(_, rest)| rest)
        .trim_start();
    ("-".to_string(), rest)
}

/// `) `, `*) ` and `**) ` before a footnote, which the source text's normalisation drops too.
fn strip_footnote_marker(line: &str) -> &str {
    let stars = line.chars().take_while(|c| *c == '*').count();
    if stars <= 3 && line[stars..].starts_with(") ") {
        line[stars + 2..].trim_start()
    } else {
        line
    }
}

/// A line's text with the extraction markup dropped that the fidelity check's normalisation
/// drops from the source text (`<b>`, links' targets: the same code), tabs as spaces, and
/// Markdown's characters escaped.
fn inline(line: &str) -> String {
    escape(&strip_extraction_markup(line).replace('\t', " "))
}

/// Markdown's punctuation escaped with a backslash: the text reads as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if "\\`*_[]<>{}|~&#!$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line that would open a block of its own (a list, a setext underline, a quote, a code
/// block) made to continue its paragraph.
fn line_start(line: &str) -> String {
    let line = line.trim_start();
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    match line.chars().next() {
        Some('-' | '+' | '=' | '*') => format!("\\{line}"),
        _ => line.to_string(),
    }
}

/// A heading's text for the body, for detection: plain.
pub fn heading_text(block: &Block) -> String {
    plain(&block.lines.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::blocks;

    #[test]
    fn markup_is_escaped_and_extraction_markup_dropped() {
        let text = "## **1. Sammanfattning**\n\nEtt *ord* med <b>fet</b> och [länk](http://x.se) 100 %.\n1. Ett\n- Två <id> [a](#b)\n\n**) Not";
        let blocks = blocks(text);
        let md = body(&blocks, &Marks::default());
        assert_eq!(
            md,
            "### 1. Sammanfattning\n\nEtt \\*ord\\* med fet och länk 100 %.\n\n1. Ett\n- Två  \\[a\\](\\#b)\n\nNot\n"
        );
    }
}
