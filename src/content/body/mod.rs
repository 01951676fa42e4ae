//! The Markdown body: rendering it to HTML and extracting its observations and recommendations.
//!
//! One pass over pulldown-cmark's events does both, so the items on the audit page and the
//! items in listings, feeds and the search index can never disagree. The rules (which
//! headings open an item section, what counts as one item, how ids are formed) are described
//! in docs/content-format.md.
//!
//! This module holds the entry point and the walk; each part of the walk has a file:
//! `headings` (sections, ids, the table of contents), `items` (observations and
//! recommendations), `passages` (text for the search index and the summary), `footnotes`
//! and `safety` (link targets and raw HTML).

mod footnotes;
mod headings;
mod items;
mod passages;
mod safety;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use self::footnotes::Footnotes;
use self::passages::Container;
use self::safety::safe_target;
use super::raw_html::{self, sanitize};
use crate::config::Language;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Body, ItemKind, Packed, Passage, Passages};
use crate::text::squash_whitespace;
use crate::translations::Translations;

/// What the renderer needs to know besides the Markdown.
pub struct BodyContext<'a> {
    /// The file, for diagnostics.
    pub file: &'a Path,
    /// The 1-based line of the body's first line in the file.
    pub first_line: usize,
    /// The audit question ids from the front matter.
    pub questions: &'a [String],
    /// Keep raw HTML as written instead of sanitising it.
    pub allow_html: bool,
    /// The language of labels the renderer writes (editorial notes, permalinks).
    pub language: Language,
    /// The theme's texts of those labels.
    pub texts: &'a Translations,
}

impl BodyContext<'_> {
    /// The theme's text of `key` in the audit's language.
    fn text<'k>(&'k self, key: &'k str) -> &'k str {
        self.texts.text(self.language, key)
    }
}

/// An item found in the body, before front-matter metadata is attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedItem {
    pub kind: ItemKind,
    pub id: String,
    pub question: Option<String>,
    pub text: String,
    pub line: usize,
}

/// The result of rendering one body.
#[derive(Debug, Default)]
pub struct Rendered {
    pub body: Body,
    pub items: Vec<ExtractedItem>,
    pub problems: Vec<Diagnostic>,
}

/// The Markdown dialect of audits. No smart punctuation: the auditors' text is quoted
/// verbatim, so a straight quote, `--` or `...` in a report stays as the report wrote it.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
}

/// An open section while walking the events.
struct Open {
    level: u8,
    question: Option<String>,
    items: Option<(ItemKind, bool)>,
    summary: bool,
}

/// Renders `markdown` and extracts its items.
pub fn render(markdown: &str, cx: &BodyContext<'_>) -> Rendered {
    Renderer::new(markdown, cx).run()
}

struct Renderer<'a, 'c> {
    cx: &'c BodyContext<'c>,
    markdown: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    /// Open containers (lists, items, quotes, tables, footnotes) before each event.
    depth: Vec<usize>,
    line_starts: Vec<usize>,
    /// Added to every heading level so the body never has an `<h1>` (the page title is it).
    shift: u8,
    ids: HashMap<String, usize>,
    out: Vec<Event<'a>>,
    result: Rendered,
    counters: BTreeMap<(Option<String>, ItemKind), usize>,
    footnotes: Footnotes<'a>,
    summary_text: Vec<String>,
    has_raw_html: bool,
    /// The anchor and text of the heading whose section the walk is in.
    section: (String, String),
    /// Containers open around the block being walked (outside items and headings, which
    /// are taken whole).
    containers: Vec<Container>,
    passages: Vec<Passage>,
}

impl<'a, 'c> Renderer<'a, 'c> {
    fn new(markdown: &'a str, cx: &'c BodyContext<'c>) -> Self {
        let events: Vec<_> = Parser::new_ext(markdown, options())
            .into_offset_iter()
            .collect();
        let mut depth = Vec::with_capacity(events.len());
        let mut open = 0usize;
        for (event, _) in &events {
            match event {
                Event::Start(tag) if is_container(tag) => {
                    depth.push(open);
                    open += 1;
                }
                Event::End(tag) if is_container_end(tag) => {
                    open = open.saturating_sub(1);
                    depth.push(open);
                }
                _ => depth.push(open),
            }
        }
        let has_h1 = events.iter().any(|(e, _)| {
            matches!(
                e,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })
            )
        });
        let line_starts = std::iter::once(0)
            .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Renderer {
            cx,
            markdown,
            events,
            depth,
            line_starts,
            shift: u8::from(has_h1),
            ids: HashMap::new(),
            out: Vec::new(),
            result: Rendered::default(),
            counters: BTreeMap::new(),
            footnotes: Footnotes::default(),
            summary_text: Vec::new(),
            has_raw_html: false,
            section: (String::new(), String::new()),
            containers: Vec::new(),
            passages: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) + self.cx.first_line - 1
    }

    /// The line and column (in characters) of byte `offset` of the Markdown.
    fn position_of(&self, offset: usize) -> Position {
        let index = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let column = self
            .markdown
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Position {
            line: self.line_of(offset),
            column,
        }
    }

    fn run(mut self) -> Rendered {
        let headings = self.headings();
        let mut open: Vec<Open> = Vec::new();
        let mut i = 0;
        while i < self.events.len() {
            if let Some(h) = headings.get(&i) {
                while open.last().is_some_and(|o| o.level >= h.level) {
                    open.pop();
                }
                open.push(Open {
                    level: h.level,
                    question: h.question.clone(),
                    items: h.items.map(|k| (k, h.list_mode)),
                    summary: h.summary,
                });
                i = self.heading(i, h);
                continue;
            }
            let question = open.iter().rev().find_map(|o| o.question.clone());
            let section = open.iter().rev().find_map(|o| o.items);
            let in_summary = open.iter().any(|o| o.summary);
            i = self.block(i, question, section, in_summary);
        }
        self.finish()
    }

    /// Handles the block starting at event `i`; returns the index after it.
    fn block(
        &mut self,
        i: usize,
        question: Option<String>,
        section: Option<(ItemKind, bool)>,
        in_summary: bool,
    ) -> usize {
        let event = self.events[i].0.clone();
        let depth = self.depth[i];
        if in_summary && depth == 0 {
            self.collect_summary(i);
        }
        let is_item = match &event {
            Event::Start(Tag::Item) => depth == 1 && section.is_some_and(|(_, list)| list),
            Event::Start(Tag::Paragraph) => depth == 0 && section.is_some_and(|(_, l)| !l),
            _ => false,
        };
        if !is_item {
            self.collect_passage(i, question.as_deref(), in_summary);
        }
        match &event {
            Event::Start(Tag::Item) if depth == 1 && section.is_some_and(|(_, list)| list) => {
                let kind = section.map(|(k, _)| k).unwrap_or(ItemKind::Observation);
                self.item(i, kind, question, "li")
            }
            Event::Start(Tag::Paragraph) if depth == 0 && section.is_some_and(|(_, l)| !l) => {
                let kind = section.map(|(k, _)| k).unwrap_or(ItemKind::Observation);
                self.item(i, kind, question, "div")
            }
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_definition(i, label),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let label = self.cx.text(note_key(*kind));
                self.out.push(Event::Html(
                    format!(
                        "<div class=\"editorial-note\" role=\"note\"><p class=\"editorial-note-label\">{label}</p>\n"
                    )
                    .into(),
                ));
                i + 1
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.out.push(Event::Html("</div>\n".into()));
                i + 1
            }
            _ => {
                self.check_block_html(i);
                let rewritten = self.rewrite_inline(vec![event]);
                self.out.extend(rewritten);
                i + 1
            }
        }
    }

    /// The index of the event that closes the one at `i`.
    fn end_of(&self, i: usize) -> usize {
        if !matches!(self.events[i].0, Event::Start(_)) {
            return i;
        }
        let mut nesting = 0usize;
        for (j, (event, _)) in self.events.iter().enumerate().skip(i) {
            match event {
                Event::Start(_) => nesting += 1,
                Event::End(_) => {
                    nesting -= 1;
                    if nesting == 0 {
                        return j;
                    }
                }
                _ => {}
            }
        }
        self.events.len() - 1
    }

    fn finish(mut self) -> Rendered {
        let mut html = String::new();
        let mut out = std::mem::take(&mut self.out);
        if self.has_raw_html && !self.cx.allow_html {
            out = raw_html::sanitize_blocks(out);
        }
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        self.push_footnotes(&mut html);
        self.result.body.html = Packed::new(&self.sanitize_if_raw(html));
        self.result.body.summary = self.summary_text.join("\n");
        self.result.body.passages = Passages::new(&self.passages);
        self.result
    }
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::List(_) | Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) | Tag::Table(_)
    )
}

fn is_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
    )
}

/// Plain text of inline and block events: text kept, markup and footnote markers dropped.
pub fn plain_text<'e, 'a: 'e>(events: impl IntoIterator<Item = &'e Event<'a>>) -> String {
    let mut text = String::new();
    let mut skip = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::FootnoteDefinition(_)) => skip += 1,
            Event::End(TagEnd::FootnoteDefinition) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::Paragraph | Tag::Item | Tag::List(_) | Tag::TableCell)
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => text.push(' '),
            _ => {}
        }
    }
    squash_whitespace(&text)
}

/// The theme's key of a note's label: `[!NOTE]` is the editors' own note.
fn note_key(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "editorial_note",
        _ => "note",
    }
}

/// Markdown that is not an audit (e.g. the site's "about" text) as sanitised HTML.
pub fn render_plain_markdown(markdown: &str) -> String {
    let mut html = String::new();
    let events = Parser::new_ext(markdown, options()).map(safe_target);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}
