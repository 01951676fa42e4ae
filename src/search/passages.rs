//! An audit as passages for the index: every item, and every other piece of the report's
//! text (paragraphs, list items, table rows, footnotes, question texts, editorial notes),
//! each linked to its anchor on the audit page.
//!
//! Reports repeat themselves: a cover letter and a summary restate the conclusions, and
//! items are often quoted from a paragraph. A passage whose text is an item's, or one
//! already taken, is left out; where a passage quotes an item within more text, the quoted
//! part is not indexed again ([`SearchDoc::masked`]). So a search finds the item, not its
//! echoes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use insyn_search::analyzer::FxBuild;
use insyn_search::writer::{Kind, SearchDoc};

use crate::model::{Audit, ItemKind, Origin, Passage, PassageFlags};
use crate::site::Site;

/// Item texts shorter than this are not looked for inside other passages: a short item
/// ("Ja.") is not a quotation.
const MIN_QUOTED: usize = 24;

/// How many passages audit `audit` gives at most (before repeats are left out): its items,
/// its body's passages, its questions' texts and their assessment notes, and the overall
/// assessment's note.
pub fn count(audit: &Audit) -> usize {
    audit.items.len() + audit.body.passages.len() + 2 * audit.meta.questions.len() + 1
}

/// Appends the passages of `audit` (number `ord` in its segment's audits table) to `docs`.
pub fn push<'a>(audit: &'a Audit, ord: u32, site: &Site, docs: &mut Vec<SearchDoc<'a>>) {
    for item in &audit.items {
        docs.push(SearchDoc {
            audit: ord,
            kind: match item.kind {
                ItemKind::Observation => Kind::Observation,
                ItemKind::Recommendation => Kind::Recommendation,
            },
            anchor: item.id.as_str().into(),
            section: "".into(),
            // An item the editors chose: their reading, shown as such in hits.
            editorial: item.meta.origin == Origin::Editorial,
            question: item.question.as_deref().unwrap_or_default().into(),
            text: item.text.as_str().into(),
            themes: item.themes[..].into(),
            status: item.meta.status.map(|s| s.key().into()),
            masked: Vec::new(),
        });
    }
    let quoted: Vec<&str> = audit
        .items
        .iter()
        .map(|i| i.text.as_str())
        .filter(|t| t.len() >= MIN_QUOTED)
        .collect();
    let quotes = Quotes::new(&quoted);
    let mut taken: HashSet<String, FxBuild> = audit.items.iter().map(|i| i.text.clone()).collect();
    for p in ordered(audit, site) {
        if taken.contains(&p.text) {
            continue;
        }
        let masked = quotes.find(&p.text);
        if !masked.is_empty() && !has_words_outside(&p.text, &masked) {
            continue;
        }
        taken.insert(p.text.clone());
        let themes = themes_of(audit, p.question.as_deref());
        docs.push(SearchDoc {
            audit: ord,
            kind: if p.flags.summary {
                Kind::Summary
            } else {
                Kind::Text
            },
            anchor: p.anchor.into(),
            section: p.section.into(),
            editorial: p.flags.editorial,
            question: p.question.unwrap_or_default().into(),
            text: p.text.into(),
            themes: Cow::Borrowed(themes),
            status: None,
            masked,
        });
    }
}

/// The audit's passages other than items, the ones to keep among repeats first: the
/// summary, the question texts, the rest of the body in document order, then the editors'
/// notes on assessments. (Method and scope in the front matter restate the report's own
/// method section, which is indexed.)
fn ordered(audit: &Audit, site: &Site) -> Vec<Passage> {
    let m = &audit.meta;
    let (body_summary, body_rest): (Vec<Passage>, Vec<Passage>) = audit
        .body
        .passages
        .get()
        .into_iter()
        .partition(|p| p.flags.summary);
    let questions_label = site.text("audit_questions");
    let questions = m.questions.iter().map(|q| Passage {
        text: q.text.clone(),
        anchor: audit
            .body
            .question_anchors
            .get(&q.id)
            .cloned()
            .unwrap_or_else(|| QUESTIONS_ANCHOR.to_string()),
        section: questions_label.to_string(),
        question: Some(q.id.clone()),
        flags: PassageFlags::default(),
    });
    let overall_note = m
        .assessment
        .as_ref()
        .and_then(|a| a.note.as_ref())
        .map(|note| (note, OVERALL_ANCHOR, None));
    let question_notes = m.questions.iter().filter_map(|q| {
        let note = q.assessment.as_ref()?.note.as_ref()?;
        Some((note, QUESTIONS_ANCHOR, Some(q.id.clone())))
    });
    let notes = overall_note
        .into_iter()
        .chain(question_notes)
        .map(|(note, anchor, question)| Passage {
            text: note.clone(),
            anchor: anchor.to_string(),
            section: if anchor == OVERALL_ANCHOR {
                site.text("overall_assessment")
            } else {
                questions_label
            }
            .to_string(),
            question,
            flags: PassageFlags {
                summary: false,
                editorial: true,
            },
        });
    body_summary
        .into_iter()
        .chain(questions)
        .chain(body_rest)
        .chain(notes)
        .filter(|p| !p.text.trim().is_empty())
        .collect()
}

/// The themes of a passage of `audit` in the section of `question`: the question's, when
/// it names any, else the audit's.
fn themes_of<'a>(audit: &'a Audit, question: Option<&str>) -> &'a [String] {
    let m = &audit.meta;
    question
        .and_then(|id| m.questions.iter().find(|q| q.id == id))
        .map(|q| q.themes.as_slice())
        .filter(|t| !t.is_empty())
        .unwrap_or(&m.themes)
}

/// Anchors of the audit page's own sections (see the theme's `audit.html`).
const QUESTIONS_ANCHOR: &str = "questions-h";
const OVERALL_ANCHOR: &str = "overall-h";

/// The items of an audit that its other passages may quote, by their first characters: a
/// quotation begins where a word does, so a passage is looked up once a word, and an item
/// compared only where its beginning stands.
struct Quotes<'a> {
    by_start: HashMap<&'a str, Vec<&'a str>, FxBuild>,
}

/// How many characters of an item's beginning find it.
const QUOTE_KEY: usize = 8;

impl<'a> Quotes<'a> {
    fn new(items: &[&'a str]) -> Quotes<'a> {
        let mut by_start: HashMap<&str, Vec<&str>, FxBuild> = HashMap::default();
        for &item in items {
            if let Some(key) = beginning(item) {
                by_start.entry(key).or_default().push(item);
            }
        }
        Quotes { by_start }
    }

    /// Where `text` quotes an item, as byte ranges (sorted, possibly overlapping).
    fn find(&self, text: &str) -> Vec<Range<usize>> {
        if self.by_start.is_empty() {
            return Vec::new();
        }
        let mut ranges = Vec::new();
        let mut previous = ' ';
        for (at, c) in text.char_indices() {
            let starts_word = previous.is_whitespace();
            previous = c;
            if !starts_word {
                continue;
            }
            let rest = &text[at..];
            let items = beginning(rest).and_then(|key| self.by_start.get(key));
            for item in items.into_iter().flatten() {
                if rest.starts_with(item) {
                    ranges.push(at..at + item.len());
                }
            }
        }
        ranges
    }
}

/// The first [`QUOTE_KEY`] characters of `text`, if it has as many.
fn beginning(text: &str) -> Option<&str> {
    match text.char_indices().nth(QUOTE_KEY) {
        Some((end, _)) => Some(&text[..end]),
        None => (text.chars().count() == QUOTE_KEY).then_some(text),
    }
}

/// Whether `text` has a letter or digit outside `ranges`.
fn has_words_outside(text: &str, ranges: &[Range<usize>]) -> bool {
    text.char_indices()
        .any(|(at, c)| c.is_alphanumeric() && !ranges.iter().any(|r| r.contains(&at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotations_are_found_and_what_is_left_is_judged() {
        let item = "Kommunen behöver stärka den egna kompetensen.";
        let text = format!("Vi ser brister. {item} Det gäller alla nämnder.");
        let quotes = Quotes::new(&[item]);
        let found = quotes.find(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], item);
        assert!(has_words_outside(&text, &found));
        let only = format!("– {item}");
        assert!(!has_words_outside(&only, &quotes.find(&only)));
        // Not where a word does not begin, nor where the text is short of the item.
        assert!(quotes.find(&format!("x{item}")).is_empty());
        assert!(quotes.find("Kommunen behöver").is_empty());
    }
}
