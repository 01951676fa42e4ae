//! `insyn new audit`: a new audit file with the whole front-matter template and the usual
//! sections, named so that it does not clash with an existing audit.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, CONTENT_DIR, front_matter};
use crate::model::Date;
use crate::text::{municipality_slug, slugify};

/// What the new audit is about.
#[derive(Clone, Debug)]
pub struct NewAudit {
    pub root: PathBuf,
    pub municipality: String,
    pub auditor: String,
    pub title: String,
    pub date: Date,
}

/// The ids in use: given `id:`s and file names.
fn ids_in_use(root: &Path) -> HashSet<String> {
    let mut ids = HashSet::new();
    for rel in content::find_files(root).unwrap_or_default() {
        if let Some(stem) = rel.file_stem() {
            ids.insert(stem.to_string_lossy().into_owned());
        }
        let text = fs::read_to_string(root.join(&rel)).unwrap_or_default();
        if let Ok(split) = front_matter::split(&text, &rel) {
            for line in split.yaml.lines() {
                if let Some(id) = line.strip_prefix("id:") {
                    ids.insert(id.trim().trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    ids
}

/// A short slug of a title: its first words, without the usual opening ("Granskning av").
fn title_slug(title: &str) -> String {
    let slug = slugify(title);
    let trimmed = [
        "granskning-av-",
        "granskning-",
        "forstudie-av-",
        "uppfoljning-av-",
    ]
    .iter()
    .find_map(|p| slug.strip_prefix(p))
    .unwrap_or(&slug);
    trimmed.split('-').take(5).collect::<Vec<_>>().join("-")
}

/// An audit's id before any suffix: `<place>-<year>-<title slug>`.
pub fn base_id(place: &str, date: Date, title: &str) -> String {
    format!("{place}-{}-{}", date.year(), title_slug(title))
        .trim_end_matches('-')
        .to_string()
}

/// The theme a new audit starts with (`styrning` when the site has it, else its first), and
/// all the site's theme keys.
pub fn first_theme(config: &Config) -> (&str, Vec<&str>) {
    let themes: Vec<&str> = config.themes.keys().map(String::as_str).collect();
    let theme = themes
        .iter()
        .find(|t| **t == "styrning")
        .or(themes.first())
        .copied()
        .unwrap_or("");
    (theme, themes)
}

/// The first free id of `base`, `base-2`, `base-3`, … (not an audit's id or file name, nor
/// `taken` by the caller), and its file `content/<place>/<id>.md` relative to `root`: an
/// existing audit is never overwritten.
pub fn free_path(
    root: &Path,
    place: &str,
    base: &str,
    taken: impl Fn(&str) -> bool,
) -> (String, PathBuf) {
    let used = ids_in_use(root);
    let id = (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| {
            !used.contains(id)
                && !taken(id)
                && !root
                    .join(CONTENT_DIR)
                    .join(place)
                    .join(format!("{id}.md"))
                    .exists()
        })
        .expect("some suffix is free");
    let rel = PathBuf::from(CONTENT_DIR)
        .join(place)
        .join(format!("{id}.md"));
    (id, rel)
}

/// Writes the new audit; returns its path relative to the root.
pub fn create(new: &NewAudit) -> Result<PathBuf, String> {
    let config = Config::load(&new.root).map_err(|_| {
        format!(
            "{} has no valid insyn.toml; run `insyn build` to see why",
            new.root.display()
        )
    })?;
    let auditor = config.resolve_auditor(&new.auditor).ok_or_else(|| {
        let known: Vec<&str> = config.auditors.keys().map(String::as_str).collect();
        format!(
            "unknown audit firm `{}`; the firms in insyn.toml are: {} (add new ones under [auditors.<key>])",
            new.auditor,
            known.join(", ")
        )
    })?;
    let municipality = new.municipality.trim();
    let place = municipality_slug(municipality);
    if place.is_empty() || new.title.trim().is_empty() {
        return Err("give a municipality and a title".to_string());
    }
    let (id, rel) = free_path(
        &new.root,
        &place,
        &base_id(&place, new.date, &new.title),
        |_| false,
    );
    let path = new.root.join(&rel);
    if path.exists() {
        return Err(format!("{} already exists", rel.display()));
    }
    let (theme, themes) = first_theme(&config);
    let text = template(&id, new, municipality, auditor, theme, &themes);
    fs::create_dir_all(path.parent().expect("content/<municipality>"))
        .map_err(|e| format!("cannot create {}: {e}", rel.display()))?;
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    Ok(rel)
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s.trim()).expect("a string serialises")
}

fn template(
    id: &str,
    new: &NewAudit,
    municipality: &str,
    auditor: &str,
    theme: &str,
    themes: &[&str],
) -> String {
    format!(
        r#"---
id: {id}
title: {title}
municipality: {municipality}
# county: ""
auditor: {auditor}
commissioned_by: {commissioned}
date: {date}
# granskning | fördjupad granskning | förstudie | uppföljning
report_type: granskning
# Theme keys from insyn.toml: {all_themes}
themes: [{theme}]
# audited_body: Kommunstyrelsen
# authors: [""]
# method: ""
# scope: ""
# period: ""
# pages: 1
# source:
#   url: https://
#   note: ""
# The report's text as extracted from its PDF, a file beside this one: every build checks
# that the audit quotes it verbatim (docs/content-format.md).
# source_text: {id}.source.txt
# omissions:
#   - passage: ""              # or from: "" and to: "", or lines: [""]
#     reason: ""
# assessment:
#   level: delvis uppfyllt   # uppfyllt | i huvudsak uppfyllt | delvis uppfyllt | ej uppfyllt | ej bedömt
#   basis: stated            # stated (the auditors' words) | derived (the editor's reading)
#   quote: ""
questions:
  - id: rf1
    text: "Revisionsfrågan, ordagrant."
    # themes: [{theme}]
    # assessment: {{ level: ej bedömt, basis: stated, quote: "" }}
# response:
#   recipient: Kommunstyrelsen
#   due: {date}
#   received: {date}         # when the reply came (url: the reply)
#   not_received: {{ source: "" }}   # only where a source says no reply came, never with received
# follows_up: id-of-an-earlier-audit
# items:
#   rf1-r1: {{ status: öppen, addressee: Kommunstyrelsen, priority: medel }}
---

## Sammanfattning

Sammanfattningen, ordagrant ur rapporten.

## Revisionsfrågor

### Revisionsfråga 1 {{#rf1}}

Revisionsfrågan, ordagrant.

#### Iakttagelser

- En iakttagelse per punkt.

#### Rekommendationer

- En rekommendation per punkt.
"#,
        title = yaml_string(&new.title),
        municipality = yaml_string(municipality),
        commissioned = yaml_string(&format!(
            "De förtroendevalda revisorerna i {municipality} kommun"
        )),
        date = new.date,
        all_themes = themes.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_slugs_are_short_and_readable() {
        assert_eq!(
            title_slug("Granskning av IT-verksamheten inom Alvesta kommun"),
            "it-verksamheten-inom-alvesta-kommun"
        );
        assert_eq!(
            title_slug("Förstudie av digital utveckling"),
            "digital-utveckling"
        );
    }
}
