//! The Swedish stemmer: Snowball's, applied until the stem stops changing, with doubled
//! final consonants undone, so that inflected forms share a stem.

use std::borrow::Cow;

/// The stemmer for Swedish.
pub struct Stemmer(frostem::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer(frostem::Stemmer::new(frostem::Algorithm::Swedish))
    }
}

impl Stemmer {
    /// The stem of a normalised (lower-cased, folded) word. Numbers are left alone.
    ///
    /// Snowball's Swedish stemmer takes off one ending, and what is left may end like
    /// another one: `kompetensen` → `kompetens` but `kompetens` → `kompet`, `licenser` →
    /// `licens` but `licens` → `lic`, so that a word and its own inflections would not meet.
    /// The stemmer is therefore applied until the stem stays the same. It also leaves a
    /// definite `-et` after a doubled consonant (`rummet`, `programmet`) and the doubled
    /// consonant itself (`rumm-en`): both are undone, so `serverrummet` meets `serverrum`.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return Cow::Borrowed(word);
        }
        let mut stem = self.stem_once(word);
        for _ in 0..MAX_STEM_ROUNDS {
            let again = self.0.stem(&stem);
            if again == stem {
                break;
            }
            stem = Cow::Owned(again.into_owned());
        }
        match undouble(&stem) {
            Some(shorter) => Cow::Owned(shorter),
            None => stem,
        }
    }
}

impl Stemmer {
    /// Snowball's stem of a normalised word: one ending off. Compound splitting compares
    /// parts by it (a part inflected as the whole word is: `lönsamhets-kalkylen`); its rules
    /// were tuned with it, and the shorter stems of [`Stemmer::stem`] would let more pieces
    /// of words pass for words (`säker-hets`).
    pub fn stem_once<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.chars().any(|c| c.is_ascii_digit()) {
            Cow::Borrowed(word)
        } else {
            self.0.stem(word)
        }
    }
}

/// How many more times the stemmer is applied at most (a stem shortens each time).
const MAX_STEM_ROUNDS: usize = 3;

/// `stem` without a definite `-et` after a doubled consonant and without a doubled final
/// consonant (`rummet` → `rum`, `programm` → `program`); `None` when neither applies.
fn undouble(stem: &str) -> Option<String> {
    let base = stem
        .strip_suffix("et")
        .filter(|b| ends_doubled(b))
        .unwrap_or(stem);
    ends_doubled(base).then(|| {
        let mut shorter = base.to_string();
        shorter.pop();
        shorter
    })
}

/// Whether `word` ends in the same consonant twice, with at least three letters before.
fn ends_doubled(word: &str) -> bool {
    let mut rev = word.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(a), Some(b)) => a == b && !is_vowel(a) && a.is_alphabetic() && rev.count() >= 3,
        _ => false,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'å' | 'ä' | 'ö')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_stem() {
        let s = Stemmer::default();
        for forms in [
            &["rekommendationer", "rekommendationen", "rekommendation"][..],
            &["kommunerna", "kommunen", "kommun", "kommunens"],
            &["kompetens", "kompetensen", "kompetenser"],
            &["licens", "licenser", "licenserna"],
            &["finansieras", "finansierats", "finansierat"],
            &["serverrum", "serverrummet", "serverrummen"],
            &["program", "programmet"],
            &["system", "systemet", "systemen"],
        ] {
            let stems: Vec<_> = forms.iter().map(|f| s.stem(f)).collect();
            assert!(stems.iter().all(|x| *x == stems[0]), "{forms:?}: {stems:?}");
        }
        // Different words stay apart.
        assert_ne!(s.stem("styrning"), s.stem("styrelse"));
        assert_ne!(s.stem("system"), s.stem("systemförvaltning"));
    }
}
