//! Fidelity: an audit's text checked against the extracted text of its report.
//!
//! An audit whose front matter names a `source_text` (the report's text as extracted from
//! its PDF, kept beside the audit) is checked both ways on every build and check:
//!
//! - every sentence attributed to the auditors (body text outside editorial notes and
//!   editorial headings, and the assessments' `quote`s) must occur in the source text;
//! - every sentence of the source text must occur in the audit, unless the front matter's
//!   `omissions:` declares it left out, with a reason.
//!
//! Both sides are normalised first ([`normalise`]), so only a difference in words is a
//! difference. The rules are described in docs/content-format.md.

mod find;
mod normalise;
mod omissions;
mod units;

use std::ops::Range;
use std::path::Path;

pub use self::normalise::strip_extraction_markup;

use self::find::{Haystack, sentences};
use self::normalise::{BREAK, Mode, Normalised, normalise};
use self::units::{EDITORIAL_CLASS, Lines, Unit};
use super::validate::Source;
use super::yaml_path::FieldPath;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::AuditMeta;
use crate::text::excerpt;

/// One audit and the source text it is checked against.
pub struct Input<'a> {
    pub meta: &'a AuditMeta,
    /// The front matter, to locate fields.
    pub front: &'a Source<'a>,
    pub body: &'a str,
    /// The 1-based line of the body's first line in the audit file.
    pub body_line: usize,
    /// The source text's file, relative to the site root, and its text.
    pub source_file: &'a Path,
    pub source: &'a str,
}

/// Every sentence attributed to the auditors that the source text lacks, every sentence of
/// the source text that the audit lacks, and every omission that names nothing.
pub fn check(input: &Input<'_>) -> Vec<Diagnostic> {
    let full = normalise(input.source, Mode::Source);
    let full_hay = Haystack::new(&full.text);
    let (cuts, mut problems) = cuts(input, &full, &full_hay);
    let kept = full.without(&cuts);
    let kept_hay = Haystack::new(&kept.text);
    // Found in the source text with its omissions cut out (so a sentence that a running
    // header interrupts is whole again), or as it is (so a line that an omission names
    // everywhere, such as a heading repeated as a running header, can still be quoted).
    let in_source = |s: &str| kept_hay.find(s).is_some() || full_hay.find(s).is_some();

    let units = units::units(input.body, input.body_line);
    let mut audit_text = String::new();
    for attributed in attributed(input, &units) {
        for range in unfound(&attributed.text, &in_source) {
            problems.push(not_in_source(input, &attributed, range, &kept_hay));
        }
        audit_text.push_str(&attributed.text.text);
        audit_text.push(BREAK);
    }
    for shown in shown_facts(input.meta) {
        audit_text.push_str(&normalise(shown, Mode::Content).text);
        audit_text.push(BREAK);
    }
    problems.extend(left_out(input, &kept, &Haystack::new(&audit_text)));
    problems
}

/// Text attributed to the auditors, normalised, and where it is written.
struct Attributed<'u> {
    text: Normalised,
    place: Place<'u>,
}

enum Place<'u> {
    /// A block of the body.
    Body(&'u Unit),
    /// A front-matter field: its path and position.
    Field(String, Position),
}

impl Attributed<'_> {
    /// The position in the audit file of byte `at` of the normalised text.
    fn position(&self, at: usize) -> Position {
        match &self.place {
            Place::Body(unit) => unit.position(self.text.origin(at)),
            Place::Field(_, position) => *position,
        }
    }
}

/// The body's attributed units, then the assessments' quotes.
fn attributed<'u>(input: &Input<'_>, units: &'u [Unit]) -> Vec<Attributed<'u>> {
    let mut out: Vec<Attributed<'u>> = units
        .iter()
        .map(|u| Attributed {
            text: normalise(&u.text, Mode::Content),
            place: Place::Body(u),
        })
        .collect();
    let meta = input.meta;
    let overall = meta
        .assessment
        .as_ref()
        .map(|a| (FieldPath::key("assessment"), a));
    let per_question = meta.questions.iter().enumerate().filter_map(|(i, q)| {
        let path = FieldPath::key("questions")
            .then_index(i)
            .then_key("assessment");
        q.assessment.as_ref().map(|a| (path, a))
    });
    for (path, assessment) in overall.into_iter().chain(per_question) {
        let Some(quote) = &assessment.quote else {
            continue;
        };
        let path = path.then_key("quote");
        out.push(Attributed {
            text: normalise(quote, Mode::Content),
            place: Place::Field(path.to_string(), input.front.position(&path)),
        });
    }
    out
}

/// Front-matter text the audit page shows as the report's own (its title, authors, method,
/// scope and questions): a sentence of the source text found there is not left out. It is
/// not itself checked: editors may summarise there.
fn shown_facts(meta: &AuditMeta) -> Vec<&str> {
    let mut out = vec![meta.title.as_str()];
    out.extend(meta.authors.iter().map(String::as_str));
    out.extend(meta.method.as_deref());
    out.extend(meta.scope.as_deref());
    out.extend(meta.questions.iter().map(|q| q.text.as_str()));
    out
}

/// The ranges of `text` not found by `in_source`: none when the whole text is found,
/// otherwise each sentence that is not.
fn unfound(text: &Normalised, in_source: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
    if text.text.is_empty() || in_source(&text.text) {
        return Vec::new();
    }
    sentences(&text.text)
        .into_iter()
        .filter(|r| !in_source(&text.text[r.clone()]))
        .collect()
}

/// The cuts every omission makes in the normalised source text, and an error for each
/// omission that names nothing in it.
fn cuts(
    input: &Input<'_>,
    full: &Normalised,
    hay: &Haystack<'_>,
) -> (Vec<Range<usize>>, Vec<Diagnostic>) {
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for (i, omission) in input.meta.omissions.iter().enumerate() {
        let found = omissions::ranges(omission, input.source, full, hay);
        if found.is_empty() {
            let path = FieldPath::key("omissions").then_index(i);
            problems.push(
                input
                    .front
                    .error(
                        &path,
                        format!("the omission names nothing in the source text {}", input.source_file.display()),
                    )
                    .hint("quote the passage as the source text writes it (`passage`, `from` and `to`, or whole `lines`); remove the omission if the audit now has the passage"),
            );
        }
        all.extend(found);
    }
    (omissions::merge(all), problems)
}

/// An error for a sentence attributed to the auditors that the source text lacks, with the
/// source text's nearest passage when there is one.
fn not_in_source(
    input: &Input<'_>,
    attributed: &Attributed<'_>,
    range: Range<usize>,
    source: &Haystack<'_>,
) -> Diagnostic {
    let sentence = &attributed.text.text[range.clone()];
    let mut d = Diagnostic::error(
        input.front.file,
        format!(
            "not in the report's source text: \"{}\"",
            excerpt(sentence, 120)
        ),
    )
    .at(Some(attributed.position(range.start)));
    if let Place::Field(path, _) = &attributed.place {
        d = d.field(path.clone());
    }
    let mut hint = format!(
        "the auditors' words must be quoted as {} has them: correct the text, or mark it as the editors' own (a `> [!NOTE]` block, or `{{.{EDITORIAL_CLASS}}}` on a heading)",
        input.source_file.display()
    );
    if let Some(near) = nearest(source, sentence) {
        hint = format!("the source text reads \"{near}\"; {hint}");
    }
    d.hint(hint)
}

/// The source text where `sentence` most likely comes from, when a good part of its
/// beginning is found there.
fn nearest(source: &Haystack<'_>, sentence: &str) -> Option<String> {
    let (at, len) = source.nearest(sentence)?;
    if len < 12 || len * 3 < sentence.len() {
        return None;
    }
    let mut end = (at + sentence.len() + 16).min(source.text.len());
    while !source.text.is_char_boundary(end) {
        end -= 1;
    }
    let text = source.text[at..end].replace(BREAK, " ");
    Some(excerpt(&text, sentence.chars().count() + 8))
}

/// An error for each sentence of the source text (outside omissions) that the audit lacks,
/// reported at its line in the source text.
fn left_out(input: &Input<'_>, kept: &Normalised, audit: &Haystack<'_>) -> Vec<Diagnostic> {
    let lines = Lines::new(input.source, 1);
    sentences(&kept.text)
        .into_iter()
        .filter_map(|range| {
            let sentence = without_list_number(&kept.text[range.clone()]);
            let words = sentence.chars().any(char::is_alphanumeric);
            if !words || audit.find(sentence).is_some() {
                return None;
            }
            Some(
                Diagnostic::error(
                    input.source_file,
                    format!(
                        "the audit {} leaves out this sentence of its source text: \"{}\"",
                        input.front.file.display(),
                        excerpt(sentence, 120)
                    ),
                )
                .at(Some(lines.position(kept.origin(range.start))))
                .hint("add it to the audit as the report has it, or declare it under `omissions:` in the audit's front matter, with the reason it is left out"),
            )
        })
        .collect()
}

/// A sentence without the number a numbered list puts before it (`1. `, `2) `): the audit's
/// Markdown list numbers its items itself.
fn without_list_number(sentence: &str) -> &str {
    let digits = sentence.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &sentence[digits..];
    match rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
        Some(after) if (1..=3).contains(&digits) => after,
        _ => sentence,
    }
}
