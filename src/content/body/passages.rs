//! Passages: the text outside items (paragraphs, list items, table rows, footnotes) that the
//! search index holds, with its section; and the summary section's text.

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::footnotes::footnote_id;
use super::{Renderer, plain_text};
use crate::model::{Passage, PassageFlags};

/// A container as passage collection sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Container {
    List,
    Item,
    Table,
    Quote { editorial: bool },
}

impl<'a> Renderer<'a, '_> {
    /// Records the passage that starts at event `i`, if one does, and keeps track of the
    /// containers around it: a paragraph or code block outside lists and tables, an
    /// outermost list item, a table row, a footnote.
    pub(super) fn collect_passage(&mut self, i: usize, question: Option<&str>, in_summary: bool) {
        // Inside a list item, whose whole text is a passage already; inside a table, whose
        // rows are.
        let in_item = self.containers.contains(&Container::Item);
        let nested = in_item || self.containers.contains(&Container::Table);
        let event = self.events[i].0.clone();
        let text = match &event {
            Event::Start(Tag::List(_)) => {
                self.containers.push(Container::List);
                None
            }
            Event::Start(Tag::Table(_)) => {
                self.containers.push(Container::Table);
                None
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let editorial = *kind == Some(BlockQuoteKind::Note);
                self.containers.push(Container::Quote { editorial });
                None
            }
            Event::Start(Tag::Item) => {
                self.containers.push(Container::Item);
                (!nested).then(|| self.plain_between(i, self.end_of(i)))
            }
            Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::Table | TagEnd::BlockQuote(_)) => {
                self.containers.pop();
                None
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_)) if !nested => {
                Some(self.plain_between(i, self.end_of(i)))
            }
            Event::Start(Tag::TableHead | Tag::TableRow) if !in_item => Some(self.row_text(i)),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let label = footnote_id(label);
                // Its inner events: plain text leaves out footnote definitions.
                let text = self.plain_between(i + 1, self.end_of(i).saturating_sub(1).max(i + 1));
                let section = self.cx.text("footnotes");
                self.push_passage(text, label, section.to_string(), None, false);
                None
            }
            _ => None,
        };
        if let Some(text) = text {
            let (anchor, section) = self.section.clone();
            let question = question.map(str::to_string);
            self.push_passage(text, anchor, section, question, in_summary);
        }
    }

    fn push_passage(
        &mut self,
        text: String,
        anchor: String,
        section: String,
        question: Option<String>,
        summary: bool,
    ) {
        if text.is_empty() {
            return;
        }
        let editorial = self
            .containers
            .contains(&Container::Quote { editorial: true });
        self.passages.push(Passage {
            text,
            anchor,
            section,
            question,
            flags: PassageFlags { summary, editorial },
        });
    }

    /// The plain text of the events from `start` to `end`, both included.
    fn plain_between(&self, start: usize, end: usize) -> String {
        plain_text(self.events[start..=end].iter().map(|(e, _)| e))
    }

    /// A table row's cells, separated by ` | `.
    fn row_text(&self, i: usize) -> String {
        let end = self.end_of(i);
        let mut cells = Vec::new();
        let mut j = i + 1;
        while j < end {
            let cell_end = self.end_of(j);
            let text = self.plain_between(j, cell_end);
            if !text.is_empty() {
                cells.push(text);
            }
            j = cell_end + 1;
        }
        cells.join(" | ")
    }

    /// Records the text of a top-level paragraph or list of the summary section.
    pub(super) fn collect_summary(&mut self, i: usize) {
        if !matches!(
            self.events[i].0,
            Event::Start(Tag::Paragraph | Tag::List(_))
        ) {
            return;
        }
        let end = self.end_of(i);
        let events = &self.events[i..=end];
        match &self.events[i].0 {
            Event::Start(Tag::Paragraph) => {
                let inner: Vec<Event<'a>> = events.iter().map(|(e, _)| e.clone()).collect();
                self.summary_text.push(plain_text(&inner));
            }
            Event::Start(Tag::List(_)) => {
                let mut j = i + 1;
                while j < end {
                    let item_end = self.end_of(j);
                    let inner: Vec<Event<'a>> = self.events[j..=item_end]
                        .iter()
                        .map(|(e, _)| e.clone())
                        .collect();
                    self.summary_text.push(plain_text(&inner));
                    j = item_end + 1;
                }
            }
            _ => {}
        }
    }
}
