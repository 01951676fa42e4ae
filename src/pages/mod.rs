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

pub use crate::render::Page;
use crate::site::Site;
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
    /// The register's overview: recommendations by year and status.
    Register,
    /// The recommendations of one year's audits (an index into the site's years), page n.
    RecommendationsOfYear(usize, usize),
    /// The boards' responses, by what is known of them.
    Responses,
    Statistics,
    /// The municipality × theme grid.
    Compare,
    About,
    Accessibility,
}

/// What a page is, without its context: its URL, its place in its listing, its template and
/// its feed. Everything that needs one of these reads it here ([`PageJob::describe`]), the
/// one place that says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    /// The page's URL: [`Description::first`], or its `sida/N/` page.
    pub url: String,
    /// The URL of the first page of the page's listing (its own URL if it is not paginated).
    pub first: String,
    /// The page's number in its listing, 1-based (1 if it is not paginated).
    pub number: usize,
    /// The template that renders the page.
    pub template: &'static str,
    /// The listing's Atom feed: municipality, audit-firm and theme pages have one.
    pub feed: Option<String>,
}

impl Description {
    /// A page that is not paginated and has no feed.
    fn single(url: String, template: &'static str) -> Description {
        Description {
            first: url.clone(),
            url,
            number: 1,
            template,
            feed: None,
        }
    }
}

impl PageJob {
    /// The page's URL, page number, template and feed, without building its context.
    pub fn describe(self, site: &Site) -> Description {
        let u = &site.urls;
        let t = &site.taxonomies;
        let (template, first, number) = match self {
            PageJob::Home => ("index.html", u.home(), 1),
            PageJob::NotFound => ("404.html", format!("{}404.html", u.base()), 1),
            PageJob::Audit(i) => ("audit.html", u.audit(site.audits[i].id()), 1),
            PageJob::Audits(p) => ("audits.html", u.audits(), p),
            PageJob::Municipalities => ("municipalities.html", u.municipalities(), 1),
            PageJob::Municipality(i, p) => (
                "municipality.html",
                u.municipality(&t.municipalities[i].slug),
                p,
            ),
            PageJob::Auditors => ("auditors.html", u.auditors(), 1),
            PageJob::Auditor(i, p) => ("auditor.html", u.auditor(&t.auditors[i].key), p),
            PageJob::Themes => ("themes.html", u.themes(), 1),
            PageJob::Theme(i, p) => ("theme.html", u.theme(&t.themes[i].key), p),
            PageJob::Years => ("years.html", u.years(), 1),
            PageJob::Year(i, p) => ("year.html", u.year(t.years[i].year), p),
            PageJob::Register => ("register.html", u.recommendations(), 1),
            PageJob::RecommendationsOfYear(y, p) => (
                "recommendations.html",
                u.recommendations_of_year(t.years[y].year),
                p,
            ),
            PageJob::Responses => ("responses.html", u.responses(), 1),
            PageJob::Statistics => ("statistics.html", u.statistics(), 1),
            PageJob::Compare => ("compare.html", u.compare(), 1),
            PageJob::About => ("about.html", u.about(), 1),
            PageJob::Accessibility => ("accessibility.html", u.accessibility(), 1),
        };
        let feed = matches!(
            template,
            "municipality.html" | "auditor.html" | "theme.html"
        )
        .then(|| u.feed(&first));
        Description {
            url: u.page(&first, number),
            first,
            number,
            template,
            feed,
        }
    }

    /// The template that renders the page.
    pub fn template(self, site: &Site) -> &'static str {
        self.describe(site).template
    }
}

/// The URL of a page, without building its context.
pub fn page_url(site: &Site, job: PageJob) -> String {
    job.describe(site).url
}

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<PageJob> {
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
        jobs.extend((1..=pages(th.audits.len())).map(|p| PageJob::Theme(i, p)));
    }
    for (i, y) in t.years.iter().enumerate() {
        jobs.extend((1..=pages(y.audits.len())).map(|p| PageJob::Year(i, p)));
    }
    jobs.push(PageJob::Register);
    for (y, items) in site.register.by_year.iter().enumerate() {
        // A year without recommendations has no register page (the overview says so).
        let count = match items.len() {
            0 => 0,
            n => paginate::page_count(n, site.config.register_paginate_by),
        };
        jobs.extend((1..=count).map(|p| PageJob::RecommendationsOfYear(y, p)));
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
    let term = |term: &Term| -> [usize; 5] {
        let latest = term.latest.as_deref().unwrap_or("");
        let date = latest
            .bytes()
            .filter(u8::is_ascii_digit)
            .fold(0, |n, d| n * 10 + usize::from(d - b'0'));
        [
            term.audits,
            term.counts.observations,
            term.counts.recommendations,
            term.counts.editorial_observations + term.counts.editorial_recommendations,
            date,
        ]
    };
    let audits = |list: &'a [usize], p: usize, of: &Term| Shown {
        audits: paginate::slice(list, per, p).into(),
        items: &[],
        figures: [list.len()].into_iter().chain(term(of)).collect(),
    };
    let items = |list: &'a [(usize, usize)], p: usize, figures: &[usize]| Shown {
        audits: std::borrow::Cow::Borrowed(&[]),
        items: paginate::slice(list, site.config.register_paginate_by, p),
        figures: [list.len()].iter().chain(figures).copied().collect(),
    };
    Some(match job {
        PageJob::Audits(p) => Shown {
            audits: paginate::range(site.audits.len(), per, p)
                .collect::<Vec<_>>()
                .into(),
            items: &[],
            figures: vec![site.audits.len()],
        },
        // Its first page also lists every audit of the municipality by theme.
        PageJob::Municipality(i, 1) => {
            let list = &t.municipalities[i].audits;
            Shown {
                audits: std::borrow::Cow::Borrowed(list),
                ..audits(list, 1, &shared.municipalities[i])
            }
        }
        PageJob::Municipality(i, p) => {
            audits(&t.municipalities[i].audits, p, &shared.municipalities[i])
        }
        PageJob::Auditor(i, p) => audits(&t.auditors[i].audits, p, &shared.auditors[i]),
        PageJob::Year(i, p) => audits(&t.years[i].audits, p, &shared.years[i]),
        PageJob::Theme(i, p) => audits(&t.themes[i].audits, p, &shared.themes[i]),
        PageJob::RecommendationsOfYear(y, p) => items(&r.by_year[y], p, &r.statuses_by_year[y]),
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
    let page = Description::single(site.urls.search(), "search.html");
    let b = Builder {
        site,
        shared: &Shared::empty(),
        page: &page,
    };
    let mut context = b.context("");
    context.insert("search", manifest);
    b.finish(context)
}

/// Builds the template context of one page.
pub fn page(site: &Site, shared: &Shared, job: PageJob) -> Page {
    let page = job.describe(site);
    let b = Builder {
        site,
        shared,
        page: &page,
    };
    let t = &site.taxonomies;
    match job {
        PageJob::Home => b.home(),
        PageJob::NotFound => b.finish(b.context("404")),
        PageJob::Audit(i) => b.audit(i),
        PageJob::Audits(_) => b.audit_list(),
        PageJob::Municipalities => b.index(&shared.municipalities),
        PageJob::Auditors => b.index(&shared.auditors),
        PageJob::Themes => b.index(&shared.themes),
        PageJob::Years => b.index(&shared.years),
        PageJob::Municipality(i, _) => b.municipality(i),
        PageJob::Auditor(i, _) => b.term_page(&shared.auditors[i], &t.auditors[i].audits),
        PageJob::Year(i, _) => b.term_page(&shared.years[i], &t.years[i].audits),
        PageJob::Theme(i, _) => b.term_page(&shared.themes[i], &t.themes[i].audits),
        PageJob::Register => b.register(),
        PageJob::RecommendationsOfYear(y, _) => b.recommendations_of_year(y),
        PageJob::Responses => b.responses(),
        PageJob::Statistics => b.statistics(),
        PageJob::Compare => b.compare(),
        PageJob::About | PageJob::Accessibility => b.info(),
    }
}

#[derive(Clone, Copy)]
struct Builder<'a> {
    site: &'a Site,
    shared: &'a Shared,
    /// The page being built.
    page: &'a Description,
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
    /// A context with the `page` variable set.
    fn context(&self, title: &str) -> Context {
        let page = self.page;
        let url = page.url.as_str();
        let mut context = Context::new();
        context.insert(
            "page",
            &PageInfo {
                kind: page.template.trim_end_matches(".html"),
                url: url.to_string(),
                permalink: self.site.urls.absolute(url),
                title: title.to_string(),
                feed: page.feed.clone(),
            },
        );
        context
    }

    /// The page with its finished context.
    fn finish(&self, context: Context) -> Page {
        Page {
            url: self.page.url.clone(),
            template: self.page.template,
            context,
        }
    }

    fn cards(&self, audits: &[usize]) -> Vec<Value> {
        audits
            .iter()
            .map(|&a| self.shared.card(self.site, a))
            .collect()
    }

    /// The page's part of its listing, `entries`.
    fn nth_page<'s, T>(&self, entries: &'s [T]) -> Paginated<'s, T> {
        self.nth_page_of(entries, self.site.config.paginate_by)
    }

    /// The page's part of its listing, `entries`, at `per_page` entries a page.
    fn nth_page_of<'s, T>(&self, entries: &'s [T], per_page: usize) -> Paginated<'s, T> {
        paginate::page(
            &self.site.urls,
            &self.page.first,
            entries,
            per_page,
            self.page.number,
        )
    }
}
