//! Observations and recommendations: numbering each item, wrapping it in an element with
//! its id and permalink, and checking the raw HTML written in it.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{ExtractedItem, Renderer, plain_text, raw_html};
use crate::diagnostics::Diagnostic;
use crate::model::ItemKind;

impl<'a> Renderer<'a, '_> {
    /// Emits one observation or recommendation wrapped in an element with its id.
    pub(super) fn item(
        &mut self,
        i: usize,
        kind: ItemKind,
        question: Option<String>,
        element: &str,
    ) -> usize {
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
        // Named for a screen reader's list of links, where the id alone says nothing (about
        // 4 MB at 2,000 audits, within the output budget).
        let label = format!("{} {id}", self.cx.text(permalink_key(kind)));
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
}

/// The theme's key of the permalink's accessible name.
fn permalink_key(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Observation => "permalink_observation",
        ItemKind::Recommendation => "permalink_recommendation",
    }
}
