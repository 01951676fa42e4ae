//! What changed on disk, sorted by what it affects: the rebuild `insyn serve` does for it
//! depends on it (see [`super::dev`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;

/// What changed on disk, sorted by what it affects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Audit files, relative to the root.
    pub content: BTreeSet<PathBuf>,
    /// Template names (`audit.html`).
    pub templates: BTreeSet<String>,
    pub statics: bool,
    /// `insyn.toml`, a theme's `theme.toml` or a source text: rebuild everything.
    pub everything: bool,
}

impl Changes {
    /// Classifies changed paths (absolute or relative to `root`), each with whether it is a
    /// folder that appeared or went.
    pub fn classify(root: &Path, paths: impl IntoIterator<Item = (PathBuf, bool)>) -> Changes {
        let mut changes = Changes::default();
        for (path, folder) in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = parts.last().cloned().unwrap_or_default();
            if last.starts_with('.') || last.ends_with('~') {
                continue; // editor swap and backup files
            }
            let top = ["content", "templates", "static", "themes"];
            match parts.first().map(String::as_str) {
                // A source folder itself appeared, moved or went.
                Some(dir) if parts.len() == 1 && top.contains(&dir) => changes.everything = true,
                Some(CONTENT_DIR) if last.ends_with(".md") => {
                    changes.content.insert(rel);
                }
                // An audit's source text (`source_text`): the audits that name it are checked
                // against it again. Which those are is known only once they are read, and
                // source texts change rarely: everything is rebuilt.
                Some(CONTENT_DIR) if last.ends_with(".txt") => changes.everything = true,
                Some(CONTENT_DIR) if folder => {
                    // A folder appeared or went; its files are not reported one by one.
                    changes.everything = true;
                }
                Some("templates") => {
                    changes.templates.insert(parts[1..].join("/"));
                }
                Some("static") => changes.statics = true,
                Some("themes") => match parts.get(2).map(String::as_str) {
                    Some("templates") => {
                        changes.templates.insert(parts[3..].join("/"));
                    }
                    Some("static") => changes.statics = true,
                    _ => changes.everything = true,
                },
                Some(crate::config::CONFIG_FILE) => changes.everything = true,
                _ => {}
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified_by_what_they_affect() {
        let root = Path::new("/site");
        let files = |paths: &[&str]| -> Vec<(PathBuf, bool)> {
            paths.iter().map(|p| (PathBuf::from(p), false)).collect()
        };
        let c = Changes::classify(
            root,
            files(&[
                "/site/content/a/b.md",
                "/site/content/a/.b.md.swp",
                "/site/content/a/sedX1b2c3",
                "/site/themes/default/templates/audit.html",
                "/site/templates/base.html",
                "/site/themes/default/static/style.css",
                "/site/public/index.html",
            ]),
        );
        assert_eq!(c.content, BTreeSet::from([PathBuf::from("content/a/b.md")]));
        assert_eq!(
            c.templates,
            BTreeSet::from(["audit.html".to_string(), "base.html".to_string()])
        );
        assert!(c.statics);
        assert!(!c.everything);
        assert!(Changes::classify(root, files(&["/site/insyn.toml"])).everything);
        assert!(Changes::classify(root, files(&["/site/themes/default/theme.toml"])).everything);
        assert!(Changes::classify(root, files(&["/site/target/x"])).is_empty());
        assert!(Changes::classify(root, files(&["/site/content/a/b.source.txt"])).everything);
        assert!(Changes::classify(root, [(PathBuf::from("/site/content/new"), true)]).everything);
        // `mv content x` and back are renames, not folder events.
        assert!(Changes::classify(root, files(&["/site/content"])).everything);
    }
}
