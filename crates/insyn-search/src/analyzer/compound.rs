//! Compound splitting: a word written together (`informationssäkerhetspolicy`) split into
//! known parts (`information`, `säkerhet`, `policy`), linking `-s-` and `-e-` handled, finely
//! or coarsely ([`Split`]).

use super::is_stop_word;

/// Words shorter than this are never split into parts.
const MIN_COMPOUND: usize = 6;
/// Words longer than this (in characters) are never split: it bounds the work per word,
/// whatever a text holds (the longest word of the lexicon has 30 letters).
pub const MAX_COMPOUND: usize = 64;
/// The shortest part a compound may be split into, but for [`SHORT_MODIFIERS`].
const MIN_PART: usize = 3;
/// Two-letter words that may begin a compound when they are known (`itstrategin`, the
/// joined form of `IT-strategin`). Other two-letter words make more false splits than true
/// ones (`bo` + `stad`, `ny` + `het`).
const SHORT_MODIFIERS: &[&str] = &["it"];
/// The shortest head (last part), unless it is one of [`SHORT_HEADS`].
const MIN_HEAD: usize = 4;
/// Three-letter words common as the head of Swedish compounds (`verksamhetsmål`).
const SHORT_HEADS: &[&str] = &["bud", "fel", "lag", "led", "mål", "nät", "råd", "tid"];
/// Endings that look like words but are inflections or derivations (`verksamhet-ens`,
/// `kommun-erna`); never a head of their own.
const NOT_HEADS: &[&str] = &[
    "anden", "andet", "aren", "arens", "arna", "else", "elsen", "ensam", "elser", "endet", "ensen",
    "enser", "erna", "heten", "heter", "ighet", "ingar", "ingarna", "ings", "lighet", "liga",
    "ligt", "ning", "ningar", "ningen", "orna", "rade", "rades", "ring", "ringar", "ringarna",
    "ringen", "ringens", "rings", "skap", "skapet", "tens", "tion", "tioner",
];
/// Endings of present participles, never a head (`fram-kommande`, `grund-läggande`, and the
/// endings themselves: `verksamhet-ande`).
const NOT_HEAD_ENDINGS: &[&str] = &["ande", "ende"];
/// Words that are also prefixes bound to the word they begin (`samverkan`, `alltid`), and
/// adverbs that begin verbs rather than compounds (`framkommer`, `genomföra`): never a first
/// part of their own.
const NOT_MODIFIERS: &[&str] = &[
    "all", "besk", "däri", "därvid", "fast", "fort", "fram", "före", "förut", "genom", "huru",
    "inne", "komp", "kvar", "platt", "port", "sam", "samman", "ska", "trans", "väl", "åstad",
];

fn is_head(head: &str) -> bool {
    let n = head.chars().count();
    (n >= MIN_HEAD || SHORT_HEADS.contains(&head))
        && !NOT_HEADS.contains(&head)
        && !NOT_HEAD_ENDINGS.iter().any(|e| head.ends_with(e))
        && !is_stop_word(head)
}

/// How finely [`decompound`] splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Into the fewest known words: `informationssäkerhet` + `policy` (for queries: precise).
    Coarse,
    /// Into the smallest known words: `information` + `säkerhet` + `policy` (for the index:
    /// a search for any part finds the whole).
    Fine,
}

/// Splits a compound word into the words it is made of, when every part is a known word
/// (`known` is asked about normalised surface forms).
///
/// The head (the last part) is tried longest first; the rest must itself be a known word,
/// possibly with a linking `s` or `e` (`informations-`, `säkerhets-`) or with its final `a`
/// turned into `o` or `u` (`nytto-`, `gatu-`), or split further. Returns `None` when the
/// word is not a compound of known words, or is longer than [`MAX_COMPOUND`]. The work is
/// bounded: each part of the word is looked at once (cubic in its length at worst).
pub fn decompound(word: &str, known: &dyn Fn(&str) -> bool, split: Split) -> Option<Vec<String>> {
    decompound_with(word, known, known, split)
}

/// [`decompound`] with one test for heads (last parts) and another for first parts, each
/// asked about normalised surface forms: the native indexer knows heads by stem and first
/// parts as written.
pub fn decompound_with(
    word: &str,
    head: &dyn Fn(&str) -> bool,
    modifier: &dyn Fn(&str) -> bool,
    split: Split,
) -> Option<Vec<String>> {
    if word.len() < MIN_COMPOUND || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .take(MAX_COMPOUND + 1)
        .collect();
    let n = bounds.len();
    if !(MIN_COMPOUND..=MAX_COMPOUND).contains(&n) {
        return None;
    }
    bounds.push(word.len());
    let cells = (n + 1) * (n + 1);
    let mut splitter = Splitter {
        word,
        bounds,
        head,
        modifier,
        split,
        heads: vec![None; cells],
        known_modifiers: vec![None; cells],
        compounds: vec![None; cells],
        modifiers: vec![None; cells],
    };
    splitter.compound(0, n)
}

/// The state of one [`decompound`]: what is known of each part of the word (by the char
/// range it spans), so that no part is looked at twice.
struct Splitter<'a> {
    word: &'a str,
    /// The byte offset of each char, and the word's length.
    bounds: Vec<usize>,
    head: &'a dyn Fn(&str) -> bool,
    modifier: &'a dyn Fn(&str) -> bool,
    split: Split,
    heads: Vec<Option<bool>>,
    known_modifiers: Vec<Option<bool>>,
    compounds: Vec<Option<Option<Vec<String>>>>,
    modifiers: Vec<Option<Option<Vec<String>>>>,
}

impl<'a> Splitter<'a> {
    fn cell(&self, a: usize, b: usize) -> usize {
        a * self.bounds.len() + b
    }

    fn part(&self, a: usize, b: usize) -> &'a str {
        &self.word[self.bounds[a]..self.bounds[b]]
    }

    /// Whether chars `a..b` are a known head.
    fn head(&mut self, a: usize, b: usize) -> bool {
        let cell = self.cell(a, b);
        if let Some(k) = self.heads[cell] {
            return k;
        }
        let part = self.part(a, b);
        let k = is_head(part) && (self.head)(part);
        self.heads[cell] = Some(k);
        k
    }

    /// Whether chars `a..b` are a known first part, as written.
    fn known(&mut self, a: usize, b: usize) -> bool {
        let cell = self.cell(a, b);
        if let Some(k) = self.known_modifiers[cell] {
            return k;
        }
        let k = (self.modifier)(self.part(a, b));
        self.known_modifiers[cell] = Some(k);
        k
    }

    /// A head at `at` and a first part before it, as parts.
    fn split_at(&mut self, a: usize, at: usize, b: usize) -> Option<Vec<String>> {
        if !self.head(at, b) {
            return None;
        }
        let mut parts = self.modifier(a, at)?;
        let head_parts = match self.split {
            Split::Fine => self.compound(at, b),
            Split::Coarse => None,
        };
        parts.extend(head_parts.unwrap_or_else(|| vec![self.part(at, b).to_string()]));
        Some(parts)
    }

    /// The parts of chars `a..b` as a compound: a modifier and a head.
    fn compound(&mut self, a: usize, b: usize) -> Option<Vec<String>> {
        let cell = self.cell(a, b);
        if let Some(done) = &self.compounds[cell] {
            return done.clone();
        }
        let parts = self.compound_uncached(a, b);
        self.compounds[cell] = Some(parts.clone());
        parts
    }

    fn compound_uncached(&mut self, a: usize, b: usize) -> Option<Vec<String>> {
        if b - a < MIN_COMPOUND {
            return None;
        }
        for at in a + 2..=b - 3 {
            let Some(parts) = self.split_at(a, at, b) else {
                continue;
            };
            // A head that begins with a linking letter is read without it when that splits
            // too: `personuppgifts` + `lagen`, not `personuppgift` + `slagen`.
            let linked = matches!(self.part(at, at + 1), "s" | "e")
                .then(|| self.split_at(a, at + 1, b))
                .flatten();
            return Some(linked.unwrap_or(parts));
        }
        None
    }

    /// The parts of chars `a..e` as the first element of a compound: a known word, the same
    /// with a linking `s` or `e` or an `a` turned `o`/`u`, or a compound itself.
    fn modifier(&mut self, a: usize, e: usize) -> Option<Vec<String>> {
        let cell = self.cell(a, e);
        if let Some(done) = &self.modifiers[cell] {
            return done.clone();
        }
        let parts = self.modifier_uncached(a, e);
        self.modifiers[cell] = Some(parts.clone());
        parts
    }

    /// The base form of chars `a..e` when the first part of a compound lost or changed its
    /// last vowel: `nytto` → `nytta`, `gatu` → `gata` (tried before the form itself, which
    /// the lexicon may know as a form of compounds only), `beställar` → `beställare`, `skol`
    /// → `skola` (a noun: not `förs` → `förse`).
    fn base_form(&self, a: usize, e: usize) -> Option<String> {
        if e - a <= MIN_PART {
            return None;
        }
        let (prefix, last) = (self.part(a, e), self.part(e - 1, e));
        let base = match last {
            "o" | "u" => format!("{}a", self.part(a, e - 1)),
            "r" => format!("{prefix}e"),
            _ => format!("{prefix}a"),
        };
        let noun = !matches!(last, "o" | "u" | "r");
        ((self.modifier)(&base) && (!noun || (self.head)(&base))).then_some(base)
    }

    fn modifier_uncached(&mut self, a: usize, e: usize) -> Option<Vec<String>> {
        let prefix = self.part(a, e);
        let short = e - a < MIN_PART;
        if (short && !SHORT_MODIFIERS.contains(&prefix))
            || is_stop_word(prefix)
            || NOT_MODIFIERS.contains(&prefix)
        {
            return None;
        }
        let last = self.part(e - 1, e);
        // Without its linking letter: `informations` → `information`.
        let linked = e - a > MIN_PART
            && matches!(last, "s" | "e")
            && !is_stop_word(self.part(a, e - 1))
            && !NOT_MODIFIERS.contains(&self.part(a, e - 1));
        let vowel_changed = matches!(last, "o" | "u");
        let whole = match vowel_changed.then(|| self.base_form(a, e)).flatten() {
            Some(base) => Some(base),
            None if self.known(a, e) => Some(prefix.to_string()),
            None if linked && self.known(a, e - 1) => Some(self.part(a, e - 1).to_string()),
            None => self.base_form(a, e),
        };
        if self.split == Split::Fine || whole.is_none() {
            let finer = self.compound(a, e).or_else(|| {
                if linked {
                    self.compound(a, e - 1)
                } else {
                    None
                }
            });
            if finer.is_some() {
                return finer;
            }
        }
        whole.map(|w| vec![w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    use crate::analyzer::{Stemmer, surfaces, text_tokens};

    fn vocabulary(words: &[&str]) -> impl Fn(&str) -> bool {
        let set: HashSet<String> = words.iter().map(|w| w.to_string()).collect();
        move |w: &str| set.contains(w)
    }

    #[test]
    fn compounds_split_with_linking_s() {
        let known = vocabulary(&[
            "information",
            "säkerhet",
            "policy",
            "kompetens",
            "system",
            "förvaltning",
        ]);
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Fine),
            Some(vec![
                "information".into(),
                "säkerhet".into(),
                "policy".into()
            ])
        );
        assert_eq!(
            decompound("systemförvaltning", &known, Split::Fine),
            Some(vec!["system".into(), "förvaltning".into()])
        );
        assert_eq!(decompound("policy", &known, Split::Fine), None);
        assert_eq!(
            decompound("okändkompetens", &known, Split::Fine),
            None,
            "unknown first part"
        );
    }

    #[test]
    fn coarse_splits_keep_known_compounds_whole() {
        let known = vocabulary(&["information", "informationssäkerhet", "säkerhet", "policy"]);
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Coarse),
            Some(vec!["informationssäkerhet".into(), "policy".into()])
        );
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Fine),
            Some(vec![
                "information".into(),
                "säkerhet".into(),
                "policy".into()
            ])
        );
    }

    #[test]
    fn short_prefixes_and_stop_words_do_not_split() {
        let known = vocabulary(&["svar", "verkan", "och"]);
        assert_eq!(decompound("ansvar", &known, Split::Fine), None);
        assert_eq!(decompound("samverkan", &known, Split::Fine), None);
    }

    #[test]
    fn linking_e_and_changed_vowels() {
        let known = vocabulary(&[
            "tjänst",
            "leverans",
            "nytta",
            "kalkyl",
            "gata",
            "belysning",
            "beställare",
            "kompetens",
        ]);
        let split = |w| decompound(w, &known, Split::Fine);
        assert_eq!(
            split("tjänsteleverans"),
            Some(vec!["tjänst".into(), "leverans".into()])
        );
        assert_eq!(
            split("nyttokalkyl"),
            Some(vec!["nytta".into(), "kalkyl".into()])
        );
        assert_eq!(
            split("gatubelysning"),
            Some(vec!["gata".into(), "belysning".into()])
        );
        assert_eq!(
            split("beställarkompetens"),
            Some(vec!["beställare".into(), "kompetens".into()])
        );
    }

    #[test]
    fn a_linking_s_is_not_read_as_the_head_s_first_letter() {
        let known = vocabulary(&["personuppgift", "lag", "slag", "lagen", "slagen"]);
        assert_eq!(
            decompound("personuppgiftslagen", &known, Split::Fine),
            Some(vec!["personuppgift".into(), "lagen".into()])
        );
    }

    #[test]
    fn two_letter_parts_only_from_the_short_list() {
        let known = vocabulary(&["it", "strategi", "bo", "stad"]);
        assert_eq!(
            decompound("itstrategi", &known, Split::Fine),
            Some(vec!["it".into(), "strategi".into()])
        );
        assert_eq!(decompound("bostad", &known, Split::Fine), None);
    }

    #[test]
    fn bound_prefixes_do_not_split() {
        let known = vocabulary(&["sam", "verkan", "fram", "kommer", "all", "tid"]);
        assert_eq!(decompound("samverkan", &known, Split::Fine), None);
        assert_eq!(decompound("framkommer", &known, Split::Fine), None);
        assert_eq!(decompound("alltid", &known, Split::Fine), None);
    }

    #[test]
    fn long_words_are_bounded_and_fast() {
        // Every piece known: without memoising, splitting is exponential in the length.
        let all = |w: &str| w.chars().count() >= 3;
        let word = "abc".repeat(MAX_COMPOUND / 3);
        let start = std::time::Instant::now();
        for split in [Split::Fine, Split::Coarse] {
            assert!(decompound(&word, &all, split).is_some());
        }
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        // Past the cap, nothing is split, and a huge word is analysed in linear time.
        let huge = "a".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(decompound(&huge, &all, Split::Fine), None);
        assert_eq!(decompound(&"abc".repeat(22), &all, Split::Fine), None);
        let text = format!("en {huge} och {huge}-{huge} kalkyl");
        let tokens = text_tokens(&text, &Stemmer::default());
        let mut found = Vec::new();
        surfaces(&text, |s, _| found.push(s.to_string()));
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        assert_eq!(
            tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["kalkyl"],
            "tokens longer than MAX_TOKEN are not indexed"
        );
        assert_eq!(found, ["kalkyl"]);
    }

    #[test]
    fn inflection_endings_are_not_heads() {
        let known = vocabulary(&["verksamhet", "ens", "kommun", "erna", "mål"]);
        assert_eq!(decompound("verksamhetens", &known, Split::Fine), None);
        assert_eq!(decompound("kommunerna", &known, Split::Fine), None);
        assert_eq!(
            decompound("verksamhetsmål", &known, Split::Fine),
            Some(vec!["verksamhet".into(), "mål".into()])
        );
    }
}
