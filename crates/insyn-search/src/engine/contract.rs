//! The request/response contract of a search: what `insyn search` and the browser send
//! ([`Request`], [`Filters`], [`Sort`]) and get back ([`Response`], [`Hit`], [`FacetValue`],
//! [`Correction`]), as Rust types and as their JSON (serde).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::schema::name;

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

/// Restrictions on the results; values within one facet are alternatives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    pub municipality: Vec<String>,
    pub county: Vec<String>,
    pub auditor: Vec<String>,
    pub theme: Vec<String>,
    pub kind: Vec<String>,
    pub report_type: Vec<String>,
    /// Follow-up statuses of recommendations (`genomförd`, …).
    pub status: Vec<String>,
    /// Items' origins: `report`, `editorial`.
    pub origin: Vec<String>,
    pub year: Vec<u64>,
    pub year_from: Option<u64>,
    pub year_to: Option<u64>,
}

impl Filters {
    pub(super) fn values(&self, facet: &str) -> Vec<String> {
        match facet {
            name::MUNICIPALITY => self.municipality.clone(),
            name::COUNTY => self.county.clone(),
            name::AUDITOR => self.auditor.clone(),
            name::THEME => self.theme.clone(),
            name::KIND => self.kind.clone(),
            name::REPORT_TYPE => self.report_type.clone(),
            name::STATUS => self.status.clone(),
            name::ORIGIN => self.origin.clone(),
            _ => Vec::new(),
        }
    }

    pub(super) fn without(&self, facet: &str) -> Filters {
        let mut f = self.clone();
        match facet {
            name::MUNICIPALITY => f.municipality.clear(),
            name::COUNTY => f.county.clear(),
            name::AUDITOR => f.auditor.clear(),
            name::THEME => f.theme.clear(),
            name::KIND => f.kind.clear(),
            name::REPORT_TYPE => f.report_type.clear(),
            name::STATUS => f.status.clear(),
            name::ORIGIN => f.origin.clear(),
            name::YEAR => {
                f.year.clear();
                f.year_from = None;
                f.year_to = None;
            }
            _ => {}
        }
        f
    }

    pub(super) fn is_active(&self, facet: &str) -> bool {
        if facet == name::YEAR {
            !self.year.is_empty() || self.year_from.is_some() || self.year_to.is_some()
        } else {
            !self.values(facet).is_empty()
        }
    }
}

/// A search request (also the JSON the browser sends).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    pub q: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            q: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
        }
    }
}

/// The most hits one request returns.
pub const MAX_LIMIT: usize = 1000;

/// One hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The audit's id.
    pub audit: String,
    pub title: String,
    pub municipality: String,
    pub municipality_slug: String,
    pub county: Option<String>,
    pub auditor: String,
    pub auditor_key: String,
    pub year: u64,
    pub date: String,
    /// `observation`, `recommendation`, `summary` or `text` (any other passage of the report).
    pub kind: String,
    pub report_type: String,
    /// A recommendation's follow-up status (empty when none is given).
    #[serde(default)]
    pub status: String,
    /// The audit page with the passage's anchor.
    pub url: String,
    /// The item id of an observation or a recommendation (empty for other passages).
    pub item: String,
    /// The passage's anchor on the audit page: the item id, or the id of the heading whose
    /// section holds the passage (empty: the top of the page).
    #[serde(default)]
    pub anchor: String,
    /// The heading of the section that holds a passage other than an item.
    #[serde(default)]
    pub section: String,
    /// An editorial note: the site's editors wrote it, not the auditors.
    #[serde(default)]
    pub editorial: bool,
    /// The audit question's text, when the passage belongs to one.
    pub question: Option<String>,
    pub themes: Vec<String>,
    pub text: String,
    /// An excerpt of the text, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

/// A facet value with its label and how many hits have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// The answer to a request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Facet name → values with counts (each facet counted as if its own filter were off).
    pub facets: BTreeMap<String, Vec<FacetValue>>,
    /// Words that occur nowhere in the index, and the indexed words searched instead.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// No passage holds all the words: the hits hold most of them (the most first).
    #[serde(default)]
    pub partial: bool,
    /// Pieces of the index's packs that the answer needs and the engine does not have yet,
    /// by name (`<pack file>@<start>+<length>`, [`crate::packs::PieceRef`]): index blocks
    /// (then the response holds nothing else) or the text chunks of the hits (then their
    /// texts and snippets are empty). Add them with
    /// [`Engine::add_piece`](super::Engine::add_piece) and search again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// A query word read as another: it occurs nowhere in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// As typed.
    pub typed: String,
    /// The word searched instead, as it stands in the top hit.
    pub read: String,
}
