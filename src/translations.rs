//! The interface texts of a theme, by language: every word the site itself writes (labels,
//! headings, the names of statuses and levels), as opposed to the auditors' text.
//!
//! They live in the theme's `theme.toml` (`[translations.sv]`, `[translations.en]`), so a
//! site can reword or translate its interface without touching Rust. The model names the
//! *key* of a label (e.g. `ItemKind::label_key`); the theme gives the text.

use std::collections::BTreeMap;

use crate::config::Language;

/// Language code → key → text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Translations {
    languages: BTreeMap<String, BTreeMap<String, String>>,
}

impl Translations {
    pub fn new(languages: BTreeMap<String, BTreeMap<String, String>>) -> Translations {
        Translations { languages }
    }

    /// `self`, with `defaults` filling the keys it lacks (language by language): a theme made
    /// before a key existed still gets a text for it.
    pub fn over(mut self, defaults: &Translations) -> Translations {
        for (language, texts) in &defaults.languages {
            let own = self.languages.entry(language.clone()).or_default();
            for (key, text) in texts {
                own.entry(key.clone()).or_insert_with(|| text.clone());
            }
        }
        self
    }

    /// The texts `language` (a code) itself has, without fallbacks.
    pub fn strings_of(&self, language: &str) -> BTreeMap<String, String> {
        self.languages.get(language).cloned().unwrap_or_default()
    }

    /// Every text for `language` (a code), falling back to Swedish key by key.
    pub fn strings(&self, language: &str) -> BTreeMap<String, String> {
        let mut strings = self.languages.get("sv").cloned().unwrap_or_default();
        if let Some(own) = self.languages.get(language) {
            strings.extend(own.clone());
        }
        strings
    }

    /// The text of `key` in `language`, else in Swedish, else the key itself (so a missing
    /// text shows up on the page instead of an empty label).
    pub fn text<'a>(&'a self, language: Language, key: &'a str) -> &'a str {
        [language.code(), "sv"]
            .iter()
            .find_map(|l| self.languages.get(*l)?.get(key))
            .map_or(key, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translations(pairs: &[(&str, &str, &str)]) -> Translations {
        let mut languages: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (language, key, text) in pairs {
            languages
                .entry(language.to_string())
                .or_default()
                .insert(key.to_string(), text.to_string());
        }
        Translations::new(languages)
    }

    #[test]
    fn falls_back_to_swedish_then_to_the_key() {
        let t = translations(&[
            ("sv", "a", "A-sv"),
            ("sv", "b", "B-sv"),
            ("en", "a", "A-en"),
        ]);
        assert_eq!(t.text(Language::En, "a"), "A-en");
        assert_eq!(t.text(Language::En, "b"), "B-sv");
        assert_eq!(t.text(Language::Sv, "c"), "c");
        assert_eq!(t.strings("en")["b"], "B-sv");
    }

    #[test]
    fn own_texts_win_over_defaults() {
        let own = translations(&[("sv", "a", "egen")]);
        let defaults = translations(&[("sv", "a", "standard"), ("sv", "b", "B")]);
        let t = own.over(&defaults);
        assert_eq!(t.text(Language::Sv, "a"), "egen");
        assert_eq!(t.text(Language::Sv, "b"), "B");
    }
}
