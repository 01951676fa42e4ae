//! The register of recommendations (all, by status, by municipality) and the boards'
//! responses.

use super::views::Term;
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

    pub(super) fn responses(&self) -> Page {
        let today = self.site.config.build_date();
        let (overdue, others) = register::responses(self.site, &self.shared.cards, today);
        let mut context = self.context("");
        context.insert("overdue", &overdue);
        context.insert("others", &others);
        context.insert("today", &today.to_string());
        context.insert("today_long", &today.long(self.site.config.language.code()));
        self.finish(context)
    }
}
