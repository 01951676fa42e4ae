//! The listings: the home page, all audits, the indexes of municipalities, audit firms,
//! themes and years, and one paginated page per term.

use serde::Serialize;
use tera::Value;

use super::views::Term;
use super::{Builder, Page};

impl Builder<'_> {
    pub(super) fn home(&self) -> Page {
        let site = self.site;
        let mut context = self.context(&site.config.title);
        let latest: Vec<usize> = (0..site.audits.len().min(10)).collect();
        context.insert_value("latest", Value::from(self.cards(&latest)));
        let counts = site.item_counts();
        context.insert(
            "stats",
            &serde_json::json!({
                "audits": site.audits.len(),
                "observations": counts.observations,
                "recommendations": counts.recommendations,
                "editorial_recommendations": counts.editorial_recommendations,
                "municipalities": site.taxonomies.municipalities.len(),
                "auditors": site.taxonomies.auditors.len(),
                "themes": site.taxonomies.themes.len(),
            }),
        );
        context.insert("municipalities", &self.shared.municipalities);
        context.insert("auditors", &self.shared.auditors);
        context.insert("themes", &self.shared.themes);
        context.insert("years", &self.shared.years);
        self.finish(context)
    }

    pub(super) fn audit_list(&self) -> Page {
        // The pager needs only the count: a list of units costs nothing to make.
        let n = self.site.audits.len();
        let units = vec![(); n];
        let page = self.nth_page(&units);
        let shown: Vec<usize> =
            super::paginate::range(n, self.site.config.paginate_by, self.page.number).collect();
        let mut context = self.context("");
        context.insert_value("audits", Value::from(self.cards(&shown)));
        context.insert("pager", &page.pager);
        self.finish(context)
    }

    /// The index of municipalities, audit firms, themes or years.
    pub(super) fn index(&self, terms: &[Term]) -> Page {
        let mut context = self.context("");
        context.insert("terms", terms);
        self.finish(context)
    }

    /// A page of a municipality's, audit firm's, theme's or year's audits.
    pub(super) fn term_page(&self, term: &Term, audits: &[usize]) -> Page {
        self.finish(self.term_context(term, audits))
    }

    fn term_context(&self, term: &Term, audits: &[usize]) -> tera::Context {
        let page = self.nth_page(audits);
        let mut context = self.context(&term.name);
        context.insert("term", term);
        context.insert_value("audits", Value::from(self.cards(page.entries)));
        context.insert("pager", &page.pager);
        context
    }

    /// A page of a municipality's audits; the first also lists every one of them under
    /// each theme it has items in (the comparison grid's cells link there).
    pub(super) fn municipality(&self, m: usize) -> Page {
        let site = self.site;
        let audits = &site.taxonomies.municipalities[m].audits;
        let mut context = self.term_context(&self.shared.municipalities[m], audits);
        if self.page.number == 1 {
            let by_theme: Vec<_> = site
                .register
                .cells_of(m)
                .iter()
                .map(|cell| {
                    let theme = &self.shared.themes[cell.theme];
                    let audits: Vec<_> = cell
                        .audits
                        .iter()
                        .map(|&a| {
                            let audit = &site.audits[a];
                            serde_json::json!({
                                "title": audit.meta.title,
                                "url": site.urls.audit(audit.id()),
                                "date": audit.meta.date.to_string(),
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "id": super::statistics::theme_anchor(&theme.key),
                        "name": theme.name,
                        "url": theme.url,
                        "observations": cell.observations,
                        "recommendations": cell.recommendations,
                        "audits": audits,
                    })
                })
                .collect();
            context.insert("by_theme", &by_theme);
        }
        self.finish(context)
    }

    /// Items grouped by audit, in the order given (consecutive items of one audit share a group).
    pub(super) fn groups(&self, entries: &[(usize, usize)]) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        // The entries of the audit the last group is of, decompressed once for the group.
        let mut values = Vec::new();
        for &(a, i) in entries {
            if groups.last().is_none_or(|g| g.index != a) {
                values = self.shared.entries[a].values();
            }
            let entry = values[i].clone();
            match groups.last_mut() {
                Some(g) if g.index == a => g.entries.push(entry),
                _ => groups.push(Group {
                    index: a,
                    audit: self.shared.card(self.site, a),
                    entries: vec![entry],
                }),
            }
        }
        groups
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
