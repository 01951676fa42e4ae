//! Searching a bundle: requests in, ranked hits with snippets and facet counts out.
//!
//! The same code answers `insyn search` on the command line and the search page in the
//! browser (compiled to WebAssembly), so both give the same hits for the same request.
//!
//! This module holds the [`Engine`] and answering a request (ranking, facet counts, hits);
//! its parts, one job each:
//! - `contract`: the request/response types and their JSON ([`Request`], [`Response`], …);
//! - `compile`: query compilation (a query's text and filters as tantivy queries);
//! - `loading`: opening a bundle, and adding and checking the pieces of its packs (index
//!   blocks, text chunks) a search needs ([`OpenError`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query as TantivyQuery;
use tantivy::{DocAddress, DocId, IndexReader, Score, Searcher, SegmentReader, Term};

use crate::analyzer::{Stemmer, words};
use crate::blocks::Blocks;
use crate::bundle::{Chunk, Header, Shown, date_number};
use crate::correction;
use crate::facets::{AuditTables, FACETS, FacetCounter, FacetCounts};
use crate::packs::Pieces;
use crate::query::parse;
use crate::schema::{Fields, name};
use crate::snippet::{Highlighter, snippet};

mod compile;
mod contract;
mod loading;

use compile::{COVERAGE, Compiled, TextQuery};
pub use contract::{Correction, FacetValue, Filters, Hit, MAX_LIMIT, Request, Response, Sort};
pub use loading::{MAX_ROUNDS, OpenError};

/// An opened index.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    header: Header,
    /// What each segment's audits give their passages: facets, dates.
    audits: AuditTables,
    /// Query words that name a municipality or an audit firm (folded, see [`fold_ascii`](compile::fold_ascii)),
    /// and the facet term they match.
    names: HashMap<String, Vec<Term>>,
    stemmer: Stemmer,
    /// Text chunks loaded so far, by piece name.
    chunks: HashMap<String, Chunk>,
    /// The index's blocks fetched on demand.
    blocks: Arc<Blocks>,
    /// The pieces of its packs: where the blocks and text chunks lie, and their names.
    pieces: Arc<Pieces>,
    /// The bundle's file name, for errors (natively, where a search that panics on damage
    /// is caught, see `loading::guarded`).
    #[cfg(feature = "write")]
    name: String,
}

impl Engine {
    /// How many passages the index holds.
    pub fn docs(&self) -> u64 {
        self.header.docs
    }

    /// Answers `request`. Never fails: a query that cannot match gives no hits.
    pub fn search(&self, request: &Request) -> Response {
        let searcher = self.reader.searcher();
        let mut compiled = Compiled::default();
        let text = if request.q.trim().is_empty() {
            // No query: browse by the filters alone.
            TextQuery::browse()
        } else {
            self.text_query(&searcher, &parse(&request.q), &mut compiled)
        };
        let filters = &request.filters;
        let strict = self.with_filters(text.strict(), filters);
        let needed = self.blocks_needed(&searcher, &*strict);
        if !needed.is_empty() {
            return Response {
                missing: needed,
                ..Response::default()
            };
        }
        self.blocks.take_missing();
        // When no passage holds every word, the passages holding most of them.
        let (text_query, partial) = match text.relaxed() {
            Some(relaxed) if self.count_matches(&searcher, &*strict) == 0 => (relaxed, true),
            _ => (text.strict(), false),
        };
        let query = self.with_filters(text_query.box_clone(), filters);
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let (total, addresses) = self.top(&searcher, &*query, request.sort, limit, request.offset);
        let mut counts = self.count(&searcher, &*query);
        // Each filtered facet is counted without its own filter, so other values stay offered.
        for facet in FACETS {
            if filters.is_active(facet) {
                let q = self.with_filters(text_query.box_clone(), &filters.without(facet));
                let own = self.count(&searcher, &*q);
                counts.insert(
                    facet.to_string(),
                    own.get(facet).cloned().unwrap_or_default(),
                );
            }
        }
        let mut missing = Vec::new();
        let hits: Vec<Hit> = addresses
            .into_iter()
            .filter_map(|(score, address)| {
                self.hit(&searcher, address, score, &compiled.highlight, &mut missing)
            })
            .collect();
        // A read of a block that was not foreseen failed: the answer is incomplete.
        let unforeseen = self.blocks.take_missing();
        if !unforeseen.is_empty() {
            return Response {
                missing: unforeseen,
                ..Response::default()
            };
        }
        missing.sort();
        missing.dedup();
        Response {
            total,
            corrections: self.corrections(&compiled.corrections, &hits),
            hits,
            facets: self.label(counts),
            partial,
            missing,
        }
    }

    /// How many passages `query` matches.
    fn count_matches(&self, searcher: &Searcher, query: &dyn TantivyQuery) -> usize {
        searcher.search(query, &Count).unwrap_or(0)
    }

    /// The corrections made, each with the corrected word as the hits write it, or the stem
    /// when no hit shows it.
    fn corrections(&self, made: &[(String, String)], hits: &[Hit]) -> Vec<Correction> {
        made.iter()
            .map(|(typed, stem)| {
                // Of the hits' words with that stem, the one closest to what was typed
                // (`beställarkompetns`: *beställarkompetens*, not *beställarkompetensen*).
                let read = hits
                    .iter()
                    .flat_map(|h| words(&h.text))
                    .filter(|w| !w.stop && self.stemmer.stem(&w.text) == stem.as_str())
                    .min_by_key(|w| correction::distance(&w.text, typed))
                    .map_or_else(|| stem.clone(), |w| w.text);
                Correction {
                    typed: typed.clone(),
                    read,
                }
            })
            .collect()
    }

    fn top(
        &self,
        searcher: &Searcher,
        query: &dyn TantivyQuery,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> (usize, Vec<(f32, DocAddress)>) {
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let result = match sort {
            Sort::Relevance => searcher.search(query, &(Count, top.tweak_score(kind_weight))),
            Sort::Date => {
                let dates = self.audits.dates.clone();
                let newest = top.tweak_score(move |segment: &SegmentReader| {
                    let audit = segment.fast_fields().u64(name::AUDIT).ok();
                    let dates = dates
                        .get(&segment.segment_id().uuid_string())
                        .cloned()
                        .unwrap_or_default();
                    move |doc: DocId, _: Score| {
                        let ord = audit.as_ref().and_then(|c| c.first(doc));
                        ord.and_then(|o| dates.get(o as usize).copied())
                            .unwrap_or(0)
                    }
                });
                searcher
                    .search(query, &(Count, newest))
                    .map(|(n, docs)| (n, docs.into_iter().map(|(_, a)| (0.0, a)).collect()))
            }
        };
        result.unwrap_or_default()
    }

    fn count(&self, searcher: &Searcher, query: &dyn TantivyQuery) -> FacetCounts {
        searcher
            .search(query, &FacetCounter(&self.audits))
            .unwrap_or_default()
    }

    /// Facet counts with labels, most frequent first, then by label.
    fn label(&self, counts: FacetCounts) -> BTreeMap<String, Vec<FacetValue>> {
        counts
            .into_iter()
            .map(|(facet, values)| {
                let labels = self.header.labels.get(&facet);
                let mut values: Vec<FacetValue> = values
                    .into_iter()
                    .map(|(value, count)| FacetValue {
                        label: labels
                            .and_then(|l| l.get(&value))
                            .cloned()
                            .unwrap_or_else(|| value.clone()),
                        value,
                        count,
                    })
                    .collect();
                if facet == name::YEAR {
                    values.sort_by(|a, b| b.value.cmp(&a.value));
                } else {
                    values
                        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
                }
                (facet, values)
            })
            .collect()
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        highlight: &Highlighter,
        missing: &mut Vec<String>,
    ) -> Option<Hit> {
        let segment = searcher.segment_reader(address.segment_ord);
        let fast = segment.fast_fields();
        let id = segment.segment_id().uuid_string();
        let own = self.header.segments.get(&id)?;
        let audit_ord = fast.u64(name::AUDIT).ok()?.first(address.doc_id)?;
        let audit = own.audits.get(audit_ord as usize)?;
        let Shown {
            text,
            question,
            anchor,
            section,
            editorial,
        } = match self.passage(&id, address.doc_id) {
            Ok(passage) => passage,
            Err(chunk) => {
                missing.extend(chunk);
                Shown::default()
            }
        };
        let kind = str_values(segment, name::KIND, address.doc_id)
            .into_iter()
            .next()
            .unwrap_or_default();
        let url = if anchor.is_empty() {
            audit.url.clone()
        } else {
            format!("{}#{anchor}", audit.url)
        };
        let is_item = matches!(kind.as_str(), "observation" | "recommendation");
        let known = |w: &str| self.is_known(searcher, w);
        Some(Hit {
            audit: audit.id.clone(),
            title: audit.title.clone(),
            municipality: audit.municipality.clone(),
            municipality_slug: audit.municipality_slug.clone(),
            county: audit.county.clone(),
            auditor: audit.auditor.clone(),
            auditor_key: audit.auditor_key.clone(),
            year: date_number(&audit.date) / 10_000,
            date: audit.date.clone(),
            kind,
            report_type: audit.report_type.clone(),
            status: str_values(segment, name::STATUS, address.doc_id)
                .into_iter()
                .next()
                .unwrap_or_default(),
            url,
            question: (!question.is_empty()).then_some(question),
            themes: fast
                .u64(name::THEME_SET)
                .ok()
                .and_then(|c| c.first(address.doc_id))
                .and_then(|local| own.theme_sets.get(audit.theme_set(local)?))
                .cloned()
                .unwrap_or_default(),
            snippet: if text.is_empty() {
                String::new()
            } else {
                snippet(&text, highlight, &self.stemmer, &known)
            },
            item: if is_item {
                anchor.clone()
            } else {
                String::new()
            },
            anchor,
            section,
            editorial,
            text,
            score,
        })
    }
}

/// At equal match, an observation or a recommendation ranks above a passage of the
/// summary, and that above the rest of the report: their relevance is weighted so.
const SUMMARY_WEIGHT: f32 = 0.9;
const TEXT_WEIGHT: f32 = 0.8;

/// Scores weighted by the passage's kind (see [`TEXT_WEIGHT`]), for `TopDocs::tweak_score`;
/// the coverage part of a relaxed query's score is kept as it is.
fn kind_weight(segment: &SegmentReader) -> impl Fn(DocId, Score) -> Score + use<> {
    let column = segment.fast_fields().str(name::KIND).ok().flatten();
    let ord = |kind: &str| {
        column
            .as_ref()
            .and_then(|c| c.dictionary().term_ord(kind).ok().flatten())
    };
    let (summary, text) = (ord("summary"), ord("text"));
    move |doc, score| {
        let ord = column.as_ref().and_then(|c| c.term_ords(doc).next());
        let weight = match ord {
            Some(o) if Some(o) == text => TEXT_WEIGHT,
            Some(o) if Some(o) == summary => SUMMARY_WEIGHT,
            _ => 1.0,
        };
        let coverage = (score / COVERAGE).floor() * COVERAGE;
        coverage + (score - coverage) * weight
    }
}

/// The values of a string fast field for one document.
fn str_values(segment: &tantivy::SegmentReader, field: &str, doc: u32) -> Vec<String> {
    let Ok(Some(column)) = segment.fast_fields().str(field) else {
        return Vec::new();
    };
    column
        .term_ords(doc)
        .filter_map(|ord| {
            let mut s = String::new();
            column.ord_to_str(ord, &mut s).ok()?;
            Some(s)
        })
        .collect()
}
