//! Which pages a site has, and what each page's template is given.
//!
//! Pages are described by [`PageJob`]s, cheap to list; the context of each is built only
//! when it is rendered, so rendering can run in parallel without holding every page's data
//! in memory at once.

use serde::Serialize;
use tera::{Context, Value};

use super::Site;
use super::paginate::{self, Paginated};
use crate::model::{Audit, ItemKind};
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
        }
    }

    pub fn new(site: &Site) -> Shared {
        use rayon::prelude::*;
        let cards = site
            .audits
            .par_iter()
            .map(|a| Value::from_serializable(&AuditCard::new(site, a)))
            .collect();
        let recommendations = site
            .audits
            .iter()
            .enumerate()
            .flat_map(|(a, audit)| {
                audit
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.kind == ItemKind::Recommendation)
                    .map(move |(i, _)| (a, i))
            })
            .collect();
        Shared {
            cards,
            recommendations,
            municipalities: municipality_terms(site),
            auditors: auditor_terms(site),
            themes: theme_terms(site),
            years: year_terms(site),
        }
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
            PageJob::Recommendations(_) => "recommendations.html",
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
    }
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
    jobs
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
        PageJob::Recommendations(p) => b.recommendations(p),
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
            },
        );
        context
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
        context.insert("details", &AuditDetails::new(site, audit));
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
            let audit = &self.site.audits[a];
            let view = ItemView::new(self.site, audit, &audit.items[i]);
            match groups.last_mut() {
                Some(g) if g.index == a => g.items.push(view),
                _ => groups.push(Group {
                    index: a,
                    audit: self.shared.cards[a].clone(),
                    items: vec![view],
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
        context.insert_value("audits", Value::from(self.cards(&theme.audits)));
        Page {
            url: page.url,
            template: "theme.html",
            context,
        }
    }

    fn recommendations(&self, p: usize) -> Page {
        let first = self.site.urls.recommendations();
        let page = self.nth_page(&first, &self.shared.recommendations, p);
        let mut context = self.context("recommendations.html", &page.url, "");
        context.insert("groups", &self.groups(page.entries));
        context.insert("pager", &page.pager);
        Page {
            url: page.url,
            template: "recommendations.html",
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
    items: Vec<ItemView>,
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
    body: String,
    toc: Vec<crate::model::TocEntry>,
    permalink: String,
    cite: String,
    items: Vec<ItemView>,
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
    fn new(site: &Site, audit: &Audit) -> AuditDetails {
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
            body: audit.body.html.clone(),
            toc: audit.body.toc.clone(),
            cite: format!(
                "{auditor} ({}). {}. {}. {permalink}",
                m.date.year(),
                m.title,
                m.commissioned_by
            ),
            permalink,
            items: audit
                .items
                .iter()
                .map(|i| ItemView::new(site, audit, i))
                .collect(),
        }
    }
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
