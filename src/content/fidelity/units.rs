//! The text of an audit's body that is attributed to the auditors, as units to look for in
//! the source text: each paragraph, list item, table cell, heading and footnote on its own,
//! with its markup gone and every piece of it tied to its line in the file.
//!
//! Not attributed, and so left out: editorial notes (`> [!NOTE]`), headings with the class
//! `.editorial`, image descriptions and raw HTML.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Parser, Tag, TagEnd};

use crate::diagnostics::Position;

/// The class that marks a heading as the editors' own (`## Missiv {.editorial}`).
pub const EDITORIAL_CLASS: &str = "editorial";

/// One block of attributed text.
#[derive(Debug, Default)]
pub struct Unit {
    /// The text as the page shows it, markup removed; line breaks kept as `\n`.
    pub text: String,
    /// Where pieces of `text` start: (byte in `text`, position in the file).
    marks: Vec<(usize, Position)>,
}

impl Unit {
    /// The position in the file of byte `at` of `text`.
    pub fn position(&self, at: usize) -> Position {
        let k = self.marks.partition_point(|&(o, _)| o <= at).max(1) - 1;
        let Some(&(start, position)) = self.marks.get(k) else {
            return Position { line: 1, column: 1 };
        };
        let chars = self
            .text
            .get(start..at.max(start))
            .map_or(0, |s| s.chars().count());
        Position {
            line: position.line,
            column: position.column + chars,
        }
    }
}

/// The attributed units of `markdown`, whose first line is line `first_line` of the file.
pub fn units(markdown: &str, first_line: usize) -> Vec<Unit> {
    let lines = Lines::new(markdown, first_line);
    let mut walk = Walk::default();
    for (event, range) in
        Parser::new_ext(markdown, crate::content::body::options()).into_offset_iter()
    {
        walk.event(event, range, &lines);
    }
    walk.flush();
    walk.units
}

/// Line starts of a text, for positions (the Markdown body, or a source text).
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    /// The lines of `text`, whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            first_line,
        }
    }

    /// The line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let index = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[index];
        Position {
            line: index + self.first_line,
            column: self
                .text
                .get(start..offset)
                .map_or(1, |s| s.chars().count() + 1),
        }
    }
}

/// The walk over the events: the unit being gathered and what is being skipped.
#[derive(Default)]
struct Walk {
    units: Vec<Unit>,
    current: Unit,
    /// Open editorial notes, editorial headings and images: their text is not attributed.
    notes: usize,
    editorial_heading: bool,
    images: usize,
}

impl Walk {
    fn event(&mut self, event: Event<'_>, range: Range<usize>, lines: &Lines<'_>) {
        match event {
            Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Note))) => {
                self.flush();
                self.notes += 1;
            }
            Event::End(TagEnd::BlockQuote(Some(BlockQuoteKind::Note))) => {
                self.flush();
                self.notes = self.notes.saturating_sub(1);
            }
            Event::Start(Tag::Heading { classes, .. }) => {
                self.flush();
                self.editorial_heading = classes.iter().any(|c| c.as_ref() == EDITORIAL_CLASS);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.flush();
                self.editorial_heading = false;
            }
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            Event::Start(tag) if is_block(&tag) => self.flush(),
            Event::End(tag) if is_block_end(&tag) => self.flush(),
            Event::Text(text) | Event::Code(text) => self.text(&text, lines.position(range.start)),
            Event::SoftBreak | Event::HardBreak => self.text("\n", lines.position(range.start)),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, position: Position) {
        if self.notes > 0 || self.editorial_heading || self.images > 0 {
            return;
        }
        self.current.marks.push((self.current.text.len(), position));
        self.current.text.push_str(text);
    }

    fn flush(&mut self) {
        let unit = std::mem::take(&mut self.current);
        if !unit.text.trim().is_empty() {
            self.units.push(unit);
        }
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(markdown: &str) -> Vec<String> {
        units(markdown, 1).into_iter().map(|u| u.text).collect()
    }

    #[test]
    fn blocks_are_units_and_markup_is_gone() {
        let md = "## Rubrik\n\nEn *viktig* [mening](https://x.se)[^1].\n\n- ett\n- två\n\n| a | b |\n|---|---|\n| c | d |\n\n[^1]: En fotnot.\n";
        assert_eq!(
            texts(md),
            [
                "Rubrik",
                "En viktig mening.",
                "ett",
                "två",
                "a",
                "b",
                "c",
                "d",
                "En fotnot."
            ]
        );
    }

    #[test]
    fn editorial_text_is_left_out() {
        let md = "## Missiv {.editorial}\n\n> [!NOTE]\n> Redaktionens text.\n\nRevisorernas text.\n\n> Ett citat.\n\n![En figur](f.png)\n";
        assert_eq!(texts(md), ["Revisorernas text.", "Ett citat."]);
    }

    #[test]
    fn positions_follow_lines() {
        let md = "Första raden\nandra raden.\n\n- en punkt\n";
        let units = units(md, 10);
        let first = &units[0];
        assert_eq!(first.text, "Första raden\nandra raden.");
        assert_eq!(
            first.position(0),
            Position {
                line: 10,
                column: 1
            }
        );
        let andra = first.text.find("raden.").unwrap();
        assert_eq!(
            first.position(andra),
            Position {
                line: 11,
                column: 7
            }
        );
        assert_eq!(
            units[1].position(3),
            Position {
                line: 13,
                column: 6
            }
        );
    }
}
