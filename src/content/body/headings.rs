//! Headings: which sections they open (questions, items, the summary), their ids and the
//! table of contents.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Renderer, plain_text};
use crate::diagnostics::Diagnostic;
use crate::model::{ItemKind, TocEntry};
use crate::text::{slugify, squash_whitespace};

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
pub(super) struct Heading {
    pub(super) level: u8,
    pub(super) question: Option<String>,
    pub(super) items: Option<ItemKind>,
    pub(super) summary: bool,
    /// Item sections only: whether items are list items (true) or paragraphs.
    pub(super) list_mode: bool,
}

impl<'a> Renderer<'a, '_> {
    /// Classifies every heading and finds where its section ends.
    pub(super) fn headings(&mut self) -> HashMap<usize, Heading> {
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
    pub(super) fn heading(&mut self, i: usize, h: &Heading) -> usize {
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

    /// Records an id, reporting it when it is already taken on the page.
    pub(super) fn claim_id(&mut self, id: &str, line: usize) {
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
}

/// Whether an id written in a heading attribute is safe and useful as an anchor.
fn is_anchor(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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
