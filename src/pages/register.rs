//! The register of recommendations (all, by status, by municipality) and the boards'
//! responses.

use super::views::Term;
use super::{Builder, Page, PageJob, page_url};
use crate::model::RecommendationStatus;
use crate::site::register;

impl Builder<'_> {
    /// The register: all recommendations, or those with one status or of one municipality.
    pub(super) fn recommendations(
        &self,
        job: PageJob,
        items: &[(usize, usize)],
        filter: Option<(&str, String)>,
        p: usize,
    ) -> Page {
        let first = page_url(self.site, job);
        let first = first.split("sida/").next().unwrap_or(&first).to_string();
        let page = self.nth_page(&first, items, p);
        let title = filter
            .as_ref()
            .map_or(String::new(), |(_, label)| label.clone());
        let mut context = self.context("recommendations.html", &page.url, &title);
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        context.insert(
            "filter",
            &filter.map(|(kind, label)| serde_json::json!({ "kind": kind, "label": label })),
        );
        context.insert("statuses", &self.status_links());
        Page {
            url: page.url,
            template: "recommendations.html",
            context,
        }
    }

    /// The register's status pages, with counts.
    fn status_links(&self) -> Vec<Term> {
        let lang = self.site.config.language;
        (0..register::STATUS_BUCKETS)
            .map(|b| {
                let name = RecommendationStatus::ALL.get(b).map_or_else(
                    || {
                        if lang == crate::config::Language::Sv {
                            "Uppgift saknas"
                        } else {
                            "Not given"
                        }
                        .to_string()
                    },
                    |s| s.label(lang).to_string(),
                );
                Term {
                    key: register::bucket_slug(b).to_string(),
                    name,
                    url: self
                        .site
                        .urls
                        .recommendations_by_status(register::bucket_slug(b)),
                    audits: 0,
                    observations: 0,
                    recommendations: self.site.register.by_status.get(b).map_or(0, Vec::len),
                    note: None,
                    latest: None,
                }
            })
            .collect()
    }

    pub(super) fn responses(&self) -> Page {
        let url = self.site.urls.responses();
        let today = self.site.config.build_date();
        let (overdue, others) = register::responses(self.site, &self.shared.cards, today);
        let mut context = self.context("responses.html", &url, "");
        context.insert("overdue", &overdue);
        context.insert("others", &others);
        context.insert("today", &today.to_string());
        context.insert("today_long", &today.long(self.site.config.language.code()));
        Page {
            url,
            template: "responses.html",
            context,
        }
    }
}
