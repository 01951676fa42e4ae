//! Which pages a site has, and what each page's template is given.
//!
//! Pages are described by [`PageJob`]s, cheap to list; the context of each is built only
//! when it is rendered, so rendering can run in parallel without holding every page's data
//! in memory at once.

mod audit;
pub mod charts;
pub mod jsonld;
mod listings;
pub mod paginate;
mod register;
mod shared;
mod statistics;
pub mod views;

use serde::Serialize;
use tera::{Context, Value};

use crate::model::RecommendationStatus;
use crate::site::{Site, register as site_register};
use paginate::Paginated;
pub use shared::Shared;
use views::Term;

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
        PageJob::RecommendationsByStatus(b, p) => u.page(
            &u.recommendations_by_status(site_register::bucket_slug(b)),
            p,
        ),
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
                .split(&format!("{}/", crate::site::urls::PAGE))
                .next()
                .unwrap_or(url);
            self.site.urls.feed(first)
        })
    }

    pub(crate) fn simple(&self, url: String, template: &'static str, title: &str) -> Page {
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

    fn nth_page<'s, T>(&self, first: &str, entries: &'s [T], p: usize) -> Paginated<'s, T> {
        paginate::page(
            &self.site.urls,
            first,
            entries,
            self.site.config.paginate_by,
            p,
        )
    }
}
