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
}
