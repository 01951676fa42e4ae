//! What templates see: serialisable views of the model, with URLs, labels and dates already
//! worked out so that templates stay free of logic.
//!
//! The field names here are the template contract documented in docs/templates.md;
//! renaming one breaks site templates that override the theme's.

use serde::Serialize;

use crate::model::{
    Assessment, AssessmentBasis, Audit, BoardResponse, Item, ItemCounts, Origin,
    RecommendationStatus, ResponseStatus, Taxonomies,
};
use crate::site::Site;
use crate::text::excerpt;

/// A name with a URL.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A machine value with its human label.
#[derive(Clone, Debug, Serialize)]
pub struct Label {
    pub key: String,
    pub label: String,
}

impl StatusView {
    pub fn new(site: &Site, status: RecommendationStatus) -> StatusView {
        StatusView {
            key: status.key(),
            slug: status.slug(),
            label: site.text(status.label_key()).to_string(),
        }
    }
}

/// An entry of an index page (a municipality, firm, theme or year) with its counts.
#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub key: String,
    pub name: String,
    pub url: String,
    pub audits: usize,
    #[serde(flatten)]
    pub counts: ItemCounts,
    /// A second line: the county, the firm's full name, the theme's description.
    pub note: Option<String>,
    /// ISO date of the newest audit.
    pub latest: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssessmentView {
    pub level: String,
    pub label: String,
    pub slug: String,
    /// True when the editor mapped the auditor's words onto the scale.
    pub derived: bool,
    pub quote: Option<String>,
    pub note: Option<String>,
}

impl AssessmentView {
    pub fn new(a: &Assessment, site: &Site) -> AssessmentView {
        AssessmentView {
            level: a.level.key().to_string(),
            label: site.text(a.level.label_key()).to_string(),
            slug: a.level.slug().to_string(),
            derived: a.basis == AssessmentBasis::Derived,
            quote: a.quote.clone(),
            note: a.note.clone(),
        }
    }
}

/// An audit as listings show it.
#[derive(Clone, Debug, Serialize)]
pub struct AuditCard {
    pub id: String,
    pub url: String,
    pub title: String,
    pub municipality: Link,
    pub county: Option<String>,
    pub auditor: Link,
    /// ISO date.
    pub date: String,
    /// "6 februari 2017".
    pub date_long: String,
    pub year: Link,
    pub report_type: Label,
    pub themes: Vec<Link>,
    pub assessment: Option<AssessmentView>,
    #[serde(flatten)]
    pub counts: ItemCounts,
    pub summary: String,
}

impl AuditCard {
    pub fn new(site: &Site, audit: &Audit) -> AuditCard {
        let m = &audit.meta;
        let urls = &site.urls;
        let auditor_name = site.config.auditor_name(&m.auditor).to_string();
        AuditCard {
            id: m.id.clone(),
            url: urls.audit(&m.id),
            title: m.title.clone(),
            municipality: Link {
                name: m.municipality.clone(),
                url: urls.municipality(&m.municipality_slug),
            },
            county: m.county.clone(),
            auditor: Link {
                name: auditor_name,
                url: urls.auditor(&m.auditor),
            },
            date: m.date.to_string(),
            date_long: site.long_date(m.date),
            year: Link {
                name: m.date.year().to_string(),
                url: urls.year(m.date.year()),
            },
            report_type: Label {
                key: m.report_type.key().to_string(),
                label: site.text(m.report_type.label_key()).to_string(),
            },
            themes: theme_links(site, &m.themes),
            assessment: m.assessment.as_ref().map(|a| AssessmentView::new(a, site)),
            counts: ItemCounts::of(&audit.items),
            summary: excerpt(audit.body.summary.lines().next().unwrap_or(""), 280),
        }
    }
}

pub fn theme_links(site: &Site, keys: &[String]) -> Vec<Link> {
    keys.iter()
        .map(|k| Link {
            name: Taxonomies::theme_label(&site.config, k, site.config.language).to_string(),
            url: site.urls.theme(k),
        })
        .collect()
}

/// Characters of an item's text that listings show: whole for nearly every recommendation,
/// the opening of a long observation (the permalink leads to the rest).
const LISTING_EXCERPT: usize = 300;

/// An observation or recommendation.
#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    pub id: String,
    /// `observation` or `recommendation`.
    pub kind: String,
    pub kind_label: String,
    /// The permalink: audit page + anchor.
    pub url: String,
    /// The beginning of the text, for listings.
    pub excerpt: String,
    pub themes: Vec<Link>,
    pub question: Option<QuestionRef>,
    #[serde(flatten)]
    pub facts: ItemFacts,
}

/// What the front matter (and follow-ups) say of an item: shown with it in listings and on
/// the audit page.
#[derive(Clone, Debug, Serialize)]
pub struct ItemFacts {
    pub status: Option<StatusView>,
    pub status_date: Option<String>,
    pub evidence: Option<String>,
    pub addressee: Option<String>,
    pub priority: Option<&'static str>,
    /// The editors' reading, not the report's own item.
    pub editorial: bool,
}

impl ItemFacts {
    pub fn new(site: &Site, item: &Item) -> ItemFacts {
        let meta = &item.meta;
        ItemFacts {
            status: meta.status.map(|s| StatusView::new(site, s)),
            status_date: meta.status_date.map(|d| d.to_string()),
            evidence: meta.evidence.clone(),
            addressee: meta.addressee.clone(),
            priority: meta.priority.map(|p| p.key()),
            editorial: meta.origin == Origin::Editorial,
        }
    }
}

/// A recommendation's status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusView {
    pub key: &'static str,
    /// For CSS classes: `atgard-beslutad`.
    pub slug: &'static str,
    pub label: String,
}

/// What is known of a board's response, with its words: `key` is one of `pending`,
/// `received`, `not_recorded`, `not_received` ([`ResponseStatus`]).
#[derive(Clone, Debug, Serialize)]
pub struct ResponseStatusView {
    pub key: &'static str,
    pub label: String,
    /// One sentence saying what the status means (and, for `not_recorded`, what it does not).
    pub explanation: String,
}

impl ResponseStatusView {
    pub fn new(site: &Site, status: ResponseStatus) -> ResponseStatusView {
        ResponseStatusView {
            key: status.key(),
            label: site.text(status.label_key()).to_string(),
            explanation: site.text(status.explanation_key()).to_string(),
        }
    }
}

/// A board's response as the audit page and `/svar/` show it, as of the build date.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseView {
    pub status: ResponseStatusView,
    pub recipient: Option<String>,
    pub due: Option<String>,
    pub due_long: Option<String>,
    pub received: Option<String>,
    pub received_long: Option<String>,
    /// The board's reply.
    pub url: Option<String>,
    /// The source that says no reply came (status `not_received` only).
    pub not_received: Option<NotReceivedView>,
    /// The build date the status holds as of (it matters for `pending` and `not_recorded`).
    pub as_of: String,
    pub as_of_long: String,
}

/// Where it is said that no reply came.
#[derive(Clone, Debug, Serialize)]
pub struct NotReceivedView {
    pub source: String,
    pub url: Option<String>,
    pub date: Option<String>,
    pub date_long: Option<String>,
}

impl ResponseView {
    pub fn new(site: &Site, response: &BoardResponse) -> ResponseView {
        let today = site.config.build_date();
        let status = response.status(today);
        ResponseView {
            status: ResponseStatusView::new(site, status),
            recipient: response.recipient.clone(),
            due: response.due.map(|d| d.to_string()),
            due_long: response.due.map(|d| site.long_date(d)),
            received: response.received.map(|d| d.to_string()),
            received_long: response.received.map(|d| site.long_date(d)),
            url: response.url.clone(),
            not_received: response
                .not_received
                .as_ref()
                .filter(|_| status == ResponseStatus::NotReceived)
                .map(|n| NotReceivedView {
                    source: n.source.clone(),
                    url: n.url.clone(),
                    date: n.date.map(|d| d.to_string()),
                    date_long: n.date.map(|d| site.long_date(d)),
                }),
            as_of: today.to_string(),
            as_of_long: site.long_date(today),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct QuestionRef {
    pub id: String,
    pub text: String,
}

impl ItemView {
    pub fn new(site: &Site, audit: &Audit, item: &Item) -> ItemView {
        ItemView {
            id: item.id.clone(),
            kind: item.kind.key().to_string(),
            kind_label: site.text(item.kind.label_key()).to_string(),
            url: site.urls.item(audit.id(), &item.id),
            excerpt: excerpt(&item.text, LISTING_EXCERPT),
            themes: theme_links(site, &item.themes),
            question: item
                .question
                .as_deref()
                .and_then(|q| audit.question(q))
                .map(|q| QuestionRef {
                    id: q.id.clone(),
                    text: q.text.clone(),
                }),
            facts: ItemFacts::new(site, item),
        }
    }
}

/// A paginated listing's position.
#[derive(Clone, Debug, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
    /// 1-based number of the first entry on this page.
    pub first: usize,
    /// 1-based number of the last entry on this page.
    pub last: usize,
    /// Entries on all pages together.
    pub entries: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out before this one (show "…").
    pub gap: bool,
}
