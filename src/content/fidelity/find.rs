//! Finding normalised text in normalised text, word-bounded, and cutting text into the
//! sentences that are looked for.
//!
//! A search starts only where a word starts, so [`Haystack`] indexes the text's word starts
//! by their first character once; a sentence is then compared at those few places instead of
//! at every byte, which keeps checking an audit to a few milliseconds.

use std::collections::HashMap;
use std::ops::Range;

use super::normalise::{BREAK, OPTIONAL_HYPHEN};

/// Normalised text, with where each of its words (and each other non-space character)
/// starts, keyed by that first character.
pub struct Haystack<'a> {
    pub text: &'a str,
    starts: HashMap<char, Vec<u32>>,
}

/// Letters, digits and optional hyphens: the characters words are made of.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == OPTIONAL_HYPHEN
}

fn is_space(c: char) -> bool {
    c == ' ' || c == BREAK
}

impl<'a> Haystack<'a> {
    pub fn new(text: &'a str) -> Haystack<'a> {
        let mut starts: HashMap<char, Vec<u32>> = HashMap::new();
        let mut previous = ' ';
        for (i, c) in text.char_indices() {
            // Inside a word is no start; neither is a space.
            let inside_word = is_word(c) && is_word(previous);
            if !is_space(c) && !inside_word {
                starts.entry(c).or_default().push(i as u32);
            }
            previous = c;
        }
        Haystack { text, starts }
    }

    /// The first place `needle` occurs as whole words.
    pub fn find(&self, needle: &str) -> Option<Range<usize>> {
        self.find_from(needle, 0)
    }

    /// The first place at or after byte `from` where `needle` occurs as whole words.
    pub fn find_from(&self, needle: &str, from: usize) -> Option<Range<usize>> {
        let first = needle.chars().next()?;
        let candidates = self.starts.get(&first)?;
        let skip = candidates.partition_point(|&p| (p as usize) < from);
        candidates[skip..].iter().find_map(|&p| {
            let p = p as usize;
            let len = match_len(&self.text[p..], needle)?;
            self.ends_word(needle, p + len).then_some(p..p + len)
        })
    }

    /// Every place `needle` occurs as whole words, none overlapping.
    pub fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(r) = self.find_from(needle, from) {
            from = r.end.max(r.start + 1);
            found.push(r);
        }
        found
    }

    /// Where the longest beginning of `needle` occurs, and how many of its bytes match: the
    /// place a changed sentence most likely comes from.
    pub fn nearest(&self, needle: &str) -> Option<(usize, usize)> {
        let first = needle.chars().next()?;
        self.starts
            .get(&first)?
            .iter()
            .map(|&p| (p as usize, common_prefix(&self.text[p as usize..], needle)))
            .max_by_key(|&(p, len)| (len, std::cmp::Reverse(p)))
    }

    /// A match ending at `end` ends a word when the needle's last character is part of one.
    fn ends_word(&self, needle: &str, end: usize) -> bool {
        let last_is_word = needle.chars().next_back().is_some_and(is_word);
        !last_is_word || !self.text[end..].chars().next().is_some_and(is_word)
    }
}

/// How many bytes of `hay` match all of `needle`, if it does: characters equal, a space
/// equal to a block end, and an optional hyphen on either side read as nothing, a hyphen,
/// or a hyphen and a space.
pub fn match_len(hay: &str, needle: &str) -> Option<usize> {
    match_bytes(hay.as_bytes(), needle.as_bytes())
}

/// [`OPTIONAL_HYPHEN`] in UTF-8.
const SOFT: &[u8] = "\u{ad}".as_bytes();

/// What an optional hyphen may stand for on the other side.
const READINGS: [&[u8]; 3] = [b"", b"-", b"- "];

fn match_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    let (mut i, mut j) = (0, 0);
    loop {
        if j == n.len() {
            return Some(i);
        }
        let (hay_soft, needle_soft) = (h[i..].starts_with(SOFT), n[j..].starts_with(SOFT));
        if needle_soft && !hay_soft {
            let rest = &n[j + SOFT.len()..];
            return READINGS.iter().find_map(|r| {
                let after = h[i..].strip_prefix(*r)?;
                Some(i + r.len() + match_bytes(after, rest)?)
            });
        }
        if hay_soft && !needle_soft {
            let rest = &h[i + SOFT.len()..];
            return READINGS.iter().find_map(|r| {
                let after = n[j..].strip_prefix(*r)?;
                Some(i + SOFT.len() + match_bytes(rest, after)?)
            });
        }
        let same = h.get(i).is_some_and(|&b| {
            b == n[j] || (matches!(b, b' ' | b'\n') && matches!(n[j], b' ' | b'\n'))
        });
        if !same {
            return None;
        }
        i += 1;
        j += 1;
    }
}

/// The number of leading bytes two normalised texts share (spaces and block ends equal).
fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .take_while(|&(x, y)| x == y || (matches!(x, b' ' | b'\n') && matches!(y, b' ' | b'\n')))
        .count()
}

/// The sentences of normalised text, as byte ranges: cut after `.`, `!` or `?` (and a
/// closing quote or bracket) that follows a letter and is followed by a space and a capital
/// letter, a digit, a quote mark or a dash; and at every block end. A number before the
/// full stop (`1.`, `2020.`) does not end a sentence, so list numbers stay with their item.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if c == BREAK {
            push_trimmed(text, start..i, &mut out);
            start = i + 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?') || !ends_after(&chars, k) {
            continue;
        }
        let mut end = k + 1;
        while chars.get(end).is_some_and(|&(_, c)| matches!(c, '"' | ')')) {
            end += 1;
        }
        let next = chars.get(end + 1).map(|&(_, c)| c);
        let opens = next.is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '-' | '(')
        });
        if chars.get(end).is_some_and(|&(_, c)| c == ' ') && opens {
            let at = chars[end].0;
            push_trimmed(text, start..at, &mut out);
            start = at + 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Whether the stop at `chars[k]` comes after a word (a letter, or a closing quote or
/// bracket), so it can end a sentence.
fn ends_after(chars: &[(usize, char)], k: usize) -> bool {
    k.checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_some_and(|&(_, c)| c.is_alphabetic() || matches!(c, '"' | ')' | '%'))
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let part = &text[range.clone()];
    let lead = part.len() - part.trim_start().len();
    let trail = part.len() - part.trim_end().len();
    if lead + trail < part.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_only() {
        let hay = Haystack::new("Kommunen har en IT-strategi. Rapporten är klar.");
        assert_eq!(hay.find("en IT-strategi."), Some(13..28));
        assert!(
            hay.find("Rapport").is_none(),
            "`Rapport` is not a word here"
        );
        assert!(hay.find("mmunen").is_none());
        assert!(hay.find("IT-strateg").is_none());
        assert!(hay.find("Rapporten är klar.").is_some());
    }

    #[test]
    fn spaces_match_block_ends() {
        let hay = Haystack::new("ansvar i\nkommunens verksamheter");
        assert!(hay.find("ansvar i kommunens").is_some());
        assert!(
            Haystack::new("ansvar i kommunens")
                .find("ansvar i\nkommunens")
                .is_some()
        );
    }

    #[test]
    fn optional_hyphens_match_either_reading() {
        let hay =
            Haystack::new("att kom\u{ad}munen har en IT\u{ad}strategi och verksamhets\u{ad}och");
        for needle in [
            "kommunen har",
            "kom-munen har",
            "IT-strategi",
            "ITstrategi",
            "verksamhets- och",
        ] {
            assert!(hay.find(needle).is_some(), "{needle}");
        }
        assert!(hay.find("kommunen hade").is_none());
        let found = hay.find("IT-strategi och").unwrap();
        assert_eq!(&hay.text[found], "IT\u{ad}strategi och");
        // And the other way round: the optional hyphen in the needle.
        let hay = Haystack::new("kommunen och IT-strategi.");
        assert!(hay.find("kom\u{ad}munen och IT\u{ad}strategi.").is_some());
        let found = hay.find("kom\u{ad}munen").unwrap();
        assert_eq!(&hay.text[found], "kommunen");
    }

    #[test]
    fn sentences_end_at_stops_before_capitals() {
        let text = "Det finns en plan. Den följs t.ex. inte. 1. Är IT-verksamheten ändamålsenlig? \"Ja.\" Nej. \"Nej.\" sa de\nKlart";
        let found: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "Det finns en plan.",
                "Den följs t.ex. inte.",
                "1. Är IT-verksamheten ändamålsenlig?",
                "\"Ja.\"",
                "Nej.",
                "\"Nej.\" sa de",
                "Klart"
            ]
        );
    }

    #[test]
    fn nearest_finds_where_a_changed_sentence_starts() {
        let hay = Haystack::new("Det saknas en plan. Det saknas idag en strategi.");
        let (at, len) = hay.nearest("Det saknas idag ett styrdokument.").unwrap();
        assert_eq!(at, 20);
        assert_eq!(len, "Det saknas idag e".len());
    }
}
