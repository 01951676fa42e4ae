//! Declared omissions (`omissions:` in the front matter): the passages of the source text an
//! audit leaves out, found in the normalised source text so they can be cut from it.

use std::collections::HashSet;
use std::ops::Range;

use super::find::Haystack;
use super::normalise::{Mode, Normalised, normalise};
use crate::model::Omission;

/// The byte ranges of the normalised source text that `omission` covers; none when it names
/// nothing there (a stale or mistyped omission).
pub fn ranges(
    omission: &Omission,
    raw: &str,
    source: &Normalised,
    hay: &Haystack<'_>,
) -> Vec<Range<usize>> {
    if let Some(passage) = &omission.passage {
        return hay.find_all(&key(passage));
    }
    if let (Some(from), Some(to)) = (&omission.from, &omission.to) {
        return spans(hay, &key(from), &key(to));
    }
    if let Some(lines) = &omission.lines {
        return whole_lines(raw, source, lines);
    }
    Vec::new()
}

/// Text as the omission's patterns are compared: normalised as the source text is.
fn key(text: &str) -> String {
    normalise(text, Mode::Source).text
}

/// From each occurrence of `from` to the end of the first `to` at or after it.
fn spans(hay: &Haystack<'_>, from: &str, to: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = hay.find_from(from, at) {
        let Some(end) = hay.find_from(to, start.start) else {
            break;
        };
        out.push(start.start..end.end);
        at = end.end;
    }
    out
}

/// Every line of `raw` that reads, normalised, as one of `lines`.
fn whole_lines(raw: &str, source: &Normalised, lines: &[String]) -> Vec<Range<usize>> {
    let wanted: HashSet<String> = lines
        .iter()
        .map(|l| key(l))
        .filter(|l| !l.is_empty())
        .collect();
    // A line much longer than every wanted one cannot read as one of them, even with
    // markup (`<b>`, `#`) to lose: it is not normalised to be compared.
    let longest = wanted.iter().map(String::len).max().unwrap_or(0) * 4 + 32;
    let mut out = Vec::new();
    let mut offset = 0;
    for line in raw.split('\n') {
        let range = offset..offset + line.len() + 1;
        offset = range.end;
        if line.len() <= longest && wanted.contains(&key(line)) {
            out.push(source.range_of_input(range));
        }
    }
    out
}

/// `ranges` sorted, with overlapping and touching ones merged.
pub fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Rapport\n\nSvaren till Karin, KPMG, e:post karin@kpmg.se. Svaret ska.\n\nKungsörs kommun\n\nText om Kungsörs kommun.\n\nDetta dokument har upprättats enbart för uppdragsgivaren. Mer text.\n\nSlut i tryckfrihetsförordningen.";

    fn cut(omission: Omission) -> String {
        let source = normalise(SOURCE, Mode::Source);
        let hay = Haystack::new(&source.text);
        let ranges = merge(super::ranges(&omission, SOURCE, &source, &hay));
        source.without(&ranges).text
    }

    #[test]
    fn a_passage_is_cut_where_it_stands() {
        let left = cut(Omission {
            passage: Some(", e:post karin@kpmg.se".into()),
            ..Omission::default()
        });
        assert!(left.contains("Karin, KPMG. Svaret ska."), "{left}");
    }

    #[test]
    fn from_and_to_cut_everything_between() {
        let left = cut(Omission {
            from: Some("Detta dokument har upprättats".into()),
            to: Some("i tryckfrihetsförordningen.".into()),
            ..Omission::default()
        });
        assert!(left.ends_with("Text om Kungsörs kommun."), "{left}");
    }

    #[test]
    fn lines_cut_whole_lines_only() {
        let left = cut(Omission {
            lines: Some(vec!["Kungsörs kommun".into(), "Rapport".into()]),
            ..Omission::default()
        });
        assert!(left.starts_with("Svaren"), "{left}");
        assert!(left.contains("ska.\nText om Kungsörs kommun."), "{left}");
    }

    #[test]
    fn an_omission_of_nothing_cuts_nothing() {
        let source = normalise(SOURCE, Mode::Source);
        let hay = Haystack::new(&source.text);
        let missing = Omission {
            passage: Some("finns inte".into()),
            ..Omission::default()
        };
        assert!(ranges(&missing, SOURCE, &source, &hay).is_empty());
    }
}
