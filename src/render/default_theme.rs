//! The default theme, compiled into the binary (for `insyn init`, and for sites without a
//! `themes/default/` folder of their own).
//!
//! The list must name every file under `themes/default/`; a test checks that it does.

/// `(path under themes/default/, contents)` of every file of the default theme.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    FILES
}

const FILES: &[(&str, &[u8])] = &[
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/audit.html",
        include_bytes!("../../themes/default/templates/audit.html"),
    ),
    (
        "templates/auditor.html",
        include_bytes!("../../themes/default/templates/auditor.html"),
    ),
    (
        "templates/auditors.html",
        include_bytes!("../../themes/default/templates/auditors.html"),
    ),
    (
        "templates/audits.html",
        include_bytes!("../../themes/default/templates/audits.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/components.html",
        include_bytes!("../../themes/default/templates/components.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/municipalities.html",
        include_bytes!("../../themes/default/templates/municipalities.html"),
    ),
    (
        "templates/municipality.html",
        include_bytes!("../../themes/default/templates/municipality.html"),
    ),
    (
        "templates/recommendations.html",
        include_bytes!("../../themes/default/templates/recommendations.html"),
    ),
    (
        "templates/theme.html",
        include_bytes!("../../themes/default/templates/theme.html"),
    ),
    (
        "templates/themes.html",
        include_bytes!("../../themes/default/templates/themes.html"),
    ),
    (
        "templates/year.html",
        include_bytes!("../../themes/default/templates/year.html"),
    ),
    (
        "templates/years.html",
        include_bytes!("../../themes/default/templates/years.html"),
    ),
    (
        "theme.toml",
        include_bytes!("../../themes/default/theme.toml"),
    ),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn embedded_theme_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = super::files().iter().map(|(p, _)| *p).collect();
        assert_eq!(
            embedded, on_disk,
            "update FILES in src/render/default_theme.rs"
        );
        for (path, bytes) in super::files() {
            assert_eq!(
                *bytes,
                std::fs::read(dir.join(path)).unwrap().as_slice(),
                "{path}"
            );
        }
    }
}
