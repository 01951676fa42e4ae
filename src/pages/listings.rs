//! The listings: the home page, all audits, the indexes of municipalities, audit firms,
//! themes and years, and one paginated page per term.

use serde::Serialize;
use tera::Value;

use super::views::Term;
use super::{Builder, Page};

impl Builder<'_> {
    pub(super) fn home(&self) -> Page {
        let site = self.site;
        let url = site.urls.home();
        let mut context = self.context("index.html", &url, &site.config.title);
        let latest: Vec<usize> = (0..site.audits.len().min(10)).collect();
        context.insert_value("latest", Value::from(self.cards(&latest)));
        let (observations, recommendations) = site.item_counts();
        context.insert(
            "stats",
            &serde_json::json!({
                "audits": site.audits.len(),
                "observations": observations,
                "recommendations": recommendations,
                "municipalities": site.taxonomies.municipalities.len(),
                "auditors": site.taxonomies.auditors.len(),
                "themes": site.taxonomies.themes.len(),
            }),
        );
        context.insert("municipalities", &self.shared.municipalities);
        context.insert("auditors", &self.shared.auditors);
        context.insert("themes", &self.shared.themes);
        context.insert("years", &self.shared.years);
        Page {
            url,
            template: "index.html",
            context,
        }
    }

    pub(super) fn audit_list(&self, p: usize) -> Page {
        let site = self.site;
        let all: Vec<usize> = (0..site.audits.len()).collect();
        let first = site.urls.audits();
        let page = self.nth_page(&first, &all, p);
        let mut context = self.context("audits.html", &page.url, "");
        context.insert_value("audits", Value::from(self.cards(page.entries)));
        context.insert("pager", &page.pager);
        Page {
            url: page.url,
            template: "audits.html",
            context,
        }
    }

    pub(super) fn index(&self, template: &'static str, url: String, terms: &[Term]) -> Page {
        let mut context = self.context(template, &url, "");
        context.insert("terms", terms);
        Page {
            url,
            template,
            context,
        }
    }

    pub(super) fn term_page(
        &self,
        template: &'static str,
        term: &Term,
        audits: &[usize],
        p: usize,
    ) -> Page {
        let page = self.nth_page(&term.url, audits, p);
        let mut context = self.context(template, &page.url, &term.name);
        context.insert("term", term);
        context.insert_value("audits", Value::from(self.cards(page.entries)));
        context.insert("pager", &page.pager);
        Page {
            url: page.url,
            template,
            context,
        }
    }

    /// Items grouped by audit, in the order given (consecutive items of one audit share a group).
    pub(super) fn groups(&self, entries: &[(usize, usize)]) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        for &(a, i) in entries {
            let entry = self.shared.entries[a][i].clone();
            match groups.last_mut() {
                Some(g) if g.index == a => g.entries.push(entry),
                _ => groups.push(Group {
                    index: a,
                    audit: self.shared.cards[a].clone(),
                    entries: vec![entry],
                }),
            }
        }
        groups
    }

    pub(super) fn theme(&self, i: usize, p: usize) -> Page {
        let terms = &self.shared.themes;
        let theme = &self.site.taxonomies.themes[i];
        let page = self.nth_page(&terms[i].url, &theme.items, p);
        let mut context = self.context("theme.html", &page.url, &terms[i].name);
        context.insert("term", &terms[i]);
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        Page {
            url: page.url,
            template: "theme.html",
            context,
        }
    }
}

/// Items of one audit on a listing page.
#[derive(Serialize)]
pub(super) struct Group {
    #[serde(skip)]
    index: usize,
    audit: Value,
    /// Rendered listing entries (shared template values: a page copies no HTML).
    entries: Vec<Value>,
}
