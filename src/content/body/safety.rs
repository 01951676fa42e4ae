//! Safety: link targets that could run script are neutralised, raw HTML is noted for
//! sanitising, and raw HTML outside items whose text the sanitiser would lose is reported.

use pulldown_cmark::{CowStr, Event, Tag};

use super::{Renderer, raw_html, sanitize};
use crate::diagnostics::Diagnostic;

impl<'a> Renderer<'a, '_> {
    /// Reports an element outside items whose text the sanitiser would drop or garble.
    pub(super) fn check_block_html(&mut self, i: usize) {
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

    /// Neutralises dangerous link targets and records raw HTML.
    pub(super) fn strip_raw(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|event| match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    self.has_raw_html = true;
                    event
                }
                other => safe_target(other),
            })
            .collect()
    }

    pub(super) fn sanitize_if_raw(&self, html: String) -> String {
        if self.has_raw_html && !self.cx.allow_html {
            sanitize(&html)
        } else {
            html
        }
    }
}

/// `event` with its link or image target made safe by [`safe_url`]; other events as they are.
pub(super) fn safe_target(event: Event<'_>) -> Event<'_> {
    match event {
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
    }
}

/// Link targets that cannot run script: http(s), mailto, tel, relative paths and fragments.
pub(super) fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
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
