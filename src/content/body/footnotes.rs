//! Footnotes: numbered in order of first reference, their references linked both ways, their
//! definitions listed at the end of the body.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::Event;

use super::{Renderer, raw_html};
use crate::text::slugify;

/// The footnotes found so far.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// label → number, in order of first reference.
    pub(super) numbers: HashMap<String, usize>,
    pub(super) references: HashMap<String, usize>,
    pub(super) definitions: BTreeMap<usize, (String, Vec<Event<'a>>)>,
}

impl<'a> Renderer<'a, '_> {
    /// Records a footnote definition (event `i`) for the list at the end of the body; returns
    /// the index after it.
    pub(super) fn footnote_definition(&mut self, i: usize, label: &str) -> usize {
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

    /// Appends the footnotes, in order of first reference, to the body's HTML.
    pub(super) fn push_footnotes(&mut self, html: &mut String) {
        let definitions = std::mem::take(&mut self.footnotes.definitions);
        if !definitions.is_empty() {
            let heading = self.cx.text("footnotes");
            let back = self.cx.text("footnote_back");
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
    }

    /// Rewrites inline events for the page: footnote references become numbered links,
    /// unsafe link targets are neutralised, raw HTML is noted for sanitising.
    pub(super) fn rewrite_inline(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
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

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.numbers.len() + 1;
        *self
            .footnotes
            .numbers
            .entry(label.to_string())
            .or_insert(next)
    }
}

pub(super) fn footnote_id(label: &str) -> String {
    format!("fn-{}", slugify(label))
}
