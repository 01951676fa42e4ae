//! The groupings a reader browses by: municipality, audit firm, theme and year.
//!
//! Built once per site in one pass over the audits (linear in audits and items), each
//! group holding indices into the site's audit list, which is sorted newest first, so every
//! group's audits come out newest first too.

use std::collections::BTreeMap;

use super::audit::Audit;
use crate::config::{Config, Language};
use crate::text::sort_key;

/// A municipality with its audits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Municipality {
    pub name: String,
    pub slug: String,
    pub county: Option<String>,
    pub audits: Vec<usize>,
}

/// An audit firm with its audits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auditor {
    pub key: String,
    pub name: String,
    pub full_name: Option<String>,
    pub url: Option<String>,
    pub audits: Vec<usize>,
}

/// A theme of the vocabulary with the audits and items filed under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub key: String,
    pub label: String,
    pub description: Option<String>,
    pub audits: Vec<usize>,
    /// `(audit index, item index)` of every observation and recommendation under the theme.
    pub items: Vec<(usize, usize)>,
}

/// A year with the audits dated in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Year {
    pub year: i32,
    pub audits: Vec<usize>,
}

/// All groupings of a site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Taxonomies {
    /// Sorted by name, the Swedish way.
    pub municipalities: Vec<Municipality>,
    /// Sorted by name.
    pub auditors: Vec<Auditor>,
    /// Sorted by label.
    pub themes: Vec<Theme>,
    /// Newest first.
    pub years: Vec<Year>,
}

impl Taxonomies {
    /// Groups `audits` (which must be sorted newest first). Empty groups are left out.
    pub fn build(audits: &[std::sync::Arc<Audit>], config: &Config) -> Taxonomies {
        let mut municipalities: BTreeMap<String, Municipality> = BTreeMap::new();
        let mut auditors: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        // theme key → (audits, (audit, item) pairs)
        type Filed = (Vec<usize>, Vec<(usize, usize)>);
        let mut themes: BTreeMap<&str, Filed> = BTreeMap::new();
        let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (a, audit) in audits.iter().enumerate() {
            let meta = &audit.meta;
            let m = municipalities
                .entry(meta.municipality_slug.clone())
                .or_insert_with(|| Municipality {
                    name: meta.municipality.clone(),
                    slug: meta.municipality_slug.clone(),
                    county: None,
                    audits: Vec::new(),
                });
            m.audits.push(a);
            if m.county.is_none() {
                m.county.clone_from(&meta.county);
            }
            auditors.entry(&meta.auditor).or_default().push(a);
            years.entry(meta.date.year()).or_default().push(a);
            for theme in &meta.themes {
                themes.entry(theme).or_default().0.push(a);
            }
            for (i, item) in audit.items.iter().enumerate() {
                for theme in item.themes.iter() {
                    let entry = themes.entry(theme).or_default();
                    entry.1.push((a, i));
                    // An item can file an audit under a theme the audit itself does not list.
                    if entry.0.last() != Some(&a) {
                        entry.0.push(a);
                    }
                }
            }
        }
        let mut municipalities: Vec<Municipality> = municipalities.into_values().collect();
        municipalities.sort_by_cached_key(|m| (sort_key(&m.name), m.slug.clone()));
        let mut auditors: Vec<Auditor> = auditors
            .into_iter()
            .filter_map(|(key, audits)| {
                let def = config.auditors.get(key)?;
                Some(Auditor {
                    key: key.to_string(),
                    name: def.name.clone(),
                    full_name: def.full_name.clone(),
                    url: def.url.clone(),
                    audits,
                })
            })
            .collect();
        auditors.sort_by_cached_key(|a| (sort_key(&a.name), a.key.clone()));
        let mut themes: Vec<Theme> = themes
            .into_iter()
            .filter_map(|(key, (mut audits, items))| {
                let def = config.themes.get(key)?;
                audits.sort_unstable();
                audits.dedup();
                Some(Theme {
                    key: key.to_string(),
                    label: def.label(config.language).to_string(),
                    description: def.description.clone(),
                    audits,
                    items,
                })
            })
            .collect();
        themes.sort_by_cached_key(|t| (sort_key(&t.label), t.key.clone()));
        let years = years
            .into_iter()
            .rev()
            .map(|(year, audits)| Year { year, audits })
            .collect();
        Taxonomies {
            municipalities,
            auditors,
            themes,
            years,
        }
    }

    pub fn theme_label<'a>(config: &'a Config, key: &'a str, language: Language) -> &'a str {
        config.themes.get(key).map_or(key, |t| t.label(language))
    }
}
