//! A Swedish lexicon (feature `write`: the native indexer only, never the browser's engine),
//! so that compound words split into parts the corpus never uses alone: `lönsamhetskalkyl`
//! → `lönsamhet` + `kalkyl` though no audit says `kalkyl` on its own.
//!
//! The words are the base forms of the LibreOffice Swedish Hunspell dictionary (npm package
//! `dictionary-sv` 4.0.0, LGPL-3.0), lower-cased and folded as [`normalize`] does, without
//! proper nouns, abbreviations and words with digits: `lexicon/sv.txt`, written by
//! `scripts/lexicon`. A word that Hunspell does not let end a compound (verbs, most
//! adjectives, forms found only inside compounds such as `beställar`) is written there with a
//! trailing hyphen, and may only begin one.
//!
//! A head (the last part of a compound) is compared by stem, as the corpus's words are: it is
//! inflected in the text (`lönsamhetskalkylen`) and a base form here. A first part is compared
//! as written (with the linking letters [`crate::analyzer::decompound`] allows): compared by
//! stem, too many pieces of words are the stem of some word (`förändr`, `kompet`).
//!
//! [`normalize`]: crate::analyzer::normalize

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::analyzer::{FxBuild, Stemmer};

/// The words, one a line, sorted by bytes; `-` after a word that never ends a compound.
const WORDS: &str = include_str!("../lexicon/sv.txt");

/// The lexicon: its words, and the stems of those that may end a compound.
pub struct Lexicon {
    /// Sorted, for [`Lexicon::contains`].
    words: Vec<&'static str>,
    /// Whether each word may end a compound.
    ends: Vec<bool>,
    /// The stems of the words that may end a compound.
    heads: HashSet<String, FxBuild>,
    /// The stems of the words that may not, and are not the stem of one that may (`komm`).
    not_heads: HashSet<String, FxBuild>,
}

/// The lexicon, loaded (and its words stemmed) on first use: about 130,000 words, 1.5 MB.
pub fn get() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

impl Lexicon {
    fn load() -> Lexicon {
        let lines: Vec<&'static str> = WORDS.lines().filter(|w| !w.is_empty()).collect();
        // Sequential on purpose: a rayon worker that waited here for parallel stemming could
        // steal another build's job that also asks for the lexicon, and wait on itself.
        let stemmer = Stemmer::default();
        let stems: Vec<String> = lines
            .iter()
            .map(|w| stemmer.stem_once(w.trim_end_matches('-')).into_owned())
            .collect();
        let ends: Vec<bool> = lines.iter().map(|w| !w.ends_with('-')).collect();
        let mut heads = HashSet::default();
        let mut not_heads = HashSet::default();
        for (stem, &end) in stems.into_iter().zip(&ends) {
            if end {
                heads.insert(stem);
            } else {
                not_heads.insert(stem);
            }
        }
        not_heads.retain(|s| !heads.contains(s));
        let words = lines
            .into_iter()
            .map(|w| w.strip_suffix('-').unwrap_or(w))
            .collect();
        Lexicon {
            words,
            ends,
            heads,
            not_heads,
        }
    }

    /// Whether `word` (normalised) is a word of the lexicon, as written.
    pub fn contains(&self, word: &str) -> bool {
        self.words.binary_search(&word).is_ok()
    }

    /// Whether `stem` is the stem of a word of the lexicon that may end a compound.
    pub fn is_head(&self, stem: &str) -> bool {
        self.heads.contains(stem)
    }

    /// Whether `stem` is the stem of words of the lexicon that may not end a compound, and of
    /// none that may: a verb's (`kommer`) or an adjective's, which the corpus knows too.
    pub fn is_not_head(&self, stem: &str) -> bool {
        self.not_heads.contains(stem)
    }

    /// Whether `word` is a word of the lexicon that may end a compound, as written.
    pub fn ends_compounds(&self, word: &str) -> bool {
        self.words.binary_search(&word).is_ok_and(|i| self.ends[i])
    }

    /// How many words it has.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The base form of an inflected noun: a noun of the lexicon (a word that may end a
    /// compound) of at least four letters, with an ending (`-n` after a vowel: `strategin`
    /// → `strategi`, `policyn` → `policy`; `-en`, `-er`, `-erna`: `kompetensen` →
    /// `kompetens`). `None` for a word that is itself in the lexicon (`rutin`). The indexer
    /// uses it where the stemmer does not bring the two together (it stems `kompetens` to
    /// `kompet` but `kompetensen` to `kompetens`, and leaves `strategin` alone), so that
    /// `strategi` finds `IT-strategin`.
    pub fn noun_base<'w>(&self, word: &'w str) -> Option<&'w str> {
        if self.contains(word) {
            return None;
        }
        let vowel = |w: &str| {
            w.chars()
                .next_back()
                .is_some_and(|c| "aeiouyåäö".contains(c))
        };
        ["n", "en", "er", "erna"]
            .iter()
            .filter_map(|ending| word.strip_suffix(ending))
            .find(|base| {
                (base.len() + 1 != word.len() || vowel(base))
                    && base.chars().count() >= 4
                    && self.ends_compounds(base)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_sorted_unique_normalised_and_clean() {
        let lexicon = get();
        assert!(lexicon.len() > 100_000, "{}", lexicon.len());
        for pair in lexicon.words.windows(2) {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
        }
        for w in &lexicon.words {
            assert_eq!(crate::analyzer::normalize(w), *w);
            assert!(w.chars().count() >= 2, "{w}");
            assert!(
                w.chars()
                    .all(|c| c.is_ascii_lowercase() || "åäö".contains(c)),
                "{w}"
            );
        }
    }

    #[test]
    fn it_has_the_words_of_the_audits_and_not_junk() {
        let lexicon = get();
        for w in [
            "kalkyl",
            "strategi",
            "lönsamhet",
            "digitalisering",
            "säkerhet",
            "förvaltning",
            "kompetens",
            "it",
        ] {
            assert!(lexicon.contains(w), "{w}");
        }
        // Proper nouns, abbreviations, inflection endings.
        for w in ["stockholm", "kg", "tv", "bl", "erna", "heten", "ning"] {
            assert!(!lexicon.contains(w), "{w}");
        }
        let stemmer = Stemmer::default();
        assert!(lexicon.is_head(&stemmer.stem_once("kalkylerna")));
        // Verbs and bound forms begin compounds but never end one.
        for w in ["komma", "läro"] {
            assert!(lexicon.contains(w), "{w}");
            assert!(!lexicon.is_head(&stemmer.stem_once(w)), "{w}");
        }
    }

    #[test]
    fn inflected_nouns_have_a_base() {
        let lexicon = get();
        assert_eq!(lexicon.noun_base("strategin"), Some("strategi"));
        assert_eq!(lexicon.noun_base("policyn"), Some("policy"));
        assert_eq!(lexicon.noun_base("kompetensen"), Some("kompetens"));
        assert_eq!(lexicon.noun_base("kompetenser"), Some("kompetens"));
        assert_eq!(lexicon.noun_base("rutin"), None, "a word of its own");
        assert_eq!(lexicon.noun_base("strategi"), None);
        assert_eq!(lexicon.noun_base("tion"), None, "not `tio`: too short");
        assert_eq!(
            lexicon.noun_base("kalkyln"),
            None,
            "`-n` only after a vowel"
        );
    }

    /// The parts the indexer gives `word`, from the lexicon alone (a corpus that has no
    /// other word).
    fn parts(word: &str) -> Vec<String> {
        let none = crate::writer::Vocabulary::default();
        let known = crate::writer::Known {
            corpus: [&none, &none],
            lexicon: get(),
        };
        known.parts(word)
    }

    #[test]
    fn compounds_of_the_audits_split_by_the_lexicon() {
        // Parts are indexed by stem: a part matches when its stem is the expected word's.
        let stemmer = Stemmer::default();
        let has = |word: &str, expected: &[&str]| {
            let found = parts(word);
            for e in expected {
                assert!(
                    found.iter().any(|p| stemmer.stem(p) == stemmer.stem(e)),
                    "{word}: {found:?} lacks {e}"
                );
            }
        };
        has("lönsamhetskalkyl", &["lönsamhet", "kalkyl"]);
        has("lönsamhetskalkylerna", &["lönsamhet", "kalkylerna"]);
        has("digitaliseringsstrategi", &["digitalisering", "strategi"]);
        has(
            "informationssäkerhetspolicy",
            &["information", "säkerhet", "policy"],
        );
        has("systemförvaltning", &["system", "förvaltning"]);
        has("beställarkompetens", &["beställar", "kompetens"]);
        has("molnstrategi", &["moln", "strategi"]);
        // `-o-` for `-a` (`nytta`), and the joined `IT-strategin`, whose head is definite.
        has("nyttokalkyl", &["nytta", "kalkyl"]);
        has("itstrategin", &["it", "strategin", "strategi"]);
        has("strategin", &["strategi"]);
        has("beställarkompetensen", &["beställar", "kompetens"]);
    }

    #[test]
    fn words_that_only_look_like_compounds_do_not_split() {
        for word in [
            // Bound prefixes, particles and inflection endings.
            "ansvar",
            "samverkan",
            "alltid",
            "kommunerna",
            "verksamhetens",
            "förslag",
            "framkommer",
            "genomföra",
            "gemensam",
            "användaren",
            "blanketter",
            "kvartalet",
            "beskrivning",
            "digitalisering",
            "funktion",
            "baserade",
            "individer",
        ] {
            let found = parts(word);
            assert!(
                found
                    .iter()
                    .all(|p| word.starts_with(p.as_str()) && p.len() + 2 >= word.len()),
                "{word}: {found:?}"
            );
        }
    }

    #[test]
    fn a_huge_word_of_known_parts_is_cheap() {
        // 80,000 letters, every piece a word (half as many took a build 13 minutes and
        // 2.9 GB before the splitter was bounded).
        let word = "lönsamhetskalkyl".repeat(5_000);
        parts("lönsamhetskalkyl");
        let start = std::time::Instant::now();
        assert!(parts(&word).is_empty());
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
    }

    #[test]
    fn loading_is_fast_enough() {
        // Measured: see docs/search.md (The Swedish lexicon). A generous bound for debug builds.
        let start = std::time::Instant::now();
        let lexicon = Lexicon::load();
        let took = start.elapsed();
        eprintln!("lexicon: {} words loaded in {took:?}", lexicon.len());
        assert!(took.as_secs() < 20, "{took:?}");
    }
}
