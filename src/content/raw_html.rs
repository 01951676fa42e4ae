//! Raw HTML written in an audit's Markdown: what is wrong with it, and making it safe.
//!
//! Browsers parse some elements' content as plain text up to their end tag (`<style>`,
//! `<textarea>`, `<title>`, …), and an unclosed or stray tag re-nests whatever follows. One
//! such tag in an observation would swallow or re-shape the rest of the page. So raw HTML is
//! judged and sanitised one block at a time (an item, a paragraph, a list), never only as a
//! whole page, and the author is told at the line where it stands.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag};

/// Elements whose content a browser reads as text up to their end tag, or that a sanitiser
/// removes together with their content: the text after one is lost or shown as markup.
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
];

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// What is wrong with the raw HTML of one item, in words for a diagnostic; `None` if nothing.
///
/// `fragments` are the item's raw HTML pieces in order. A tag must be closed in the item that
/// opens it, and, unless `allow_html`, no element of [`RAW_TEXT`] may appear at all.
pub fn item_problem<'a>(
    fragments: impl IntoIterator<Item = &'a str>,
    allow_html: bool,
) -> Option<String> {
    let mut open: Vec<String> = Vec::new();
    for fragment in fragments {
        if !allow_html && let Some(problem) = raw_text_problem(fragment) {
            return Some(problem);
        }
        for tag in tags(fragment) {
            if VOID.contains(&tag.name.as_str()) || tag.self_closing {
                continue;
            }
            if !tag.closing {
                open.push(tag.name);
            } else if open.last() == Some(&tag.name) {
                open.pop();
            } else {
                return Some(format!(
                    "raw HTML `</{}>` closes an element this item did not open",
                    tag.name
                ));
            }
        }
    }
    open.pop()
        .map(|name| format!("raw HTML `<{name}>` is not closed in the same item"))
}

/// The problem with an element of [`RAW_TEXT`] in `fragment`, if it has one.
pub fn raw_text_problem(fragment: &str) -> Option<String> {
    tags(fragment)
        .into_iter()
        .find(|tag| RAW_TEXT.contains(&tag.name.as_str()))
        .map(|tag| {
            format!(
                "raw HTML `<{}>` would hide or garble the text after it",
                tag.name
            )
        })
}

/// One tag as [`tags`] reads it.
struct RawTag {
    name: String,
    closing: bool,
    self_closing: bool,
}

/// The start and end tags in `html`, names lower-cased; comments and declarations skipped.
fn tags(html: &str) -> Vec<RawTag> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..end].ends_with('/');
        found.push(RawTag {
            name: name.to_ascii_lowercase(),
            closing,
            self_closing,
        });
        rest = &rest[end..];
    }
    found
}

/// Whether `events` hold raw HTML written by the author. (The renderer's own markup, and
/// what it has sanitised already, are `Event::Html` outside an `HtmlBlock`.)
pub fn has_raw(events: &[Event<'_>]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock)))
}

/// `events` as one HTML string, sanitised on its own, so that nothing in it can reach the
/// markup around it.
pub fn sanitized_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// Sanitises each top-level block of `events` that holds the author's raw HTML on its own.
///
/// The renderer's own markup around blocks (headings, notes, items) is `Event::Html` outside
/// any block and is kept; the author's HTML comes as `InlineHtml` or inside an `HtmlBlock`.
pub fn sanitize_blocks(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block = Vec::new();
    let mut depth = 0usize;
    for event in events {
        match (&event, depth) {
            (Event::Start(_), _) => depth += 1,
            (Event::End(_), d) if d > 0 => depth -= 1,
            (Event::InlineHtml(_), 0) => {
                out.push(Event::Html(sanitize(&event_html(event)).into()));
                continue;
            }
            (_, 0) => {
                out.push(event);
                continue;
            }
            _ => {}
        }
        block.push(event);
        if depth == 0 {
            let taken = std::mem::take(&mut block);
            if has_raw(&taken) {
                out.push(Event::Html(sanitized_html(taken.into_iter()).into()));
            } else {
                out.extend(taken);
            }
        }
    }
    out.extend(block);
    out
}

fn event_html(event: Event<'_>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, std::iter::once(event));
    html
}

/// Removes script, event handlers and dangerous URLs from HTML, keeping what Insyn writes.
pub fn sanitize(html: &str) -> String {
    static ATTRIBUTES: &[&str] = &["id", "class", "role", "aria-label", "lang", "title"];
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(ATTRIBUTES.iter().copied())
        .add_tags([
            "section",
            "div",
            "span",
            "sup",
            "sub",
            "figure",
            "figcaption",
        ])
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_inline_html_is_fine() {
        assert_eq!(
            item_problem(["<b>", "</b>", "<br>", "<img src=x/>"], false),
            None
        );
        assert_eq!(item_problem(["<!-- <style> -->"], false), None);
        assert_eq!(item_problem(["a < b"], false), None);
    }

    #[test]
    fn raw_text_elements_are_problems_unless_allowed() {
        for name in ["style", "TEXTAREA", "title", "xmp", "noscript", "iframe"] {
            let open = format!("<{name}>");
            let close = format!("</{name}>");
            let found = item_problem([open.as_str()], false).expect(name);
            assert!(found.contains(&name.to_ascii_lowercase()), "{found}");
            assert_eq!(raw_text_problem(&open), Some(found));
            assert_eq!(item_problem([open.as_str(), close.as_str()], true), None);
        }
    }

    #[test]
    fn unclosed_and_stray_tags_are_problems() {
        let unclosed = item_problem(["<b>"], true).unwrap();
        assert!(unclosed.contains("`<b>` is not closed"), "{unclosed}");
        let stray = item_problem(["</div>"], false).unwrap();
        assert!(stray.contains("`</div>` closes"), "{stray}");
        assert!(item_problem(["<em>", "</b>"], false).is_some());
        assert_eq!(raw_text_problem("<b>"), None);
    }

    #[test]
    fn sanitising_blocks_keeps_each_block_to_itself() {
        let events = vec![
            Event::Html("<h2 id=\"a\">".into()),
            Event::Text("Rubrik".into()),
            Event::Html("</h2>\n".into()),
            Event::Start(Tag::Paragraph),
            Event::Text("Ett ".into()),
            Event::InlineHtml("<style>".into()),
            Event::End(pulldown_cmark::TagEnd::Paragraph),
            Event::Start(Tag::Paragraph),
            Event::Text("Två".into()),
            Event::End(pulldown_cmark::TagEnd::Paragraph),
        ];
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, sanitize_blocks(events).into_iter());
        assert!(html.contains("<h2 id=\"a\">Rubrik</h2>"), "{html}");
        assert!(html.contains("<p>Ett </p>"), "{html}");
        assert!(html.contains("<p>Två</p>"), "{html}");
    }
}
