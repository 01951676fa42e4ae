//! The register of recommendations (an overview by year and status, and each year's
//! recommendations) and the boards' responses.

use super::views::{ResponseStatusView, ResponseView};
use super::{Builder, Page};
use crate::site::register;

impl Builder<'_> {
    /// The register's overview: per year, how many recommendations have each status, each
    /// year linking to its page of recommendations.
    pub(super) fn register(&self) -> Page {
        let site = self.site;
        let r = &site.register;
        let years: Vec<_> = site
            .taxonomies
            .years
            .iter()
            .zip(&r.by_year)
            .zip(&r.statuses_by_year)
            .map(|((year, items), statuses)| {
                serde_json::json!({
                    "year": year.year,
                    "url": (!items.is_empty()).then(|| site.urls.recommendations_of_year(year.year)),
                    "recommendations": items.len(),
                    "statuses": statuses,
                })
            })
            .collect();
        let mut totals = [0; register::STATUS_BUCKETS];
        for statuses in &r.statuses_by_year {
            for (total, n) in totals.iter_mut().zip(statuses) {
                *total += n;
            }
        }
        let mut context = self.context("");
        context.insert("years", &years);
        context.insert("statuses", &self.statuses(&totals));
        context.insert("total", &totals.iter().sum::<usize>());
        self.finish(context)
    }

    /// A page of the recommendations of one year's audits.
    pub(super) fn recommendations_of_year(&self, y: usize) -> Page {
        let r = &self.site.register;
        let page = self.nth_page_of(&r.by_year[y], self.site.config.register_paginate_by);
        let year = self.site.taxonomies.years[y].year;
        let mut context = self.context(&year.to_string());
        context.insert("year", &year);
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        context.insert("statuses", &self.statuses(&r.statuses_by_year[y]));
        self.finish(context)
    }

    /// The status buckets with their counts and, for a given status, the search filter that
    /// lists its recommendations (the register itself lists them by year).
    fn statuses(&self, counts: &[usize; register::STATUS_BUCKETS]) -> Vec<serde_json::Value> {
        let search = self.site.urls.search();
        (0..register::STATUS_BUCKETS)
            .map(|b| {
                let status = crate::model::RecommendationStatus::ALL.get(b);
                serde_json::json!({
                    "slug": register::bucket_slug(b),
                    "name": self.site.text(register::bucket_label_key(b)),
                    "recommendations": counts[b],
                    // `+` is a space in a query string (URLSearchParams reads it so).
                    "search": status.map(|s| format!("{search}?typ=rekommendation&status={}", s.key().replace(' ', "+"))),
                })
            })
            .collect()
    }

    /// The boards' responses, grouped by what is known of them as of the build date.
    pub(super) fn responses(&self) -> Page {
        let site = self.site;
        let today = site.config.build_date();
        let sections: Vec<_> = register::responses(site, today)
            .into_iter()
            .map(|(status, audits)| {
                let rows: Vec<_> = audits
                    .into_iter()
                    .filter_map(|a| {
                        let response = site.audits[a].meta.response.as_ref()?;
                        Some(serde_json::json!({
                            "audit": self.shared.card(site, a),
                            "response": ResponseView::new(site, response),
                        }))
                    })
                    .collect();
                serde_json::json!({
                    "status": ResponseStatusView::new(site, status),
                    "rows": rows,
                })
            })
            .collect();
        let mut context = self.context("");
        context.insert("sections", &sections);
        context.insert("today", &today.to_string());
        context.insert("today_long", &site.long_date(today));
        self.finish(context)
    }
}
