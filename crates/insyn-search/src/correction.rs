//! Typo correction: a query word that occurs nowhere in the index is read as the closest
//! word that does.
//!
//! Only words the index does not know are corrected, so a rare but real word is never
//! "corrected" into a common one. The index holds stems, not words (`informationssäk` for
//! `informationssäkerheten`), so a typed word is compared with each candidate stem followed
//! by each common Swedish ending ([`ENDINGS`]): the closest word is the one fewest edits away
//! from such a form (an edit is inserting, deleting or changing a letter, or swapping two
//! neighbours), a word that differs only in `å ä ö` typed as `a a o` first, then the one in
//! most passages, then the first in alphabetical order, so that the choice is the same in
//! every engine.
//!
//! Candidates are the indexed stems with the same first letter (or its `å ä ö` variant),
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

/// Endings that the stemmer takes off Swedish words, alone and in the combinations it takes
/// off together: with a stem, they give back the words a reader types.
const ENDINGS: &[&str] = &[
    "", "a", "ad", "ade", "ande", "ar", "are", "arig", "ariga", "arigt", "arna", "as", "at", "e",
    "el", "else", "elsen", "en", "ens", "ensen", "enser", "er", "era", "erad", "erade", "erar",
    "eras", "erat", "erats", "erhet", "erheten", "ering", "eringen", "erna", "ernas", "es", "et",
    "het", "heten", "heter", "ig", "iga", "igt", "ighet", "igheten", "ing", "ingen", "ingar",
    "ion", "ionen", "ioner", "lig", "liga", "ligt", "n", "na", "ning", "ningen", "ningar", "or",
    "orna", "s", "t",
];

/// The indexed term of `fields` closest to `word` (normalised, as typed) within `max`
/// edits of the term with one of [`ENDINGS`].
pub fn closest(searcher: &Searcher, fields: &[Field], word: &str, max: u8) -> Option<String> {
    let first = word.chars().next()?;
    let typed: Vec<char> = word.chars().collect();
    let folded: Vec<char> = typed.iter().copied().map(fold).collect();
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
                    // A stem is at most as long as its word.
                    if term.chars().count() <= typed.len() + max && term != word {
                        *candidates.entry(term.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
        }
    }
    candidates
        .into_iter()
        .filter_map(|(term, freq)| {
            let stem: Vec<char> = term.chars().collect();
            // Cheap first: the stem must be within reach of the start of the typed word.
            if prefix_distance(&stem, &typed) > max {
                return None;
            }
            let edits = edits_with_ending(&stem, &typed, |c| c);
            let folded_edits = edits_with_ending(
                &stem.iter().copied().map(fold).collect::<Vec<_>>(),
                &folded,
                fold,
            );
            (edits <= max).then_some(((folded_edits, edits, std::cmp::Reverse(freq)), term))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, term)| term)
}

/// The fewest edits between `typed` and `stem` followed by one of [`ENDINGS`] (each ending's
/// letters mapped by `map`).
fn edits_with_ending(stem: &[char], typed: &[char], map: fn(char) -> char) -> usize {
    let mut form = stem.to_vec();
    ENDINGS
        .iter()
        .map(|ending| {
            form.truncate(stem.len());
            form.extend(ending.chars().map(map));
            osa(&form, typed)
        })
        .min()
        .unwrap_or(usize::MAX)
}

/// The fewest edits between `stem` and any beginning of `typed`.
fn prefix_distance(stem: &[char], typed: &[char]) -> usize {
    // Column by column of the matrix of `typed`'s beginnings against `stem`: the last row of
    // each column is the distance from the whole stem to that beginning.
    let mut column: Vec<usize> = (0..=stem.len()).collect();
    let mut best = column[stem.len()];
    for (j, &t) in typed.iter().enumerate() {
        let mut diagonal = column[0];
        column[0] = j + 1;
        for i in 1..=stem.len() {
            let above = column[i];
            column[i] = (diagonal + usize::from(stem[i - 1] != t))
                .min(column[i - 1] + 1)
                .min(above + 1);
            diagonal = above;
        }
        best = best.min(column[stem.len()]);
    }
    best
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

/// Edits between `a` and `b` (optimal string alignment: insertions, deletions,
/// substitutions and swaps of neighbours).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa(&a, &b)
}

fn osa(a: &[char], b: &[char]) -> usize {
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

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

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
    fn a_stem_with_an_ending_is_compared_with_the_typed_word() {
        // `informationssäkerhet` is indexed as `informationssäk`.
        let typed = chars("informationssäkerhte");
        assert_eq!(prefix_distance(&chars("informationssäk"), &typed), 0);
        assert_eq!(
            edits_with_ending(&chars("informationssäk"), &typed, |c| c),
            1
        );
        assert_eq!(
            edits_with_ending(
                &chars("beställarkompet"),
                &chars("beställarkompetns"),
                |c| c
            ),
            1
        );
        // A stem that needs more than an ending is far away.
        assert!(edits_with_ending(&chars("information"), &typed, |c| c) > 2);
        assert!(prefix_distance(&chars("kalkyl"), &chars("kompetens")) > 2);
    }

    #[test]
    fn swedish_letters_fold_to_what_people_type_without_them() {
        let fold_word = |w: &str| w.chars().map(fold).collect::<String>();
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
