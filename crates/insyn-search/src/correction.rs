//! Typo correction: a query word that occurs nowhere in the index is read as the closest
//! word that does.
//!
//! Only words the index does not know are corrected, so a rare but real word is never
//! "corrected" into a common one. The closest word is the one fewest edits away (an edit is
//! inserting, deleting or changing a letter, or swapping two neighbours), then the one in
//! most passages, then the first in alphabetical order, so the choice is the same in every
//! engine; a word that differs only in `å ä ö` typed as `a a o` comes before the rest.
//! Candidates are the indexed words with the same first letter (or its `å ä ö` variant),
//! scanned in the term dictionary: another misspelt first letter is not corrected, and the
//! engine carries no Levenshtein automaton (9 KB of the browser's download).

use std::collections::BTreeMap;

use tantivy::Searcher;
use tantivy::schema::Field;

/// How many edits a word of `chars` characters may be away from its correction: none for
/// short words (too many neighbours), one for most, two for long ones.
pub fn max_edits(chars: usize) -> Option<u8> {
    match chars {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

/// The indexed term of `fields` closest to `stem`, within `max` edits.
pub fn closest(searcher: &Searcher, fields: &[Field], stem: &str, max: u8) -> Option<String> {
    let first = stem.chars().next()?;
    let chars = stem.chars().count();
    let max = usize::from(max);
    // Candidate → passages that hold it, over all fields and segments.
    let mut candidates: BTreeMap<String, u64> = BTreeMap::new();
    for start in FIRST_LETTERS
        .iter()
        .copied()
        .filter(|&c| fold(c) == fold(first))
        .chain((!FIRST_LETTERS.contains(&first)).then_some(first))
    {
        for &field in fields {
            for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                // The terms beginning with `start`: from it up to the next character.
                let from = start.to_string();
                let range = inverted.terms().range().ge(from.as_bytes());
                let range = match char::from_u32(u32::from(start) + 1) {
                    Some(next) => range.lt(next.to_string().as_bytes()),
                    None => range,
                };
                let Ok(mut stream) = range.into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if term.chars().count().abs_diff(chars) <= max && term != stem {
                        *candidates.entry(term.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
    }
    let folded = fold_word(stem);
    candidates
        .into_iter()
        .map(|(term, freq)| (distance(stem, &term), freq, term))
        .filter(|&(d, _, _)| d <= max)
        // Fewest edits once å, ä and ö are read as a, a and o (`overgripande` is
        // `övergripande`), then fewest edits, then the most common.
        .min_by_key(|(d, freq, term)| {
            let d_folded = distance(&folded, &fold_word(term));
            (d_folded, *d, std::cmp::Reverse(*freq))
        })
        .map(|(_, _, term)| term)
}

/// First letters that are tried for one another: `å`, `ä` and `a`; `ö` and `o`.
const FIRST_LETTERS: [char; 5] = ['a', 'å', 'ä', 'o', 'ö'];

/// A letter as people type it without Swedish letters.
fn fold(c: char) -> char {
    match c {
        'å' | 'ä' => 'a',
        'ö' => 'o',
        c => c,
    }
}

fn fold_word(word: &str) -> String {
    word.chars().map(fold).collect()
}

/// Edits between `a` and `b` (optimal string alignment: insertions, deletions,
/// substitutions and swaps of neighbours).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the matrix: two back (for swaps), one back, and the current one.
    let mut back2: Vec<usize> = vec![0; b.len() + 1];
    let mut back1: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (back1[j - 1] + cost).min(back1[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(back2[j - 2] + 1);
            }
            row[j] = best;
        }
        std::mem::swap(&mut back2, &mut back1);
        std::mem::swap(&mut back1, &mut row);
    }
    back1[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("rekommendation", "rekomendation"), 1);
        assert_eq!(distance("kompetns", "kompetens"), 1);
        assert_eq!(distance("styrnign", "styrning"), 1, "a swap is one edit");
        assert_eq!(distance("styrning", "ledning"), 4);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("åäö", "aao"), 3);
    }

    #[test]
    fn swedish_letters_fold_to_what_people_type_without_them() {
        assert_eq!(fold_word("överraskningar"), "overraskningar");
        assert_eq!(fold_word("åtgärd"), "atgard");
    }

    #[test]
    fn short_words_are_not_corrected() {
        assert_eq!(max_edits(3), None);
        assert_eq!(max_edits(5), Some(1));
        assert_eq!(max_edits(12), Some(2));
    }
}
