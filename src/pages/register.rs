//! The register of recommendations (all, by status, by municipality) and the boards'
//! responses.

use super::views::{ResponseStatusView, ResponseView, Term};
use super::{Builder, Page};
use crate::model::ItemCounts;
use crate::site::register;

impl Builder<'_> {
    /// The register: all recommendations, or those with one status or of one municipality.
    pub(super) fn recommendations(
        &self,
        items: &[(usize, usize)],
        filter: Option<(&str, String)>,
    ) -> Page {
        let page = self.nth_page(items);
        let title = filter
            .as_ref()
            .map_or(String::new(), |(_, label)| label.clone());
        let mut context = self.context(&title);
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        context.insert(
            "filter",
            &filter.map(|(kind, label)| serde_json::json!({ "kind": kind, "label": label })),
        );
        context.insert("statuses", &self.status_links());
        self.finish(context)
    }

    /// The register's status pages, with counts.
    fn status_links(&self) -> Vec<Term> {
        (0..register::STATUS_BUCKETS)
            .map(|b| {
                let name = self.site.text(register::bucket_label_key(b)).to_string();
                Term {
                    key: register::bucket_slug(b).to_string(),
                    name,
                    url: self
                        .site
                        .urls
                        .recommendations_by_status(register::bucket_slug(b)),
                    audits: 0,
                    counts: ItemCounts {
                        recommendations: self.site.register.by_status.get(b).map_or(0, Vec::len),
                        ..ItemCounts::default()
                    },
                    note: None,
                    latest: None,
                }
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
                            "audit": self.shared.cards[a],
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
