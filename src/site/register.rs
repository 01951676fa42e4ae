//! The recommendation register and the figures derived from it: recommendations by status
//! and by municipality, the municipality × theme grid, statistics per municipality and year,
//! and the boards' responses.

use serde::Serialize;

use super::Site;
use crate::model::{Audit, Date, ItemKind, RecommendationStatus, ResponseStatus, Taxonomies};

/// `(audit index, item index)`.
pub type ItemRef = (usize, usize);

/// The status buckets of the register: the four statuses, then "none given".
pub const STATUS_BUCKETS: usize = RecommendationStatus::ALL.len() + 1;
/// The slug of the bucket of recommendations with no status given.
pub const NO_STATUS: &str = "uppgift-saknas";

/// The bucket of a status.
pub fn bucket(status: Option<RecommendationStatus>) -> usize {
    status.map_or(RecommendationStatus::ALL.len(), |s| {
        RecommendationStatus::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(0)
    })
}

/// The slug of a bucket.
pub fn bucket_slug(bucket: usize) -> &'static str {
    RecommendationStatus::ALL
        .get(bucket)
        .map_or(NO_STATUS, |s| s.slug())
}

/// The theme's key of a bucket's name ("Uppgift saknas" for recommendations without a
/// status).
pub fn bucket_label_key(bucket: usize) -> &'static str {
    RecommendationStatus::ALL
        .get(bucket)
        .map_or("status_none", |s| s.label_key())
}

/// Recommendations grouped for the register.
pub struct Register {
    /// Every recommendation, newest audit first.
    pub all: Vec<ItemRef>,
    /// By status bucket (see [`bucket`]).
    pub by_status: Vec<Vec<ItemRef>>,
    /// By municipality, parallel to the site's municipality list.
    pub by_municipality: Vec<Vec<ItemRef>>,
    /// The non-empty cells of municipality × theme: `(municipality, theme, items)`.
    pub cells: Vec<(usize, usize, Vec<ItemRef>)>,
}

impl Register {
    /// Groups the recommendations of `audits` (in site order) by status, municipality and
    /// municipality × theme.
    pub fn new(audits: &[std::sync::Arc<Audit>], t: &Taxonomies) -> Register {
        let mut all = Vec::new();
        let mut by_status = vec![Vec::new(); STATUS_BUCKETS];
        let mut by_municipality = vec![Vec::new(); t.municipalities.len()];
        let municipality_of: std::collections::HashMap<usize, usize> = t
            .municipalities
            .iter()
            .enumerate()
            .flat_map(|(m, x)| x.audits.iter().map(move |&a| (a, m)))
            .collect();
        for (a, audit) in audits.iter().enumerate() {
            for (i, item) in audit.items.iter().enumerate() {
                if item.kind != ItemKind::Recommendation {
                    continue;
                }
                all.push((a, i));
                by_status[bucket(item.meta.status)].push((a, i));
                if let Some(&m) = municipality_of.get(&a) {
                    by_municipality[m].push((a, i));
                }
            }
        }
        // Cells: a theme's items, split by municipality (both lists keep site order).
        let mut cells = Vec::new();
        for (th, theme) in t.themes.iter().enumerate() {
            let mut per: Vec<Vec<ItemRef>> = vec![Vec::new(); t.municipalities.len()];
            for &(a, i) in &theme.items {
                if let Some(&m) = municipality_of.get(&a) {
                    per[m].push((a, i));
                }
            }
            cells.extend(
                per.into_iter()
                    .enumerate()
                    .filter(|(_, items)| !items.is_empty())
                    .map(|(m, items)| (m, th, items)),
            );
        }
        cells.sort_by_key(|(m, th, _)| (*m, *th));
        Register {
            all,
            by_status,
            by_municipality,
            cells,
        }
    }
}

/// Audits, recommendations and how many were implemented, for one row of the statistics.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Figures {
    pub name: String,
    pub url: String,
    pub audits: usize,
    pub observations: usize,
    pub recommendations: usize,
    /// Recommendations that are the editors' reading, not the report's own.
    pub editorial_recommendations: usize,
    /// Recommendations with status `genomförd`.
    pub implemented: usize,
    /// Recommendations with any status given.
    pub followed_up: usize,
    /// Implemented share of all recommendations, in whole percent.
    pub implemented_percent: usize,
}

impl Figures {
    fn add_audit(&mut self, site: &Site, a: usize) {
        self.audits += 1;
        for item in &site.audits[a].items {
            match item.kind {
                ItemKind::Observation => self.observations += 1,
                ItemKind::Recommendation => {
                    self.recommendations += 1;
                    self.editorial_recommendations +=
                        usize::from(item.meta.origin == crate::model::Origin::Editorial);
                    self.followed_up += usize::from(item.meta.status.is_some());
                    self.implemented +=
                        usize::from(item.meta.status == Some(RecommendationStatus::Genomford));
                }
            }
        }
        self.implemented_percent = (self.implemented * 100)
            .checked_div(self.recommendations)
            .unwrap_or(0);
    }
}

/// Statistics per municipality (by name) and per year (oldest first).
pub fn statistics(site: &Site) -> (Vec<Figures>, Vec<Figures>) {
    let t = &site.taxonomies;
    let per_municipality = t
        .municipalities
        .iter()
        .map(|m| {
            let mut f = Figures {
                name: m.name.clone(),
                url: site.urls.municipality(&m.slug),
                ..Figures::default()
            };
            for &a in &m.audits {
                f.add_audit(site, a);
            }
            f
        })
        .collect();
    let per_year = t
        .years
        .iter()
        .rev()
        .map(|y| {
            let mut f = Figures {
                name: y.year.to_string(),
                url: site.urls.year(y.year),
                ..Figures::default()
            };
            for &a in &y.audits {
                f.add_audit(site, a);
            }
            f
        })
        .collect();
    (per_municipality, per_year)
}

/// The audits that asked for the board's response, grouped by what is known of it as of
/// `today` (in the order of [`ResponseStatus::ALL`], empty groups left out), each group by
/// due date, earliest first (audits without one last).
pub fn responses(site: &Site, today: Date) -> Vec<(ResponseStatus, Vec<usize>)> {
    ResponseStatus::ALL
        .iter()
        .map(|&status| {
            let mut audits: Vec<usize> = site
                .audits
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    a.meta
                        .response
                        .as_ref()
                        .is_some_and(|r| r.status(today) == status)
                })
                .map(|(i, _)| i)
                .collect();
            audits.sort_by_key(|&i| {
                let due = site.audits[i].meta.response.as_ref().and_then(|r| r.due);
                (due.is_none(), due)
            });
            (status, audits)
        })
        .filter(|(_, audits)| !audits.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(bucket(None), 4);
        assert_eq!(
            bucket_slug(bucket(Some(RecommendationStatus::Genomford))),
            "genomford"
        );
        assert_eq!(bucket_slug(4), NO_STATUS);
    }
}
