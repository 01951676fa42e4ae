//! The Markdown body: rendering it to HTML and extracting its observations and recommendations.
//!
//! One pass over pulldown-cmark's events does both, so the items on the audit page and the
//! items in listings, feeds and the search index can never disagree. The rules (which
//! headings open an item section, what counts as one item, how ids are formed) are described
//! in docs/content-format.md.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::raw_html::{self, sanitize};
use crate::config::Language;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Body, ItemKind, Packed, Passage, PassageFlags, Passages, TocEntry};
use crate::text::{slugify, squash_whitespace};

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

/// The Markdown dialect of audits.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
}

/// Names of headings that open an item section (compared case-insensitively).
const OBSERVATION_HEADINGS: &[&str] = &[
    "iakttagelser",
    "observationer",
    "väsentliga iakttagelser",
    "observations",
];
const RECOMMENDATION_HEADINGS: &[&str] = &["rekommendationer", "recommendations"];
const SUMMARY_HEADINGS: &[&str] = &["sammanfattning", "summary"];

/// A heading as the section logic sees it.
#[derive(Clone, Debug)]
struct Heading {
    level: u8,
    question: Option<String>,
    items: Option<ItemKind>,
    summary: bool,
    /// Item sections only: whether items are list items (true) or paragraphs.
    list_mode: bool,
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

/// A container as passage collection sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    List,
    Item,
    Table,
    Quote { editorial: bool },
}

#[derive(Default)]
struct Footnotes<'a> {
    /// label → number, in order of first reference.
    numbers: HashMap<String, usize>,
    references: HashMap<String, usize>,
    definitions: BTreeMap<usize, (String, Vec<Event<'a>>)>,
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

    /// Classifies every heading and finds where its section ends.
    fn headings(&mut self) -> HashMap<usize, Heading> {
        let starts: Vec<(usize, u8)> = self
            .events
            .iter()
            .enumerate()
            .filter_map(|(i, (e, _))| match e {
                Event::Start(Tag::Heading { level, .. }) => Some((i, *level as u8)),
                _ => None,
            })
            .collect();
        let mut headings = HashMap::new();
        for (n, &(i, level)) in starts.iter().enumerate() {
            let end = starts[n + 1..]
                .iter()
                .find(|&&(_, l)| l <= level)
                .map_or(self.events.len(), |&(j, _)| j);
            let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = self.events[i].0.clone()
            else {
                continue;
            };
            let text = heading_text(&self.events[i..end]).to_lowercase();
            let has_class = |c: &str| classes.iter().any(|k| k.as_ref() == c);
            let items =
                if has_class("observations") || OBSERVATION_HEADINGS.contains(&text.as_str()) {
                    Some(ItemKind::Observation)
                } else if has_class("recommendations")
                    || RECOMMENDATION_HEADINGS.contains(&text.as_str())
                {
                    Some(ItemKind::Recommendation)
                } else {
                    None
                };
            let question = self.question_of(i, id.as_deref(), &attrs);
            let list_mode = items.is_some()
                && (i..end).any(|j| {
                    self.depth[j] == 0 && matches!(self.events[j].0, Event::Start(Tag::List(_)))
                });
            headings.insert(
                i,
                Heading {
                    level,
                    question,
                    items,
                    summary: has_class("summary") || SUMMARY_HEADINGS.contains(&text.as_str()),
                    list_mode,
                },
            );
        }
        headings
    }

    /// The question a heading opens: its id if that is a question id, or its `question=` attribute.
    fn question_of(
        &mut self,
        i: usize,
        id: Option<&str>,
        attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
    ) -> Option<String> {
        if let Some(id) = id.filter(|id| self.cx.questions.iter().any(|q| q == id)) {
            return Some(id.to_string());
        }
        let named = attrs
            .iter()
            .find(|(k, _)| k.as_ref() == "question")
            .map(|(_, v)| v.as_deref().unwrap_or("").to_string())?;
        if self.cx.questions.contains(&named) {
            return Some(named);
        }
        let line = self.line_of(self.events[i].1.start);
        let known = if self.cx.questions.is_empty() {
            "the front matter lists no questions".to_string()
        } else {
            format!("the questions are: {}", self.cx.questions.join(", "))
        };
        self.result.problems.push(
            Diagnostic::error(
                self.cx.file,
                format!("the heading names the audit question `{named}`, which the front matter does not define"),
            )
            .at_line(line, 1)
            .hint(known),
        );
        None
    }

    /// Emits a heading; returns the index after it.
    fn heading(&mut self, i: usize, h: &Heading) -> usize {
        let end = self.end_of(i);
        let Event::Start(Tag::Heading { id, classes, .. }) = self.events[i].0.clone() else {
            unreachable!("heading() is called on heading starts")
        };
        let inner: Vec<Event<'a>> = self.events[i + 1..end]
            .iter()
            .map(|(e, _)| e.clone())
            .collect();
        let text = plain_text(&inner);
        let line = self.line_of(self.events[i].1.start);
        let id = match id {
            Some(id) if is_anchor(&id) => {
                let id = id.to_string();
                self.claim_id(&id, line);
                id
            }
            Some(id) => {
                self.result.problems.push(
                    Diagnostic::error(self.cx.file, format!("`{id}` cannot be an anchor"))
                        .at_line(line, 1)
                        .hint("heading ids are letters a–z, digits, `-` and `_`, e.g. {#rf3}"),
                );
                self.fresh_id(&text)
            }
            None => self.fresh_id(&text),
        };
        if let Some(q) = &h.question {
            self.result
                .body
                .question_anchors
                .entry(q.clone())
                .or_insert_with(|| id.clone());
        }
        self.section = (id.clone(), text.clone());
        let level = (h.level + self.shift).min(6);
        if (2..=3).contains(&level) {
            self.result.body.toc.push(TocEntry {
                level,
                id: id.clone(),
                text: text.clone(),
            });
        }
        let class = if classes.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = classes.iter().map(|c| slugify(c)).collect();
            format!(" class=\"{}\"", names.join(" "))
        };
        self.out
            .push(Event::Html(format!("<h{level} id=\"{id}\"{class}>").into()));
        let inner = self.strip_raw(inner);
        self.out.extend(inner);
        self.out.push(Event::Html(format!("</h{level}>\n").into()));
        end + 1
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
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let end = self.end_of(i);
                let inner: Vec<Event<'a>> = self.events[i + 1..end]
                    .iter()
                    .map(|(e, _)| e.clone())
                    .collect();
                let number = self.footnote_number(label);
                let inner = self.rewrite_inline(inner);
                self.footnotes
                    .definitions
                    .insert(number, (footnote_id(label), inner));
                end + 1
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let label = note_label(*kind, self.cx.language);
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

    /// Records the passage that starts at event `i`, if one does, and keeps track of the
    /// containers around it: a paragraph or code block outside lists and tables, an
    /// outermost list item, a table row, a footnote.
    fn collect_passage(&mut self, i: usize, question: Option<&str>, in_summary: bool) {
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
                let section = match self.cx.language {
                    Language::Sv => "Fotnoter",
                    Language::En => "Footnotes",
                };
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
    fn collect_summary(&mut self, i: usize) {
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

    /// Emits one observation or recommendation wrapped in an element with its id.
    fn item(&mut self, i: usize, kind: ItemKind, question: Option<String>, element: &str) -> usize {
        let end = self.end_of(i);
        let inner: Vec<Event<'a>> = self.events[i + 1..end]
            .iter()
            .map(|(e, _)| e.clone())
            .collect();
        let n = self
            .counters
            .entry((question.clone(), kind))
            .and_modify(|n| *n += 1)
            .or_insert(1);
        let id = match &question {
            Some(q) => format!("{q}-{}{n}", kind.letter()),
            None => format!("{}{n}", kind.letter()),
        };
        let line = self.line_of(self.events[i].1.start);
        self.claim_id(&id, line);
        self.check_item_html(i + 1..end, &id);
        let text = plain_text(&inner);
        let label = format!("{} {id}", permalink_label(kind, self.cx.language));
        let (open, close) = if element == "li" {
            (
                format!("<li id=\"{id}\" class=\"item {}\">", kind.key()),
                "</li>\n",
            )
        } else {
            (
                format!("<div id=\"{id}\" class=\"item {}\">", kind.key()),
                "</div>\n",
            )
        };
        self.out.push(Event::Html(open.into()));
        self.out
            .push(Event::Html("<div class=\"item-text\">".into()));
        if element == "div" {
            self.out.push(Event::Start(Tag::Paragraph));
        }
        let raw = raw_html::has_raw(&inner);
        let inner = self.rewrite_inline(inner);
        if raw && !self.cx.allow_html {
            // On its own, so that nothing in it reaches the item's wrapper or the page.
            let html = raw_html::sanitized_html(inner.into_iter());
            self.out.push(Event::Html(html.into()));
        } else {
            self.out.extend(inner);
        }
        if element == "div" {
            self.out.push(Event::End(TagEnd::Paragraph));
        }
        self.out.push(Event::Html(
            format!(
                "</div><a class=\"item-ref\" href=\"#{id}\" aria-label=\"{label}\">{id}</a>{close}"
            )
            .into(),
        ));
        self.result.items.push(ExtractedItem {
            kind,
            id,
            question,
            text,
            line,
        });
        end + 1
    }

    /// Reports raw HTML in the item made of the events `range` that could not stand as
    /// written: it is an error with `allow_html` (the item would break the page), else the
    /// item is sanitised on its own and `check` reports it.
    fn check_item_html(&mut self, range: Range<usize>, id: &str) {
        let raw: Vec<(&str, usize)> = self.events[range]
            .iter()
            .filter_map(|(e, span)| match e {
                Event::Html(h) | Event::InlineHtml(h) => Some((h.as_ref(), span.start)),
                _ => None,
            })
            .collect();
        let Some(&(_, at)) = raw.first() else {
            return;
        };
        let Some(problem) = raw_html::item_problem(raw.iter().map(|r| r.0), self.cx.allow_html)
        else {
            return;
        };
        let diagnostic = Diagnostic::error(self.cx.file, format!("item {id}: {problem}"))
            .at(Some(self.position_of(at)))
            .hint("write the characters as text (`\\<` or `&lt;`), or close the element in the same item");
        let diagnostic = if self.cx.allow_html {
            diagnostic
        } else {
            diagnostic.failing_check()
        };
        self.result.problems.push(diagnostic);
    }

    /// Reports an element outside items whose text the sanitiser would drop or garble.
    fn check_block_html(&mut self, i: usize) {
        if self.cx.allow_html {
            return;
        }
        let (Event::Html(h) | Event::InlineHtml(h)) = &self.events[i].0 else {
            return;
        };
        if let Some(problem) = raw_html::raw_text_problem(h) {
            let at = self.position_of(self.events[i].1.start);
            self.result.problems.push(
                Diagnostic::error(self.cx.file, problem)
                    .at(Some(at))
                    .hint("write the characters as text (`\\<` or `&lt;`), or remove the element")
                    .failing_check(),
            );
        }
    }

    /// Rewrites inline events for the page: footnote references become numbered links,
    /// unsafe link targets are neutralised, raw HTML is noted for sanitising.
    fn rewrite_inline(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            match event {
                Event::FootnoteReference(label) => {
                    let number = self.footnote_number(&label);
                    let count = self
                        .footnotes
                        .references
                        .entry(label.to_string())
                        .or_insert(0);
                    *count += 1;
                    let base = footnote_id(&label);
                    let ref_id = if *count == 1 {
                        format!("ref-{base}")
                    } else {
                        format!("ref-{base}-{count}")
                    };
                    out.push(Event::Html(
                        format!(
                            "<sup class=\"footnote-ref\"><a href=\"#{base}\" id=\"{ref_id}\">{number}</a></sup>"
                        )
                        .into(),
                    ));
                }
                other => out.extend(self.strip_raw(vec![other])),
            }
        }
        out
    }

    /// Neutralises dangerous link targets and records raw HTML.
    fn strip_raw(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|event| match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    self.has_raw_html = true;
                    event
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                }),
                other => other,
            })
            .collect()
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.numbers.len() + 1;
        *self
            .footnotes
            .numbers
            .entry(label.to_string())
            .or_insert(next)
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

    /// Records an id, reporting it when it is already taken on the page.
    fn claim_id(&mut self, id: &str, line: usize) {
        if let Some(first) = self.ids.insert(id.to_string(), line) {
            self.result.problems.push(
                Diagnostic::error(self.cx.file, format!("the anchor `{id}` is used twice"))
                    .at_line(line, 1)
                    .hint(format!(
                        "line {first} uses it first; give one of the headings another {{#id}}"
                    )),
            );
        }
    }

    /// A heading id from its text, unique on the page.
    fn fresh_id(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "avsnitt".to_string(),
            s => s,
        };
        let mut candidate = base.clone();
        let mut n = 1;
        while self.ids.contains_key(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.ids.insert(candidate.clone(), 0);
        candidate
    }

    fn sanitize_if_raw(&self, html: String) -> String {
        if self.has_raw_html && !self.cx.allow_html {
            sanitize(&html)
        } else {
            html
        }
    }

    fn finish(mut self) -> Rendered {
        let mut html = String::new();
        let mut out = std::mem::take(&mut self.out);
        if self.has_raw_html && !self.cx.allow_html {
            out = raw_html::sanitize_blocks(out);
        }
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        let definitions = std::mem::take(&mut self.footnotes.definitions);
        if !definitions.is_empty() {
            let heading = match self.cx.language {
                Language::Sv => "Fotnoter",
                Language::En => "Footnotes",
            };
            let back = match self.cx.language {
                Language::Sv => "Tillbaka till texten",
                Language::En => "Back to the text",
            };
            html.push_str(&format!(
                "<section class=\"footnotes\" aria-label=\"{heading}\">\n<ol>\n"
            ));
            for (_, (id, events)) in definitions {
                let mut inner = String::new();
                if raw_html::has_raw(&events) && !self.cx.allow_html {
                    inner = raw_html::sanitized_html(events.into_iter());
                } else {
                    pulldown_cmark::html::push_html(&mut inner, events.into_iter());
                }
                html.push_str(&format!(
                    "<li id=\"{id}\">{inner}<a class=\"footnote-back\" href=\"#ref-{id}\" aria-label=\"{back}\">↩</a></li>\n"
                ));
            }
            html.push_str("</ol>\n</section>\n");
        }
        for label in self.footnotes.numbers.keys() {
            if !self.footnotes.references.contains_key(label) {
                continue;
            }
        }
        self.result.body.html = Packed::new(&self.sanitize_if_raw(html));
        self.result.body.summary = self.summary_text.join("\n");
        self.result.body.passages = Passages::new(&self.passages);
        self.result
    }
}

/// Whether an id written in a heading attribute is safe and useful as an anchor.
fn is_anchor(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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

/// The text of a heading's events (from its start to its end).
fn heading_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events.iter().skip(1) {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    squash_whitespace(&text)
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

fn footnote_id(label: &str) -> String {
    format!("fn-{}", slugify(label))
}

/// Link targets that cannot run script: http(s), mailto, tel, relative paths and fragments.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    let has_scheme = scheme.is_some_and(|s| !s.contains(['/', '?', '#']));
    if !has_scheme || matches!(scheme, Some("http" | "https" | "mailto" | "tel")) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

fn note_label(kind: BlockQuoteKind, language: Language) -> &'static str {
    match (kind, language) {
        (BlockQuoteKind::Note, Language::Sv) => "Redaktionell anmärkning",
        (BlockQuoteKind::Note, Language::En) => "Editorial note",
        (_, Language::Sv) => "Anmärkning",
        (_, Language::En) => "Note",
    }
}

fn permalink_label(kind: ItemKind, language: Language) -> &'static str {
    match (kind, language) {
        (ItemKind::Observation, Language::Sv) => "Permalänk till iakttagelse",
        (ItemKind::Recommendation, Language::Sv) => "Permalänk till rekommendation",
        (ItemKind::Observation, Language::En) => "Permalink to observation",
        (ItemKind::Recommendation, Language::En) => "Permalink to recommendation",
    }
}

/// Markdown that is not an audit (e.g. the site's "about" text) as sanitised HTML.
pub fn render_plain_markdown(markdown: &str) -> String {
    let mut html = String::new();
    let events = Parser::new_ext(markdown, options()).map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(questions: &[String]) -> BodyContext<'_> {
        BodyContext {
            file: Path::new("a.md"),
            first_line: 1,
            questions,
            allow_html: false,
            language: Language::Sv,
        }
    }

    fn ids(r: &Rendered) -> Vec<&str> {
        r.items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn list_items_in_named_sections_are_items() {
        let q = vec!["rf1".to_string(), "rf2".to_string()];
        let md = "## Revisionsfråga 1 {#rf1}\n\nFråga?\n\n### Iakttagelser\n\nIntro.\n\n- A\n- B\n\n### Rekommendationer\n\n- C\n\n## Revisionsfråga 2 {#rf2}\n\n### Observationer\n\n- D\n\n## Övrigt\n\n- not an item\n";
        let r = render(md, &cx(&q));
        assert_eq!(ids(&r), ["rf1-o1", "rf1-o2", "rf1-r1", "rf2-o1"]);
        assert_eq!(r.items[0].text, "A");
        assert_eq!(r.items[2].kind, ItemKind::Recommendation);
        assert!(
            r.body
                .html
                .text()
                .contains("<li id=\"rf1-o1\" class=\"item observation\">")
        );
        assert!(r.body.html.text().contains("href=\"#rf1-r1\""));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn paragraphs_are_items_when_a_section_has_no_list() {
        let q = vec!["rf1".to_string()];
        let md = "### Finns en strategi? {#rf1 .observations}\n\nFörsta.\n\nAndra.\n\n> [!NOTE]\n> Redaktionellt.\n";
        let r = render(md, &cx(&q));
        assert_eq!(ids(&r), ["rf1-o1", "rf1-o2"]);
        assert!(
            r.body
                .html
                .text()
                .contains("<div id=\"rf1-o2\" class=\"item observation\">")
        );
        assert!(r.body.html.text().contains("Redaktionell anmärkning"));
    }

    #[test]
    fn items_outside_questions_and_by_attribute() {
        let q = vec!["rf3".to_string()];
        let md = "## Väsentliga iakttagelser\n\n- X\n\n## 11. IT {question=rf3}\n\n### Kommentar {.recommendations}\n\n- Y\n";
        let r = render(md, &cx(&q));
        assert_eq!(ids(&r), ["o1", "rf3-r1"]);
        assert_eq!(r.items[1].question.as_deref(), Some("rf3"));
    }

    #[test]
    fn unknown_question_attribute_is_an_error_with_a_line() {
        let md = "intro\n\n## A {question=rf9}\n";
        let r = render(md, &cx(&[]));
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].position.unwrap().line, 3);
    }

    #[test]
    fn nested_lists_belong_to_their_item() {
        let md = "## Rekommendationer\n\n- A\n  - A1\n  - A2\n- B\n";
        let r = render(md, &cx(&[]));
        assert_eq!(ids(&r), ["r1", "r2"]);
        assert_eq!(r.items[0].text, "A A1 A2");
    }

    #[test]
    fn footnotes_are_numbered_and_collected() {
        let md = "Text[^a] och[^b] igen[^a].\n\n[^a]: Första.\n[^b]: Andra.\n";
        let r = render(md, &cx(&[]));
        let html = &r.body.html.text();
        assert!(
            html.contains("<a href=\"#fn-a\" id=\"ref-fn-a\">1</a>"),
            "{html}"
        );
        assert!(html.contains("id=\"ref-fn-a-2\""), "{html}");
        assert!(html.contains("<li id=\"fn-b\">"), "{html}");
    }

    #[test]
    fn raw_html_and_script_urls_are_neutralised() {
        let md =
            "Hej <script>alert(1)</script> [x](javascript:alert(1)) <b onclick=\"x()\">b</b>\n";
        let r = render(md, &cx(&[]));
        assert!(
            !r.body.html.text().contains("<script"),
            "{}",
            r.body.html.text()
        );
        assert!(
            !r.body.html.text().contains("javascript:"),
            "{}",
            r.body.html.text()
        );
        assert!(
            !r.body.html.text().contains("onclick"),
            "{}",
            r.body.html.text()
        );
    }

    #[test]
    fn h1_in_the_body_is_demoted() {
        let r = render("# Titel\n\n## Under\n", &cx(&[]));
        assert!(
            r.body.html.text().contains("<h2 id=\"titel\">"),
            "{}",
            r.body.html.text()
        );
        assert!(r.body.html.text().contains("<h3 id=\"under\">"));
    }

    #[test]
    fn heading_ids_cannot_inject_markup() {
        let r = render("## A {#x\"onmouseover=alert(1)}\n", &cx(&[]));
        assert_eq!(r.problems.len(), 1);
        assert!(
            !r.body.html.text().contains("onmouseover"),
            "{}",
            r.body.html.text()
        );
    }

    #[test]
    fn duplicate_anchors_are_reported() {
        let r = render("## A {#x}\n\n## B {#x}\n", &cx(&[]));
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn every_text_outside_items_is_a_passage_of_its_section() {
        let md = "Inledning.\n\n## Sammanfattning\n\nKort.\n\n## 3.3 Drift {#drift}\n\nEtt stycke[^k].\n\n- Punkt\n  - Underpunkt\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n> [!NOTE]\n> Redaktionens ord.\n\n### Iakttagelser\n\n- Ett fynd.\n\n[^k]: Källa.\n";
        let r = render(md, &cx(&[]));
        let passages = r.body.passages.get();
        let seen: Vec<(&str, &str, &str, bool, bool)> = passages
            .iter()
            .map(|p| {
                let f = p.flags;
                (
                    p.text.as_str(),
                    p.anchor.as_str(),
                    p.section.as_str(),
                    f.summary,
                    f.editorial,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("Inledning.", "", "", false, false),
                ("Kort.", "sammanfattning", "Sammanfattning", true, false),
                ("Ett stycke.", "drift", "3.3 Drift", false, false),
                ("Punkt Underpunkt", "drift", "3.3 Drift", false, false),
                ("A | B", "drift", "3.3 Drift", false, false),
                ("1 | 2", "drift", "3.3 Drift", false, false),
                ("Redaktionens ord.", "drift", "3.3 Drift", false, true),
                ("Källa.", "fn-k", "Fotnoter", false, false),
            ],
            "the item ({:?}) is not a passage of its own here",
            r.items[0].text
        );
    }

    #[test]
    fn summary_text_is_collected() {
        let r = render(
            "## Sammanfattning\n\nEtt.\n\n- Två\n\n## Annat\n\nTre.\n",
            &cx(&[]),
        );
        assert_eq!(r.body.summary, "Ett.\nTvå");
    }
}
