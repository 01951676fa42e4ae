//! What every page's context starts from, computed once per build: the audit cards, the
//! rendered listing entries and the taxonomy terms with their counts.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tera::Value;

use super::views::{AuditCard, ItemView, Term};
use crate::model::{Audit, ItemCounts, ItemKind, Spill};
use crate::site::Site;

/// What every page's context starts from, computed once per build.
pub struct Shared {
    /// One card per audit, in the site's order ([`Shared::card`]).
    cards: Cards,
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
    fn new(entries: &[Option<String>], spill: &Arc<Spill>) -> AuditEntries {
        let mut text = String::new();
        let ends = entries
            .iter()
            .map(|entry| {
                text.push_str(entry.as_deref().unwrap_or(""));
                text.len() as u32
            })
            .collect();
        AuditEntries {
            html: crate::model::Packed::spilled(&text, spill),
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
            cards: Cards::Kept(Vec::new()),
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
        let cards = Cards::new(
            site,
            |a| kept(a).and_then(|(shared, i)| shared.cards.kept(i)),
            CARDS_KEPT_UP_TO,
        );
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
                    .map(|entries| Arc::new(AuditEntries::new(&entries, &site.spill))),
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

/// Up to this many audits, their cards are made once and kept; beyond, each is made again
/// whenever a page shows it. A card as a template value (a tera map of maps) takes about
/// 10 KB, a gigabyte at 100,000 audits, while making them again costs about 2 % of a
/// build's CPU (0.1 s of 5.7 s at 2,000 audits).
const CARDS_KEPT_UP_TO: usize = 20_000;

/// The audits' cards ([`AuditCard`]) as template values.
enum Cards {
    Kept(Vec<Value>),
    Made,
}

impl Cards {
    fn new<'a>(
        site: &'a Site,
        kept: impl Fn(&'a Audit) -> Option<Value> + Sync,
        keep_up_to: usize,
    ) -> Cards {
        use rayon::prelude::*;
        if site.audits.len() > keep_up_to {
            return Cards::Made;
        }
        let cards = site
            .audits
            .par_iter()
            .map(|a| kept(a).unwrap_or_else(|| card(site, a)))
            .collect();
        Cards::Kept(cards)
    }

    fn kept(&self, i: usize) -> Option<Value> {
        match self {
            Cards::Kept(cards) => cards.get(i).cloned(),
            Cards::Made => None,
        }
    }
}

fn card(site: &Site, audit: &Audit) -> Value {
    Value::from_serializable(&AuditCard::new(site, audit))
}

impl Shared {
    /// The card of the audit at position `a` of the site's audits.
    pub fn card(&self, site: &Site, a: usize) -> Value {
        self.cards
            .kept(a)
            .unwrap_or_else(|| card(site, &site.audits[a]))
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
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::in_first_of(&[dir.path()]);
        let entries = [
            Some("<li>Första «å»</li>".to_string()),
            None,
            Some("<li>Tredje</li>".to_string()),
            None,
        ];
        let packed = AuditEntries::new(&entries, &spill);
        assert!(packed.html.is_spilled());
        let values = packed.values();
        assert_eq!(values.len(), 4);
        assert_eq!(values[0].as_str(), Some("<li>Första «å»</li>"));
        assert!(values[1].is_none());
        assert_eq!(values[2].as_str(), Some("<li>Tredje</li>"));
        assert!(values[3].is_none());
        assert!(AuditEntries::new(&[], &spill).values().is_empty());
    }

    #[test]
    fn cards_made_again_are_the_cards_kept() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
        let config = crate::config::Config::load(&root).unwrap();
        let theme = crate::render::Theme::load(&root, &config).unwrap();
        let spill = Spill::memory();
        let loaded = crate::content::load(&root, &config, &theme.translations, &spill);
        let site = Site::new(config, theme.translations.clone(), loaded.audits);
        let renderer = crate::render::Renderer::new(&theme, &site).unwrap();
        let kept = Shared::new(&site, &renderer).unwrap();
        assert!(matches!(kept.cards, Cards::Kept(_)));
        let made = Shared {
            cards: Cards::new(&site, |_| None, 0),
            ..Shared::new(&site, &renderer).unwrap()
        };
        assert!(matches!(made.cards, Cards::Made));
        assert!(site.audits.len() > 1);
        for (a, audit) in site.audits.iter().enumerate() {
            let card = made.card(&site, a);
            assert_eq!(card, kept.card(&site, a));
            let id = card.as_map().and_then(|m| m.get(&"id".into())).cloned();
            assert_eq!(id, Some(Value::from(audit.id())));
        }
    }
}
