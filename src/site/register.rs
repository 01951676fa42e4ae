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

/// Recommendations grouped for the register, and the municipality × theme grid.
pub struct Register {
    /// Per year (parallel to the site's years, newest first): the recommendations of that
    /// year's audits, newest audit first. The register lists them a year at a time, so no
    /// recommendation is printed on more than one register page.
    pub by_year: Vec<Vec<ItemRef>>,
    /// Per year: how many of its recommendations fall in each status bucket (see [`bucket`]).
    pub statuses_by_year: Vec<[usize; STATUS_BUCKETS]>,
    /// The non-empty cells of municipality × theme, by municipality then theme.
    pub cells: Vec<Cell>,
}

/// One municipality's audits and items under one theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub municipality: usize,
    pub theme: usize,
    pub observations: usize,
    pub recommendations: usize,
    /// The audits with items under the theme, in site order.
    pub audits: Vec<usize>,
}

impl Register {
    /// Groups the recommendations of `audits` (in site order) by year and status, and the
    /// items by municipality × theme.
    pub fn new(audits: &[std::sync::Arc<Audit>], t: &Taxonomies) -> Register {
        let mut by_year = Vec::with_capacity(t.years.len());
        let mut statuses_by_year = Vec::with_capacity(t.years.len());
        for year in &t.years {
            let mut items = Vec::new();
            let mut statuses = [0; STATUS_BUCKETS];
            for &a in &year.audits {
                for (i, item) in audits[a].items.iter().enumerate() {
                    if item.kind == ItemKind::Recommendation {
                        items.push((a, i));
                        statuses[bucket(item.meta.status)] += 1;
                    }
                }
            }
            by_year.push(items);
            statuses_by_year.push(statuses);
        }
        Register {
            by_year,
            statuses_by_year,
            cells: cells(audits, t),
        }
    }

    /// The cells of municipality `m`, by theme.
    pub fn cells_of(&self, m: usize) -> &[Cell] {
        let start = self.cells.partition_point(|c| c.municipality < m);
        let end = self.cells.partition_point(|c| c.municipality <= m);
        &self.cells[start..end]
    }

    /// The cell of municipality `m` and theme `th`, if it has items.
    pub fn cell(&self, m: usize, th: usize) -> Option<&Cell> {
        let of = self.cells_of(m);
        of.binary_search_by_key(&th, |c| c.theme)
            .ok()
            .map(|i| &of[i])
    }
}

/// Every theme's items split by municipality, in one pass over the themes' item lists.
fn cells(audits: &[std::sync::Arc<Audit>], t: &Taxonomies) -> Vec<Cell> {
    let mut municipality_of = vec![usize::MAX; audits.len()];
    for (m, x) in t.municipalities.iter().enumerate() {
        for &a in &x.audits {
            municipality_of[a] = m;
        }
    }
    let mut cells: Vec<Cell> = Vec::new();
    for (th, theme) in t.themes.iter().enumerate() {
        let mut per: std::collections::BTreeMap<usize, Cell> = std::collections::BTreeMap::new();
        for &(a, i) in &theme.items {
            let m = municipality_of[a];
            if m == usize::MAX {
                continue;
            }
            let cell = per.entry(m).or_insert_with(|| Cell {
                municipality: m,
                theme: th,
                observations: 0,
                recommendations: 0,
                audits: Vec::new(),
            });
            match audits[a].items[i].kind {
                ItemKind::Observation => cell.observations += 1,
                ItemKind::Recommendation => cell.recommendations += 1,
            }
            if cell.audits.last() != Some(&a) {
                cell.audits.push(a);
            }
        }
        cells.extend(per.into_values());
    }
    cells.sort_by_key(|c| (c.municipality, c.theme));
    cells
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
