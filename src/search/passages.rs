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
use std::collections::HashSet;
use std::ops::Range;

use insyn_search::writer::{Kind, SearchDoc};

use crate::config::Language;
use crate::model::{Audit, ItemKind, Passage, PassageFlags};

/// Item texts shorter than this are not looked for inside other passages: a short item
/// ("Ja.") is not a quotation.
const MIN_QUOTED: usize = 24;

/// How many passages audit `audit` gives at most (before repeats are left out).
pub fn count(audit: &Audit) -> usize {
    audit.items.len() + audit.body.passages.len() + audit.meta.questions.len() + 4
}

/// Appends the passages of `audit` (number `ord` in its segment's audits table) to `docs`.
pub fn push<'a>(audit: &'a Audit, ord: u32, language: Language, docs: &mut Vec<SearchDoc<'a>>) {
    let m = &audit.meta;
    for item in &audit.items {
        docs.push(SearchDoc {
            audit: ord,
            kind: match item.kind {
                ItemKind::Observation => Kind::Observation,
                ItemKind::Recommendation => Kind::Recommendation,
            },
            anchor: item.id.as_str().into(),
            section: "".into(),
            editorial: false,
            question: item.question.as_deref().unwrap_or_default().into(),
            text: item.text.as_str().into(),
            themes: item.themes.as_slice().into(),
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
    let mut taken: HashSet<String> = audit.items.iter().map(|i| i.text.clone()).collect();
    for p in ordered(audit, language) {
        if taken.contains(&p.text) {
            continue;
        }
        let masked = quotations(&p.text, &quoted);
        if !masked.is_empty() && !has_words_outside(&p.text, &masked) {
            continue;
        }
        taken.insert(p.text.clone());
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
            themes: Cow::Borrowed(m.themes.as_slice()),
            status: None,
            masked,
        });
    }
}

/// The audit's passages other than items, the ones to keep among repeats first: the
/// summary, the question texts, the rest of the body in document order, then the editors'
/// notes on assessments. (Method and scope in the front matter restate the report's own
/// method section, which is indexed.)
fn ordered(audit: &Audit, language: Language) -> Vec<Passage> {
    let m = &audit.meta;
    let (body_summary, body_rest): (Vec<Passage>, Vec<Passage>) = audit
        .body
        .passages
        .get()
        .into_iter()
        .partition(|p| p.flags.summary);
    let sv = language == Language::Sv;
    let questions_label = if sv {
        "Revisionsfrågor"
    } else {
        "Audit questions"
    };
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
                if sv {
                    "Samlad bedömning"
                } else {
                    "Overall assessment"
                }
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

/// Anchors of the audit page's own sections (see the theme's `audit.html`).
const QUESTIONS_ANCHOR: &str = "questions-h";
const OVERALL_ANCHOR: &str = "overall-h";

/// Where `text` quotes one of `items`, as byte ranges (sorted, possibly overlapping).
fn quotations(text: &str, items: &[&str]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = items
        .iter()
        .filter(|item| item.len() <= text.len())
        .flat_map(|item| {
            text.match_indices(*item)
                .map(|(at, found)| at..at + found.len())
        })
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges
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
        let found = quotations(&text, &[item]);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], item);
        assert!(has_words_outside(&text, &found));
        let only = format!("– {item}");
        assert!(!has_words_outside(&only, &quotations(&only, &[item])));
    }
}
