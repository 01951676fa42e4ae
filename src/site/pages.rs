//! Which pages a site has, and what each page's template is given.
//!
//! Pages are described by [`PageJob`]s, cheap to list; the context of each is built only
//! when it is rendered, so rendering can run in parallel without holding every page's data
//! in memory at once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Value};

use super::Site;
use super::paginate::{self, Paginated};
use super::register;
use crate::model::{Audit, ItemKind, RecommendationStatus};
use crate::render::views::{AssessmentView, AuditCard, ItemView, Link, Term, theme_links};

/// A page to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageJob {
    Home,
    NotFound,
    Audit(usize),
    /// Page n (1-based) of the list of all audits.
    Audits(usize),
    Municipalities,
    Municipality(usize, usize),
    Auditors,
    Auditor(usize, usize),
    Themes,
    Theme(usize, usize),
    Years,
    Year(usize, usize),
    Recommendations(usize),
    /// Recommendations with one status (a bucket of [`register::bucket`]), page n.
    RecommendationsByStatus(usize, usize),
    /// Recommendations of one municipality, page n.
    RecommendationsByMunicipality(usize, usize),
    /// The boards' responses, overdue first.
    Responses,
    Statistics,
    /// The municipality × theme grid.
    Compare,
    /// One cell of the grid (index into the register's cells), page n.
    CompareCell(usize, usize),
    About,
    Accessibility,
}

/// A rendered page's inputs.
pub struct Page {
    pub url: String,
    pub template: &'static str,
    pub context: Context,
}

/// What every page's context starts from, computed once per build.
pub struct Shared {
    /// One card per audit, in the site's order.
    pub cards: Vec<Value>,
    /// Recommendations of all audits, newest audit first: `(audit, item)`.
    pub recommendations: Vec<(usize, usize)>,
    pub municipalities: Vec<Term>,
    pub auditors: Vec<Term>,
    pub themes: Vec<Term>,
    pub years: Vec<Term>,
    /// The theme's interface texts, for text built here (item status, citations).
    pub strings: BTreeMap<String, String>,
    /// Every item's listing entry (`entry.html`), rendered once: `entries[audit][item]`.
    pub entries: Vec<Arc<Vec<Value>>>,
}

impl Shared {
    /// Nothing shared, for pages that need none of it.
    fn empty() -> Shared {
        Shared {
            cards: Vec::new(),
            recommendations: Vec::new(),
            municipalities: Vec::new(),
            auditors: Vec::new(),
            themes: Vec::new(),
            years: Vec::new(),
            strings: BTreeMap::new(),
            entries: Vec::new(),
        }
    }

    pub fn new(
        site: &Site,
        renderer: &crate::render::Renderer,
        strings: BTreeMap<String, String>,
    ) -> Result<Shared, crate::diagnostics::Diagnostic> {
        Shared::reusing(site, renderer, strings, None)
    }

    /// Like [`Shared::new`], but the cards and entries of audits that are not in `changed`
    /// (audit ids) are taken from `before`, the shared data of an earlier state of the site.
    pub fn reusing(
        site: &Site,
        renderer: &crate::render::Renderer,
        strings: BTreeMap<String, String>,
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
                    .map(|item| renderer.render_entry(&ItemView::new(site, audit, item)))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Arc::new),
            })
            .collect::<Result<_, _>>()?;
        Ok(Shared {
            cards,
            recommendations: site.register.all.clone(),
            municipalities: municipality_terms(site),
            auditors: auditor_terms(site),
            themes: theme_terms(site),
            years: year_terms(site),
            strings,
            entries,
        })
    }
}

impl PageJob {
    /// The template that renders the page.
    pub fn template(self) -> &'static str {
        match self {
            PageJob::Home => "index.html",
            PageJob::NotFound => "404.html",
            PageJob::Audit(_) => "audit.html",
            PageJob::Audits(_) => "audits.html",
            PageJob::Municipalities => "municipalities.html",
            PageJob::Municipality(..) => "municipality.html",
            PageJob::Auditors => "auditors.html",
            PageJob::Auditor(..) => "auditor.html",
            PageJob::Themes => "themes.html",
            PageJob::Theme(..) => "theme.html",
            PageJob::Years => "years.html",
            PageJob::Year(..) => "year.html",
            PageJob::Recommendations(_)
            | PageJob::RecommendationsByStatus(..)
            | PageJob::RecommendationsByMunicipality(..) => "recommendations.html",
            PageJob::Responses => "responses.html",
            PageJob::Statistics => "statistics.html",
            PageJob::Compare => "compare.html",
            PageJob::CompareCell(..) => "compare_cell.html",
            PageJob::About => "about.html",
            PageJob::Accessibility => "accessibility.html",
        }
    }
}

/// The URL of a page, without building its context.
pub fn page_url(site: &Site, job: PageJob) -> String {
    let u = &site.urls;
    let t = &site.taxonomies;
    match job {
        PageJob::Home => u.home(),
        PageJob::NotFound => format!("{}404.html", u.base()),
        PageJob::Audit(i) => u.audit(site.audits[i].id()),
        PageJob::Audits(p) => u.page(&u.audits(), p),
        PageJob::Municipalities => u.municipalities(),
        PageJob::Municipality(i, p) => u.page(&u.municipality(&t.municipalities[i].slug), p),
        PageJob::Auditors => u.auditors(),
        PageJob::Auditor(i, p) => u.page(&u.auditor(&t.auditors[i].key), p),
        PageJob::Themes => u.themes(),
        PageJob::Theme(i, p) => u.page(&u.theme(&t.themes[i].key), p),
        PageJob::Years => u.years(),
        PageJob::Year(i, p) => u.page(&u.year(t.years[i].year), p),
        PageJob::Recommendations(p) => u.page(&u.recommendations(), p),
        PageJob::RecommendationsByStatus(b, p) => {
            u.page(&u.recommendations_by_status(register::bucket_slug(b)), p)
        }
        PageJob::RecommendationsByMunicipality(m, p) => u.page(
            &u.recommendations_by_municipality(&t.municipalities[m].slug),
            p,
        ),
        PageJob::Responses => u.responses(),
        PageJob::Statistics => u.statistics(),
        PageJob::Compare => u.compare(),
        PageJob::CompareCell(c, p) => {
            let (m, th) = cell_keys(site, c);
            u.page(&u.compare_cell(m, th), p)
        }
        PageJob::About => u.about(),
        PageJob::Accessibility => u.accessibility(),
    }
}

/// The municipality and theme slugs of a grid cell.
fn cell_keys(site: &Site, cell: usize) -> (&str, &str) {
    let (m, th, _) = &site.register.cells[cell];
    let t = &site.taxonomies;
    (
        t.municipalities[*m].slug.as_str(),
        t.themes[*th].key.as_str(),
    )
}

/// Every page of the site.
pub fn jobs(site: &Site, shared: &Shared) -> Vec<PageJob> {
    let pages = |n: usize| paginate::page_count(n, site.config.paginate_by);
    let t = &site.taxonomies;
    let mut jobs = vec![
        PageJob::Home,
        PageJob::NotFound,
        PageJob::Municipalities,
        PageJob::Auditors,
        PageJob::Themes,
        PageJob::Years,
    ];
    jobs.extend((0..site.audits.len()).map(PageJob::Audit));
    jobs.extend((1..=pages(site.audits.len())).map(PageJob::Audits));
    for (i, m) in t.municipalities.iter().enumerate() {
        jobs.extend((1..=pages(m.audits.len())).map(|p| PageJob::Municipality(i, p)));
    }
    for (i, a) in t.auditors.iter().enumerate() {
        jobs.extend((1..=pages(a.audits.len())).map(|p| PageJob::Auditor(i, p)));
    }
    for (i, th) in t.themes.iter().enumerate() {
        jobs.extend((1..=pages(th.items.len())).map(|p| PageJob::Theme(i, p)));
    }
    for (i, y) in t.years.iter().enumerate() {
        jobs.extend((1..=pages(y.audits.len())).map(|p| PageJob::Year(i, p)));
    }
    jobs.extend((1..=pages(shared.recommendations.len())).map(PageJob::Recommendations));
    let register = &site.register;
    for (b, items) in register.by_status.iter().enumerate() {
        jobs.extend((1..=pages(items.len())).map(|p| PageJob::RecommendationsByStatus(b, p)));
    }
    for (m, items) in register.by_municipality.iter().enumerate() {
        jobs.extend((1..=pages(items.len())).map(|p| PageJob::RecommendationsByMunicipality(m, p)));
    }
    for (c, (_, _, items)) in register.cells.iter().enumerate() {
        jobs.extend((1..=pages(items.len())).map(|p| PageJob::CompareCell(c, p)));
    }
    jobs.extend([
        PageJob::Responses,
        PageJob::Statistics,
        PageJob::Compare,
        PageJob::About,
        PageJob::Accessibility,
    ]);
    jobs
}

/// What a listing page shows of its list, for telling which pages an edit changes: a page
/// changes when what it lists, or a figure of its list, changes, or when an audit it lists
/// is edited.
#[derive(Debug, PartialEq, Eq)]
pub struct Shown<'a> {
    /// Audits shown as cards (positions in the site's audits).
    pub audits: std::borrow::Cow<'a, [usize]>,
    /// Items shown as entries: `(audit, item)`.
    pub items: &'a [(usize, usize)],
    /// The figures every page of the list shows (its length, counts, dates).
    pub figures: Vec<usize>,
}

/// What listing page `job` shows; `None` for pages that are not listings.
pub fn shown<'a>(site: &'a Site, shared: &Shared, job: PageJob) -> Option<Shown<'a>> {
    let per = site.config.paginate_by;
    let t = &site.taxonomies;
    let r = &site.register;
    let term = |term: &Term| -> [usize; 4] {
        let latest = term.latest.as_deref().unwrap_or("");
        let date = latest
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0, |n, d| n * 10 + usize::from(d - b'0'));
        [term.audits, term.observations, term.recommendations, date]
    };
    let audits = |list: &'a [usize], p: usize, of: &Term| Shown {
        audits: paginate::slice(list, per, p).into(),
        items: &[],
        figures: [list.len()].into_iter().chain(term(of)).collect(),
    };
    let items = |list: &'a [(usize, usize)], p: usize, figures: &[usize]| Shown {
        audits: std::borrow::Cow::Borrowed(&[]),
        items: paginate::slice(list, per, p),
        figures: [list.len()].iter().chain(figures).copied().collect(),
    };
    let statuses: Vec<usize> = r.by_status.iter().map(Vec::len).collect();
    Some(match job {
        PageJob::Audits(p) => {
            let n = site.audits.len();
            let start = (p.max(1) - 1) * per.max(1);
            Shown {
                audits: (start.min(n)..(start + per.max(1)).min(n))
                    .collect::<Vec<_>>()
                    .into(),
                items: &[],
                figures: vec![n],
            }
        }
        PageJob::Municipality(i, p) => {
            audits(&t.municipalities[i].audits, p, &shared.municipalities[i])
        }
        PageJob::Auditor(i, p) => audits(&t.auditors[i].audits, p, &shared.auditors[i]),
        PageJob::Year(i, p) => audits(&t.years[i].audits, p, &shared.years[i]),
        PageJob::Theme(i, p) => items(&t.themes[i].items, p, &term(&shared.themes[i])),
        PageJob::Recommendations(p) => items(&r.all, p, &statuses),
        PageJob::RecommendationsByStatus(b, p) => items(&r.by_status[b], p, &statuses),
        PageJob::RecommendationsByMunicipality(m, p) => items(&r.by_municipality[m], p, &statuses),
        PageJob::CompareCell(c, p) => {
            let (m, th, list) = &r.cells[c];
            let figures: Vec<usize> = term(&shared.municipalities[*m])
                .into_iter()
                .chain(term(&shared.themes[*th]))
                .collect();
            items(list, p, &figures)
        }
        _ => return None,
    })
}

/// The URLs of the pages of `jobs` that the sitemap lists (all but the 404 page), and the
/// search page's.
pub fn urls(site: &Site, jobs: &[PageJob]) -> Vec<String> {
    jobs.iter()
        .filter(|&&j| j != PageJob::NotFound)
        .map(|&j| page_url(site, j))
        .chain([site.urls.search()])
        .collect()
}

/// The search page, which names the search files of this build.
pub fn search_page(site: &Site, manifest: &crate::search::Manifest) -> Page {
    let url = site.urls.search();
    let b = Builder {
        site,
        shared: &Shared::empty(),
    };
    let mut context = b.context("search.html", &url, "");
    context.insert("search", manifest);
    Page {
        url,
        template: "search.html",
        context,
    }
}

/// Builds the template context of one page.
pub fn page(site: &Site, shared: &Shared, job: PageJob) -> Page {
    let b = Builder { site, shared };
    match job {
        PageJob::Home => b.home(),
        PageJob::NotFound => b.simple(format!("{}404.html", site.urls.base()), "404.html", "404"),
        PageJob::Audit(i) => b.audit(i),
        PageJob::Audits(p) => b.audit_list(p),
        PageJob::Municipalities => b.index(
            "municipalities.html",
            site.urls.municipalities(),
            &shared.municipalities,
        ),
        PageJob::Auditors => b.index("auditors.html", site.urls.auditors(), &shared.auditors),
        PageJob::Themes => b.index("themes.html", site.urls.themes(), &shared.themes),
        PageJob::Years => b.index("years.html", site.urls.years(), &shared.years),
        PageJob::Municipality(i, p) => b.term_page(
            "municipality.html",
            &shared.municipalities[i],
            &site.taxonomies.municipalities[i].audits,
            p,
        ),
        PageJob::Auditor(i, p) => b.term_page(
            "auditor.html",
            &shared.auditors[i],
            &site.taxonomies.auditors[i].audits,
            p,
        ),
        PageJob::Year(i, p) => b.term_page(
            "year.html",
            &shared.years[i],
            &site.taxonomies.years[i].audits,
            p,
        ),
        PageJob::Theme(i, p) => b.theme(i, p),
        PageJob::Recommendations(p) => b.recommendations(job, &site.register.all, None, p),
        PageJob::RecommendationsByStatus(bucket, p) => {
            let label = RecommendationStatus::ALL
                .get(bucket)
                .map_or(b.site.config.language.code(), |s| {
                    s.label(b.site.config.language)
                });
            b.recommendations(
                job,
                &site.register.by_status[bucket],
                Some(("status", label.to_string())),
                p,
            )
        }
        PageJob::RecommendationsByMunicipality(m, p) => {
            let name = site.taxonomies.municipalities[m].name.clone();
            b.recommendations(
                job,
                &site.register.by_municipality[m],
                Some(("municipality", name)),
                p,
            )
        }
        PageJob::Responses => b.responses(),
        PageJob::Statistics => b.statistics(),
        PageJob::Compare => b.compare(),
        PageJob::CompareCell(c, p) => b.compare_cell(job, c, p),
        PageJob::About | PageJob::Accessibility => b.info(job),
    }
}

#[derive(Clone, Copy)]
struct Builder<'a> {
    site: &'a Site,
    shared: &'a Shared,
}

/// The `page` variable of every template.
#[derive(Serialize)]
struct PageInfo<'a> {
    /// The page type: the template name without `.html`.
    kind: &'a str,
    url: String,
    /// The absolute URL, for canonical links.
    permalink: String,
    title: String,
    /// The page's own Atom feed, if it has one.
    feed: Option<String>,
}

impl Builder<'_> {
    fn context(&self, template: &'static str, url: &str, title: &str) -> Context {
        let mut context = Context::new();
        context.insert(
            "page",
            &PageInfo {
                kind: template.trim_end_matches(".html"),
                url: url.to_string(),
                permalink: format!(
                    "{}{}",
                    self.site.config.base_url_trimmed(),
                    url.strip_prefix(self.site.config.base_path().trim_end_matches('/'))
                        .unwrap_or(url)
                ),
                title: title.to_string(),
                feed: self.feed_of(template, url),
            },
        );
        context
    }

    /// Municipality, audit-firm and theme pages have feeds of their own.
    fn feed_of(&self, template: &str, url: &str) -> Option<String> {
        matches!(
            template,
            "municipality.html" | "auditor.html" | "theme.html"
        )
        .then(|| {
            let first = url
                .split(&format!("{}/", super::urls::PAGE))
                .next()
                .unwrap_or(url);
            self.site.urls.feed(first)
        })
    }

    fn simple(&self, url: String, template: &'static str, title: &str) -> Page {
        Page {
            context: self.context(template, &url, title),
            url,
            template,
        }
    }

    fn cards(&self, audits: &[usize]) -> Vec<Value> {
        audits
            .iter()
            .map(|&a| self.shared.cards[a].clone())
            .collect()
    }

    fn home(&self) -> Page {
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

    fn audit(&self, i: usize) -> Page {
        let site = self.site;
        let audit = &site.audits[i];
        let url = site.urls.audit(audit.id());
        let mut context = self.context("audit.html", &url, &audit.meta.title);
        context.insert_value("audit", self.shared.cards[i].clone());
        context.insert(
            "details",
            &AuditDetails::new(site, audit, &self.shared.strings),
        );
        Page {
            url,
            template: "audit.html",
            context,
        }
    }

    fn audit_list(&self, p: usize) -> Page {
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

    fn nth_page<'s, T>(&self, first: &str, entries: &'s [T], p: usize) -> Paginated<'s, T> {
        paginate::page(
            &self.site.urls,
            first,
            entries,
            self.site.config.paginate_by,
            p,
        )
    }

    fn index(&self, template: &'static str, url: String, terms: &[Term]) -> Page {
        let mut context = self.context(template, &url, "");
        context.insert("terms", terms);
        Page {
            url,
            template,
            context,
        }
    }

    fn term_page(&self, template: &'static str, term: &Term, audits: &[usize], p: usize) -> Page {
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
    fn groups(&self, entries: &[(usize, usize)]) -> Vec<Group> {
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

    fn theme(&self, i: usize, p: usize) -> Page {
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

    /// The register: all recommendations, or those with one status or of one municipality.
    fn recommendations(
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

    fn responses(&self) -> Page {
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

    fn statistics(&self) -> Page {
        use crate::publish::charts::{Bar, bars, share};
        let url = self.site.urls.statistics();
        let (per_municipality, per_year) = register::statistics(self.site);
        let chart = bars(
            "per-year",
            &per_year
                .iter()
                .map(|f| Bar {
                    label: f.name.clone(),
                    total: f.recommendations,
                    part: f.implemented,
                })
                .collect::<Vec<_>>(),
        );
        let shares: Vec<String> = per_municipality
            .iter()
            .map(|f| {
                share(
                    f.implemented_percent,
                    &format!("{} %", f.implemented_percent),
                )
            })
            .collect();
        let mut context = self.context("statistics.html", &url, "");
        context.insert("per_municipality", &per_municipality);
        context.insert("per_year", &per_year);
        context.insert("chart", &chart);
        context.insert("shares", &shares);
        Page {
            url,
            template: "statistics.html",
            context,
        }
    }

    fn compare(&self) -> Page {
        let url = self.site.urls.compare();
        let t = &self.site.taxonomies;
        let cells = &self.site.register.cells;
        let rows: Vec<serde_json::Value> = t
            .municipalities
            .iter()
            .enumerate()
            .map(|(m, municipality)| {
                let row: Vec<serde_json::Value> = t
                    .themes
                    .iter()
                    .enumerate()
                    .map(|(th, theme)| {
                        let cell = cells.iter().find(|(cm, ct, _)| *cm == m && *ct == th);
                        let count = |k: ItemKind| {
                            cell.map_or(0, |(_, _, items)| {
                                items.iter().filter(|&&(a, i)| self.site.audits[a].items[i].kind == k).count()
                            })
                        };
                        serde_json::json!({
                            "observations": count(ItemKind::Observation),
                            "recommendations": count(ItemKind::Recommendation),
                            "url": cell.map(|_| self.site.urls.compare_cell(&municipality.slug, &theme.key)),
                        })
                    })
                    .collect();
                serde_json::json!({ "name": municipality.name, "url": self.site.urls.municipality(&municipality.slug), "cells": row })
            })
            .collect();
        let mut context = self.context("compare.html", &url, "");
        context.insert("themes", &self.shared.themes);
        context.insert("rows", &rows);
        Page {
            url,
            template: "compare.html",
            context,
        }
    }

    fn compare_cell(&self, job: PageJob, c: usize, p: usize) -> Page {
        let (m, th, items) = &self.site.register.cells[c];
        let t = &self.site.taxonomies;
        let first = self
            .site
            .urls
            .compare_cell(&t.municipalities[*m].slug, &t.themes[*th].key);
        let page = self.nth_page(&first, items, p);
        let _ = job;
        let title = format!("{} – {}", t.municipalities[*m].name, t.themes[*th].label);
        let mut context = self.context("compare_cell.html", &page.url, &title);
        context.insert("municipality", &self.shared.municipalities[*m]);
        context.insert("theme", &self.shared.themes[*th]);
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        Page {
            url: page.url,
            template: "compare_cell.html",
            context,
        }
    }

    /// "Om webbplatsen" and the accessibility statement: driven by the configuration.
    fn info(&self, job: PageJob) -> Page {
        let url = page_url(self.site, job);
        let template = job.template();
        let config = &self.site.config;
        let mut context = self.context(template, &url, "");
        let about = config
            .about
            .as_deref()
            .map(crate::content::body::render_plain_markdown);
        context.insert("about", &about);
        context.insert("publisher", &config.publisher);
        context.insert("publisher_url", &config.publisher_url);
        context.insert("contact_email", &config.contact_email);
        context.insert("license", &config.license);
        let a = &config.accessibility;
        let lang = config.language.code();
        context.insert(
            "accessibility",
            &serde_json::json!({
                "compliance": a.compliance,
                "shortcomings": a.shortcomings,
                "assessed": a.assessed.map(|d| d.to_string()),
                "assessed_long": a.assessed.map(|d| d.long(lang)),
                "updated": a.updated.map(|d| d.to_string()),
                "updated_long": a.updated.map(|d| d.long(lang)),
                "method": a.method,
                "contact": a.contact.clone().or_else(|| config.contact_email.clone()),
            }),
        );
        context.insert("data", &crate::publish::data::DATASETS);
        Page {
            url,
            template,
            context,
        }
    }
}

/// Items of one audit on a listing page.
#[derive(Serialize)]
struct Group {
    #[serde(skip)]
    index: usize,
    audit: Value,
    /// Rendered listing entries (shared template values: a page copies no HTML).
    entries: Vec<Value>,
}

/// What the audit page shows beyond the card.
#[derive(Serialize)]
struct AuditDetails {
    commissioned_by: String,
    audited_body: Option<String>,
    authors: Vec<String>,
    method: Option<String>,
    scope: Option<String>,
    period: Option<String>,
    pages: Option<u32>,
    language: String,
    source: Option<crate::model::Source>,
    questions: Vec<QuestionView>,
    response: Option<ResponseView>,
    follows_up: Option<Link>,
    followed_up_by: Vec<Link>,
    /// The report's HTML, marked safe (printing it copies nothing).
    body: Value,
    /// schema.org metadata, safe inside a `<script>` element.
    json_ld: String,
    toc: Vec<crate::model::TocEntry>,
    permalink: String,
    cite: String,
}

#[derive(Serialize)]
struct QuestionView {
    id: String,
    /// The anchor of the question's section in the body, when it has one.
    anchor: Option<String>,
    text: String,
    themes: Vec<Link>,
    assessment: Option<AssessmentView>,
    observations: usize,
    recommendations: usize,
}

#[derive(Serialize)]
struct ResponseView {
    recipient: Option<String>,
    due: Option<String>,
    due_long: Option<String>,
    received: Option<String>,
    received_long: Option<String>,
    url: Option<String>,
}

impl AuditDetails {
    fn new(site: &Site, audit: &Audit, strings: &BTreeMap<String, String>) -> AuditDetails {
        let m = &audit.meta;
        let lang = site.config.language;
        let link = |a: &Audit| Link {
            name: a.meta.title.clone(),
            url: site.urls.audit(a.id()),
        };
        let count = |q: &str, k: ItemKind| {
            audit
                .items
                .iter()
                .filter(|i| i.kind == k && i.question.as_deref() == Some(q))
                .count()
        };
        let permalink = format!(
            "{}/{}/{}/",
            site.config.base_url_trimmed(),
            super::urls::AUDITS,
            m.id
        );
        let auditor = site
            .config
            .auditors
            .get(&m.auditor)
            .map_or(m.auditor.as_str(), |a| {
                a.full_name.as_deref().unwrap_or(&a.name)
            });
        AuditDetails {
            commissioned_by: m.commissioned_by.clone(),
            audited_body: m.audited_body.clone(),
            authors: m.authors.clone(),
            method: m.method.clone(),
            scope: m.scope.clone(),
            period: m.period.clone(),
            pages: m.pages,
            language: m.language.code().to_string(),
            source: m.source.clone(),
            questions: m
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    anchor: audit.body.question_anchors.get(&q.id).cloned(),
                    text: q.text.clone(),
                    themes: theme_links(site, &q.themes),
                    assessment: q.assessment.as_ref().map(|a| AssessmentView::new(a, lang)),
                    observations: count(&q.id, ItemKind::Observation),
                    recommendations: count(&q.id, ItemKind::Recommendation),
                })
                .collect(),
            response: m.response.as_ref().map(|r| ResponseView {
                recipient: r.recipient.clone(),
                due: r.due.map(|d| d.to_string()),
                due_long: r.due.map(|d| d.long(lang.code())),
                received: r.received.map(|d| d.to_string()),
                received_long: r.received.map(|d| d.long(lang.code())),
                url: r.url.clone(),
            }),
            follows_up: m
                .follows_up
                .as_deref()
                .and_then(|id| site.audit(id))
                .map(link),
            followed_up_by: site.followed_up_by(&m.id).map(link).collect(),
            body: Value::safe_string(&item_extras(&audit.body.html.text(), site, audit, strings)),
            json_ld: crate::publish::jsonld::audit(site, audit),
            toc: audit.body.toc.clone(),
            cite: format!(
                "{auditor} ({}). {}. {}. {permalink}",
                m.date.year(),
                m.title,
                m.commissioned_by
            ),
            permalink,
        }
    }
}

/// The body with, after each item's permalink, its status (recommendations) and a ready
/// citation. One pass over the HTML: the permalinks are `<a class="item-ref" href="#ID"…>`.
fn item_extras(
    html: &str,
    site: &Site,
    audit: &Audit,
    strings: &BTreeMap<String, String>,
) -> String {
    use crate::publish::xml::escape;
    let t =
        |k: &'static str| -> String { strings.get(k).cloned().unwrap_or_else(|| k.to_string()) };
    let m = &audit.meta;
    let lang = site.config.language;
    let firm = site
        .config
        .auditors
        .get(&m.auditor)
        .map_or(m.auditor.as_str(), |a| a.name.as_str());
    let extras: std::collections::HashMap<&str, String> = audit
        .items
        .iter()
        .map(|item| {
            let mut out = String::new();
            let meta = &item.meta;
            let mut parts: Vec<String> = Vec::new();
            if let Some(status) = meta.status {
                let date = meta.status_date.map(|d| format!(" {d}")).unwrap_or_default();
                parts.push(format!(
                    "<span class=\"status status-{}\">{}</span>{date}",
                    status.slug(),
                    escape(status.label(lang))
                ));
            }
            if let Some(a) = &meta.addressee {
                parts.push(format!("{}: {}", escape(&t("addressee")), escape(a)));
            }
            if let Some(p) = meta.priority {
                parts.push(format!("{}: {}", escape(&t("priority")), p.key()));
            }
            if let Some(e) = &meta.evidence {
                parts.push(format!("<a href=\"{}\">{}</a>", escape(e), escape(&t("evidence"))));
            }
            if !parts.is_empty() {
                out.push_str(&format!("<p class=\"item-meta\">{}</p>", parts.join(" · ")));
            }
            let permalink = crate::publish::feeds::absolute(site, &site.urls.item(&m.id, &item.id));
            let cite = format!(
                "{firm} ({}). {}, {} {}. {permalink}",
                m.date.year(),
                m.title,
                item.kind.label(lang).to_lowercase(),
                item.id
            );
            out.push_str(&format!(
                "<details class=\"cite\"><summary>{}<span class=\"visually-hidden\"> {}</span></summary><p><code>{}</code></p></details>",
                escape(&t("cite")),
                escape(&item.id),
                escape(&cite)
            ));
            (item.id.as_str(), out)
        })
        .collect();
    let needle = "<a class=\"item-ref\" href=\"#";
    let mut out =
        String::with_capacity(html.len() + extras.values().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(needle) {
        let after = &rest[i + needle.len()..];
        let id = &after[..after.find('"').unwrap_or(0)];
        let end = i + rest[i..].find("</a>").map_or(0, |e| e + 4);
        out.push_str(&rest[..end]);
        if let Some(extra) = extras.get(id) {
            out.push_str(extra);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn count_items(site: &Site, audits: &[usize]) -> (usize, usize) {
    let mut counts = (0, 0);
    for &a in audits {
        for item in &site.audits[a].items {
            match item.kind {
                ItemKind::Observation => counts.0 += 1,
                ItemKind::Recommendation => counts.1 += 1,
            }
        }
    }
    counts
}

fn term(
    site: &Site,
    key: &str,
    name: &str,
    url: String,
    audits: &[usize],
    note: Option<String>,
) -> Term {
    let (observations, recommendations) = count_items(site, audits);
    Term {
        key: key.to_string(),
        name: name.to_string(),
        url,
        audits: audits.len(),
        observations,
        recommendations,
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
        .map(|t| {
            let kind_count = |k: ItemKind| {
                t.items
                    .iter()
                    .filter(|&&(a, i)| site.audits[a].items[i].kind == k)
                    .count()
            };
            Term {
                key: t.key.clone(),
                name: t.label.clone(),
                url: site.urls.theme(&t.key),
                audits: t.audits.len(),
                observations: kind_count(ItemKind::Observation),
                recommendations: kind_count(ItemKind::Recommendation),
                note: t.description.clone(),
                latest: t
                    .audits
                    .first()
                    .map(|&a| site.audits[a].meta.date.to_string()),
            }
        })
        .collect()
}
