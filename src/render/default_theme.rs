//! The default theme, compiled into the binary (for `insyn init`, and for sites without a
//! `themes/default/` folder of their own). build.rs lists every file under
//! `themes/default/`, so the embedded theme is always the one in the repository.

/// `(path under themes/default/, contents)` of every file of the default theme.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    FILES
}

const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn the_theme_has_its_templates() {
        let names: Vec<&str> = super::files().iter().map(|(p, _)| *p).collect();
        for t in [
            "theme.toml",
            "templates/base.html",
            "templates/audit.html",
            "static/style.css",
        ] {
            assert!(names.contains(&t), "{t} missing from {names:?}");
        }
    }

    /// Every label the code looks up has a Swedish and an English text, and the English
    /// translation is complete.
    #[test]
    fn the_theme_has_every_text_in_both_languages() {
        use crate::model::{AssessmentLevel, ItemKind, RecommendationStatus, ReportType};
        let files = super::files()
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        let theme = crate::render::Theme::from_files(files, std::path::Path::new("t")).unwrap();
        let (sv, en) = (
            theme.translations.strings_of("sv"),
            theme.translations.strings_of("en"),
        );
        let sv_keys: Vec<&String> = sv.keys().collect();
        let en_keys: Vec<&String> = en.keys().collect();
        assert_eq!(sv_keys, en_keys, "the same keys in Swedish and English");
        let keys = ReportType::ALL
            .iter()
            .map(|r| r.label_key())
            .chain(AssessmentLevel::ALL.iter().map(|l| l.label_key()))
            .chain(RecommendationStatus::ALL.iter().map(|s| s.label_key()))
            .chain([ItemKind::Observation, ItemKind::Recommendation].map(ItemKind::label_key))
            .chain([
                "footnotes",
                "footnote_back",
                "note",
                "editorial_note",
                "permalink_observation",
                "permalink_recommendation",
                "summary",
                "text_passage",
                "audit_questions",
                "overall_assessment",
                "status_none",
            ]);
        for key in keys {
            assert!(sv.contains_key(key), "no Swedish text for `{key}`");
        }
    }
}
