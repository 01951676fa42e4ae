//! Themes: templates, static files and interface translations.
//!
//! A theme is a folder `themes/<name>/` with `theme.toml` (its translations),
//! `templates/*.html` (tera) and `static/` (copied into the output). As in Zola, a site's own
//! `templates/` and `static/` override the theme's file by file. The default theme is also
//! compiled into the binary, so `insyn init` can write it and a site without a `themes/`
//! folder still builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::translations::Translations;

/// The theme's files, with the site's overrides applied.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The interface texts, the default theme's filling any key this theme lacks.
    pub translations: Translations,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeToml {
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    translations: BTreeMap<String, BTreeMap<String, String>>,
}

impl Theme {
    /// Loads the configured theme for the site at `root`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let dir = root.join("themes").join(&config.theme);
        let mut files = if dir.is_dir() {
            read_tree(root, &dir)?
        } else if config.theme == "default" {
            super::default_theme::files()
                .iter()
                .map(|(p, b)| (p.to_string(), b.to_vec()))
                .collect()
        } else {
            return Err(Diagnostics::from_iter([Diagnostic::error(
                "insyn.toml",
                format!("the theme `{}` does not exist", config.theme),
            )
            .field("theme")
            .hint(format!("there is no folder {}", dir.display()))]));
        };
        // The site's own templates/ and static/ win over the theme's.
        for sub in ["templates", "static"] {
            let own = root.join(sub);
            if own.is_dir() {
                for (path, bytes) in read_tree(root, &own)? {
                    files.insert(format!("{sub}/{path}"), bytes);
                }
            }
        }
        let mut theme = Theme::from_files(files, &dir)?;
        theme.translations = std::mem::take(&mut theme.translations).over(builtin_translations());
        Ok(theme)
    }

    /// Builds a theme from `relative path → bytes` (as found under the theme folder).
    pub fn from_files(files: BTreeMap<String, Vec<u8>>, dir: &Path) -> Result<Theme, Diagnostics> {
        let mut theme = Theme::default();
        let mut problems = Diagnostics::new();
        for (path, bytes) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        theme.templates.insert(name.to_string(), text);
                    }
                    Err(_) => problems.push(Diagnostic::error(
                        dir.join(&path),
                        "a template must be UTF-8 text",
                    )),
                }
            } else if let Some(name) = path.strip_prefix("static/") {
                theme.static_files.insert(name.to_string(), bytes);
            } else if path == "theme.toml" {
                let text = String::from_utf8_lossy(&bytes);
                match toml::from_str::<ThemeToml>(&text) {
                    Ok(t) => theme.translations = Translations::new(t.translations),
                    Err(e) => problems.push(
                        Diagnostic::error(dir.join("theme.toml"), e.message().to_string())
                            .at(e.span().map(|s| crate::config::position_of(&text, s.start))),
                    ),
                }
            }
        }
        if problems.has_errors() {
            Err(problems)
        } else {
            Ok(theme)
        }
    }
}

/// The default theme's interface texts, as compiled into the binary (parsed once: `serve`
/// reloads the theme on every template edit).
fn builtin_translations() -> &'static Translations {
    static BUILTIN: std::sync::OnceLock<Translations> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| {
        let files = super::default_theme::files()
            .iter()
            .filter(|(p, _)| *p == "theme.toml")
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect();
        // The embedded theme is tested to parse (`default_theme`'s tests).
        Theme::from_files(files, Path::new("themes/default"))
            .map(|t| t.translations)
            .unwrap_or_default()
    })
}

/// Every file under `dir`, relative to it, with `/` separators; links are not followed.
fn read_tree(root: &Path, dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut problems = Diagnostics::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let rel_root = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel: PathBuf = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match std::fs::read(e.path()) {
                    Ok(bytes) => {
                        files.insert(name, bytes);
                    }
                    Err(err) => problems.push(Diagnostic::error(
                        rel_root(e.path()),
                        format!("cannot read: {err}"),
                    )),
                }
            }
            Ok(e) if e.path_is_symlink() => problems.push(
                Diagnostic::warning(
                    rel_root(e.path()),
                    "symbolic links in themes and static/ are skipped",
                )
                .hint("copy the file instead of linking to it"),
            ),
            Ok(_) => {}
            Err(err) => problems.push(Diagnostic::error(
                err.path().map_or_else(|| dir.to_path_buf(), rel_root),
                format!("cannot read: {err}"),
            )),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(files)
    }
}
