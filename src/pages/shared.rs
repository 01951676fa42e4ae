//! What every page's context starts from, computed once per build: the audit cards, the
//! rendered listing entries and the taxonomy terms with their counts.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tera::Value;

use super::views::{AuditCard, ItemView, Term};
use crate::model::{Audit, ItemCounts, ItemKind};
use crate::site::Site;

/// What every page's context starts from, computed once per build.
pub struct Shared {
    /// One card per audit, in the site's order.
    pub cards: Vec<Value>,
    pub municipalities: Vec<Term>,
    pub auditors: Vec<Term>,
    pub themes: Vec<Term>,
    pub years: Vec<Term>,
    /// Every recommendation's listing entry (`entry.html`), rendered once, by audit.
    pub entries: Vec<Arc<AuditEntries>>,
}

/// One audit's rendered listing entries, one per item (none for observations, which the
/// register does not list), kept LZ4-compressed: at 100,000 audits they are 1.9 million
/// entries, which as plain strings were the largest thing a build held after the audits.
#[derive(Default)]
pub struct AuditEntries {
    html: crate::model::Packed,
    /// Per item, where its entry ends in the text (an observation's is empty).
    ends: Vec<u32>,
}

impl AuditEntries {
    fn new(entries: &[Option<String>]) -> AuditEntries {
        let mut text = String::new();
        let ends = entries
            .iter()
            .map(|entry| {
                text.push_str(entry.as_deref().unwrap_or(""));
                text.len() as u32
            })
            .collect();
        AuditEntries {
            html: crate::model::Packed::new(&text),
            ends,
        }
    }

    /// The entries, by item: template values marked safe (null for observations).
    pub fn values(&self) -> Vec<Value> {
        let text = self.html.text();
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let entry = &text[start..end as usize];
                start = end as usize;
                if entry.is_empty() {
                    Value::none()
                } else {
                    Value::safe_string(entry)
                }
            })
            .collect()
    }
}

impl Shared {
    /// Nothing shared, for pages that need none of it.
    pub(super) fn empty() -> Shared {
        Shared {
            cards: Vec::new(),
            municipalities: Vec::new(),
            auditors: Vec::new(),
            themes: Vec::new(),
            years: Vec::new(),
            entries: Vec::new(),
        }
    }

    pub fn new(
        site: &Site,
        renderer: &crate::render::Renderer,
    ) -> Result<Shared, crate::diagnostics::Diagnostic> {
        Shared::reusing(site, renderer, None)
    }

    /// Like [`Shared::new`], but the cards and entries of audits that are not in `changed`
    /// (audit ids) are taken from `before`, the shared data of an earlier state of the site.
    pub fn reusing(
        site: &Site,
        renderer: &crate::render::Renderer,
        before: Option<(&Shared, &Site, &HashSet<String>)>,
    ) -> Result<Shared, crate::diagnostics::Diagnostic> {
        use rayon::prelude::*;
        let earlier: HashMap<&str, usize> = before
            .map(|(_, old, _)| {
                old.audits
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id(), i))
                    .collect()
            })
            .unwrap_or_default();
        // The position of an audit's unchanged card and entries in `before`.
        let kept = |audit: &Audit| -> Option<(&Shared, usize)> {
            let (shared, _, changed) = before?;
            if changed.contains(audit.id()) {
                return None;
            }
            earlier.get(audit.id()).map(|&i| (shared, i))
        };
        let cards = site
            .audits
            .par_iter()
            .map(|a| match kept(a) {
                Some((shared, i)) => shared.cards[i].clone(),
                None => Value::from_serializable(&AuditCard::new(site, a)),
            })
            .collect();
        let entries = site
            .audits
            .par_iter()
            .map(|audit| match kept(audit) {
                Some((shared, i)) => Ok(Arc::clone(&shared.entries[i])),
                None => audit
                    .items
                    .iter()
                    .map(|item| match item.kind {
                        ItemKind::Observation => Ok(None),
                        ItemKind::Recommendation => renderer
                            .render_entry(&ItemView::new(site, audit, item))
                            .map(Some),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|entries| Arc::new(AuditEntries::new(&entries))),
            })
            .collect::<Result<_, _>>()?;
        Ok(Shared {
            cards,
            municipalities: municipality_terms(site),
            auditors: auditor_terms(site),
            themes: theme_terms(site),
            years: year_terms(site),
            entries,
        })
    }
}

fn count_items(site: &Site, audits: &[usize]) -> ItemCounts {
    ItemCounts::of(audits.iter().flat_map(|&a| &site.audits[a].items))
}

fn term(
    site: &Site,
    key: &str,
    name: &str,
    url: String,
    audits: &[usize],
    note: Option<String>,
) -> Term {
    Term {
        key: key.to_string(),
        name: name.to_string(),
        url,
        audits: audits.len(),
        counts: count_items(site, audits),
        note,
        latest: audits
            .first()
            .map(|&a| site.audits[a].meta.date.to_string()),
    }
}

fn municipality_terms(site: &Site) -> Vec<Term> {
    site.taxonomies
        .municipalities
        .iter()
        .map(|m| {
            term(
                site,
                &m.slug,
                &m.name,
                site.urls.municipality(&m.slug),
                &m.audits,
                m.county.clone(),
            )
        })
        .collect()
}

fn auditor_terms(site: &Site) -> Vec<Term> {
    site.taxonomies
        .auditors
        .iter()
        .map(|a| {
            term(
                site,
                &a.key,
                &a.name,
                site.urls.auditor(&a.key),
                &a.audits,
                a.full_name.clone(),
            )
        })
        .collect()
}

fn year_terms(site: &Site) -> Vec<Term> {
    site.taxonomies
        .years
        .iter()
        .map(|y| {
            let name = y.year.to_string();
            term(site, &name, &name, site.urls.year(y.year), &y.audits, None)
        })
        .collect()
}

/// Themes count the items filed under them, not all items of their audits.
fn theme_terms(site: &Site) -> Vec<Term> {
    site.taxonomies
        .themes
        .iter()
        .map(|t| Term {
            key: t.key.clone(),
            name: t.label.clone(),
            url: site.urls.theme(&t.key),
            audits: t.audits.len(),
            counts: ItemCounts::of(t.items.iter().map(|&(a, i)| &site.audits[a].items[i])),
            note: t.description.clone(),
            latest: t
                .audits
                .first()
                .map(|&a| site.audits[a].meta.date.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_by_item_with_observations_as_null() {
        let entries = [
            Some("<li>Första «å»</li>".to_string()),
            None,
            Some("<li>Tredje</li>".to_string()),
            None,
        ];
        let values = AuditEntries::new(&entries).values();
        assert_eq!(values.len(), 4);
        assert_eq!(values[0].as_str(), Some("<li>Första «å»</li>"));
        assert!(values[1].is_none());
        assert_eq!(values[2].as_str(), Some("<li>Tredje</li>"));
        assert!(values[3].is_none());
        assert!(AuditEntries::new(&[]).values().is_empty());
    }
}
