//! Searching a bundle: requests in, ranked hits with snippets and facet counts out.
//!
//! The same code answers `insyn search` on the command line and the search page in the
//! browser (compiled to WebAssembly), so both give the same hits for the same request.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::OwnedBytes;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery,
    Query as TantivyQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentReader, Term,
};

use crate::analyzer::{Split, Stemmer, decompound, words};
use crate::blocks::{Blocks, is_block};
use crate::bundle::{
    BundleDirectory, Chunk, Header, SegmentHeader, Shown, date_number, open_chunk,
};
use crate::correction::{self, max_edits};
use crate::facets::{AuditTables, FACETS, FacetCounter, FacetCounts};
use crate::query::{Clause, Query, parse};
use crate::schema::{Fields, name};
use crate::snippet::{Highlighter, snippet};

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
    pub year: Vec<u64>,
    pub year_from: Option<u64>,
    pub year_to: Option<u64>,
}

impl Filters {
    fn values(&self, facet: &str) -> Vec<String> {
        match facet {
            name::MUNICIPALITY => self.municipality.clone(),
            name::COUNTY => self.county.clone(),
            name::AUDITOR => self.auditor.clone(),
            name::THEME => self.theme.clone(),
            name::KIND => self.kind.clone(),
            name::REPORT_TYPE => self.report_type.clone(),
            name::STATUS => self.status.clone(),
            _ => Vec::new(),
        }
    }

    fn without(&self, facet: &str) -> Filters {
        let mut f = self.clone();
        match facet {
            name::MUNICIPALITY => f.municipality.clear(),
            name::COUNTY => f.county.clear(),
            name::AUDITOR => f.auditor.clear(),
            name::THEME => f.theme.clear(),
            name::KIND => f.kind.clear(),
            name::REPORT_TYPE => f.report_type.clear(),
            name::STATUS => f.status.clear(),
            name::YEAR => {
                f.year.clear();
                f.year_from = None;
                f.year_to = None;
            }
            _ => {}
        }
        f
    }

    fn is_active(&self, facet: &str) -> bool {
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
    /// Files beside the index that the answer needs and the engine does not have yet:
    /// index blocks (then the response holds nothing else) or the text chunks of the hits
    /// (then their texts and snippets are empty). Add them with [`Engine::add_file`] and
    /// search again.
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

/// An opened index.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    header: Header,
    /// What each segment's audits give their passages: facets, dates.
    audits: AuditTables,
    /// Query words that name a municipality or an audit firm (folded, see [`fold_ascii`]),
    /// and the facet term they match.
    names: HashMap<String, Vec<Term>>,
    stemmer: Stemmer,
    /// Text chunks loaded so far, by name.
    chunks: HashMap<String, Chunk>,
    /// The index's blocks fetched on demand.
    blocks: Arc<Blocks>,
    /// The bundle's file name, for errors.
    name: String,
}

/// Rounds of fetching [`Engine::search_loading`] goes through at most: blocks of the terms,
/// blocks found missing while searching (typo tolerance), text chunks, and slack.
pub const MAX_ROUNDS: usize = 6;

/// Why an index could not be opened, or a file beside it not added.
#[derive(Debug)]
pub struct OpenError {
    pub message: String,
    /// The index or a file of it is damaged (rebuilding the site is the remedy).
    pub damaged: bool,
}

impl OpenError {
    pub fn new(message: impl Into<String>) -> OpenError {
        OpenError {
            message: message.into(),
            damaged: false,
        }
    }

    /// File `file` of the index is damaged: `why`.
    pub fn damaged(file: &str, why: impl std::fmt::Display) -> OpenError {
        OpenError {
            message: format!("the search index is damaged: {file}: {why}; rebuild the site"),
            damaged: true,
        }
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpenError {}

/// Runs `f`, turning a panic into an error: the last line of defence against tantivy
/// panicking on damaged bytes that passed the checksums (a bug, or a file altered along
/// with its name). Natively only: the WebAssembly engine aborts on panics (which the page
/// reports as a failure).
fn guarded<T>(file: &str, f: impl FnOnce() -> T) -> Result<T, OpenError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        OpenError::damaged(file, format!("the engine failed reading it ({why})"))
    })
}

/// The name the bundle goes by in errors when its file name is not known.
const BUNDLE: &str = "the index bundle";

impl Engine {
    /// Opens a bundle (the bytes of `index.*.bin`) without checking its checksum.
    pub fn open(bytes: Vec<u8>) -> Result<Engine, OpenError> {
        Engine::open_named(BUNDLE, bytes)
    }

    /// Opens the bundle `name` (its file name, whose hash its bytes must match when it is a
    /// content-hashed name such as `index.<hash>.bin`).
    pub fn open_named(name: &str, bytes: Vec<u8>) -> Result<Engine, OpenError> {
        crate::bundle::verify_name(name, &bytes).map_err(|e| OpenError::damaged(name, e))?;
        guarded(name, || Engine::open_unchecked(name, bytes))?
    }

    fn open_unchecked(name: &str, bytes: Vec<u8>) -> Result<Engine, OpenError> {
        let (dir, header) = BundleDirectory::open(OwnedBytes::new(bytes)).map_err(|e| {
            match e.0.starts_with("wrong magic") {
                true => OpenError::new(format!("{name}: {e}; rebuild the site")),
                false => OpenError::damaged(name, e),
            }
        })?;
        let blocks = dir.blocks();
        let damaged = |e: tantivy::TantivyError| OpenError::damaged(name, e);
        let mut index = Index::open(dir).map_err(damaged)?;
        index.set_tokenizers(crate::tokenizer::manager());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .num_warming_threads(0)
            .try_into()
            .map_err(damaged)?;
        let (_, fields) = Fields::schema();
        Ok(Engine {
            reader,
            fields,
            audits: AuditTables::new(&header),
            names: names(&header, &fields),
            header,
            stemmer: Stemmer::default(),
            chunks: HashMap::new(),
            blocks,
            name: name.to_string(),
        })
    }

    /// Adds a file beside the index that a response listed as missing: an index block
    /// (`search/block.*.bin`) or a text chunk (`search/text.*.json`); `name` is its file name.
    /// Unknown names are refused, and bytes that do not fit are reported as damage.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), OpenError> {
        if is_block(name) {
            return match self.blocks.add(name, bytes) {
                Ok(true) => Ok(()),
                Ok(false) => Err(OpenError::new(format!(
                    "{name} is not a block of this index"
                ))),
                Err(e) => Err(OpenError::damaged(name, e)),
            };
        }
        self.add_chunk(name, bytes)
    }

    fn add_chunk(&mut self, name: &str, bytes: &[u8]) -> Result<(), OpenError> {
        let known = name
            .strip_prefix("text.")
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| n.split_once('-'))
            .is_some_and(|(texts, n)| {
                self.header
                    .segments
                    .values()
                    .any(|s| s.texts == texts && n.parse().is_ok_and(|n: u32| n < s.chunks))
            });
        if !known {
            return Err(OpenError::new(format!(
                "{name} is not a text chunk of this index"
            )));
        }
        let chunk = open_chunk(bytes).map_err(|e| OpenError::damaged(name, e))?;
        self.chunks.insert(name.to_string(), chunk);
        Ok(())
    }

    /// Answers `request`, loading the files it needs with `load` (file name → bytes; `None`
    /// when it cannot be had: a missing block leaves the answer empty, a missing chunk its
    /// hits without text). Fails when a loaded file is damaged, or the engine panics on
    /// damage that passed the checksums (see [`guarded`]).
    pub fn search_loading(
        &mut self,
        request: &Request,
        mut load: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Response, OpenError> {
        let name = self.name.clone();
        let mut response = guarded(&name, || self.search(request))?;
        for _ in 1..MAX_ROUNDS {
            if response.missing.is_empty() {
                break;
            }
            for name in &response.missing {
                if let Some(bytes) = load(name) {
                    self.add_file(name, &bytes)?;
                }
            }
            response = guarded(&name, || self.search(request))?;
        }
        Ok(response)
    }

    /// Index blocks that `query` will read and that are not loaded: those of its terms'
    /// postings (and positions, for phrases), found in the term dictionaries.
    fn blocks_needed(&self, searcher: &Searcher, query: &dyn TantivyQuery) -> Vec<String> {
        let mut terms: Vec<(&Term, bool)> = Vec::new();
        query.query_terms(&mut |term, positions| terms.push((term, positions)));
        let mut missing = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id().uuid_string();
            for &(term, positions) in &terms {
                let info = segment
                    .inverted_index(term.field())
                    .and_then(|index| Ok(index.get_term_info(term)?));
                if let Ok(Some(info)) = info {
                    missing.extend(self.blocks.need(
                        &id,
                        term.field().field_id(),
                        info.postings_range.clone(),
                        positions.then(|| info.positions_range.clone()),
                    ));
                }
            }
        }
        missing.into_iter().collect()
    }

    /// How many index blocks are fetched on demand, and how many of them are loaded.
    pub fn block_counts(&self) -> (usize, usize) {
        self.blocks.counts()
    }

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
        let own = self
            .header
            .segments
            .get(&segment.segment_id().uuid_string())?;
        let audit_ord = fast.u64(name::AUDIT).ok()?.first(address.doc_id)?;
        let audit = own.audits.get(audit_ord as usize)?;
        let Shown {
            text,
            question,
            anchor,
            section,
            editorial,
        } = match self.passage(own, address.doc_id) {
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
                .and_then(|set| own.theme_sets.get(set as usize))
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

    /// What a hit shows of passage `doc` of `segment`, or the name of the chunk that holds
    /// it when it is not loaded (`Err(None)` when the index has no
    /// such chunk).
    fn passage(&self, segment: &SegmentHeader, doc: u32) -> Result<Shown, Option<String>> {
        let per = self.header.chunk_docs.max(1);
        let n = u32::try_from(u64::from(doc) / per).map_err(|_| None)?;
        let name = segment.chunk_name(n).ok_or(None)?;
        match self.chunks.get(&name) {
            Some(chunk) => Ok(chunk
                .shown((u64::from(doc) % per) as usize)
                .unwrap_or_default()),
            None => Err(Some(name)),
        }
    }

    /// Whether the normalised word `w` (stemmed) is a word of the corpus, on its own or as
    /// a part of compounds.
    fn is_known(&self, searcher: &Searcher, w: &str) -> bool {
        w.chars().count() >= 3 && {
            let stem = self.stemmer.stem(w);
            [self.fields.text, self.fields.parts]
                .into_iter()
                .any(|field| self.doc_freq(searcher, field, &stem) > 0)
        }
    }

    fn doc_freq(&self, searcher: &Searcher, field: tantivy::schema::Field, term: &str) -> u64 {
        searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// The query for the text part of a request.
    fn text_query(&self, searcher: &Searcher, parsed: &Query, out: &mut Compiled) -> TextQuery {
        let mut text = TextQuery {
            // Only exclusions: everything but them.
            all: parsed.is_empty() && !parsed.excluded.is_empty(),
            ..TextQuery::default()
        };
        for group in &parsed.required {
            let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = group
                .iter()
                .filter_map(|c| self.clause(searcher, c, out))
                .map(|q| (Occur::Should, q))
                .collect();
            match alternatives.len() {
                // Only stop words.
                0 => {}
                1 => text.groups.extend(alternatives.pop().map(|(_, q)| q)),
                _ => text.groups.push(Box::new(BooleanQuery::new(alternatives))),
            }
        }
        for clause in &parsed.excluded {
            text.excluded
                .extend(self.clause(searcher, clause, &mut Compiled::default()));
        }
        text
    }

    /// The query for one clause; `None` when it has no words (e.g. only stop words).
    fn clause(
        &self,
        searcher: &Searcher,
        clause: &Clause,
        out: &mut Compiled,
    ) -> Option<Box<dyn TantivyQuery>> {
        match clause {
            Clause::Phrase(text) => Some(self.phrase(text, &mut out.highlight)),
            Clause::Word { text, prefix: true } => {
                Some(self.prefix(searcher, text, &mut out.highlight))
            }
            Clause::Word {
                text,
                prefix: false,
            } => {
                let ws = words(text);
                let content: Vec<_> = ws.iter().filter(|w| !w.stop).collect();
                match (content.len(), ws.first().and_then(|w| w.group)) {
                    (0, _) => None,
                    (1, _) if ws.len() == 1 => {
                        Some(self.word(searcher, &content[0].text, out, true))
                    }
                    (_, Some(g)) if ws.iter().all(|w| w.group == Some(g)) => {
                        Some(self.hyphenated(searcher, text, out))
                    }
                    _ => {
                        // Several words glued by punctuation ("a/b"): all must match.
                        let parts = content
                            .iter()
                            .map(|w| (Occur::Must, self.word(searcher, &w.text, out, true)))
                            .collect();
                        Some(Box::new(BooleanQuery::new(parts)))
                    }
                }
            }
        }
    }

    /// A single word: whole-word matches first, then parts of compounds (both ways). A word
    /// found nowhere in the index is, when `correct`, read as the closest indexed word
    /// (typo tolerance, see [`crate::correction`]), and otherwise as a compound of known
    /// words written together.
    fn word(
        &self,
        searcher: &Searcher,
        word: &str,
        out: &mut Compiled,
        correct: bool,
    ) -> Box<dyn TantivyQuery> {
        let stem = self.stemmer.stem(word).into_owned();
        let mut alternatives = self.stem_alternatives(searcher, &stem);
        let mut stems = vec![stem.clone()];
        // A municipality's or a firm's name also finds what is about it ("kumla",
        // "pwc"): weakly, as a filter more than a match.
        let names: Vec<(Occur, Box<dyn TantivyQuery>)> = self
            .names
            .get(&fold_ascii(word))
            .into_iter()
            .flatten()
            .map(|name| {
                let q = TermQuery::new(name.clone(), IndexRecordOption::Basic);
                let q: Box<dyn TantivyQuery> = Box::new(BoostQuery::new(Box::new(q), NAME_WEIGHT));
                (Occur::Should, q)
            })
            .collect();
        // A word found nowhere is read as the closest indexed word, if one is near enough,
        // before it is tried as a compound of known words.
        let closest = (alternatives.is_empty() && names.is_empty() && correct)
            .then(|| max_edits(word.chars().count()))
            .flatten()
            .and_then(|max| {
                let fields = [self.fields.text, self.fields.parts];
                correction::closest(searcher, &fields, word, max)
            });
        if let Some(closest) = closest {
            alternatives = self.stem_alternatives(searcher, &closest);
            out.corrections.push((word.to_string(), closest.clone()));
            stems.push(closest);
        } else if let Some(parts) = decompound(word, &|w| self.is_known(searcher, w), Split::Coarse)
        {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| self.stemmer.stem(p).into_owned())
                .collect();
            let all = parts
                .iter()
                .map(|s| (Occur::Must, term(self.fields.text, s, 1.0)))
                .collect();
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), 0.5)),
            ));
            stems.extend(parts);
        }
        alternatives.extend(names);
        out.highlight.stems.extend(stems);
        if alternatives.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// An indexed stem as a whole word, or (ranked lower) as a part of compounds.
    fn stem_alternatives(
        &self,
        searcher: &Searcher,
        stem: &str,
    ) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        let f = self.fields;
        [(f.text, 1.0), (f.parts, PART_WEIGHT)]
            .into_iter()
            .filter(|&(field, _)| self.doc_freq(searcher, field, stem) > 0)
            .map(|(field, weight)| (Occur::Should, term(field, stem, weight)))
            .collect()
    }

    /// `IT-säkerhet`: the words next to each other, or joined (`itsäkerhet`), or — ranked
    /// lower — all of them anywhere (`styrning av IT` for `IT-styrning`).
    fn hyphenated(
        &self,
        searcher: &Searcher,
        text: &str,
        out: &mut Compiled,
    ) -> Box<dyn TantivyQuery> {
        let ws = words(text);
        let joined: String = ws.iter().map(|w| w.text.as_str()).collect();
        let phrase = self.phrase(text, &mut out.highlight);
        // The joined form is never corrected: its words may well be in the index apart.
        let whole = self.word(searcher, &joined, out, false);
        let anywhere: Vec<(Occur, Box<dyn TantivyQuery>)> = ws
            .iter()
            .filter(|w| !w.stop)
            .map(|w| (Occur::Must, self.word(searcher, &w.text, out, true)))
            .collect();
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(phrase, 2.0))),
            (Occur::Should, whole),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(anywhere)), 0.5)),
            ),
        ]))
    }

    /// Words in this order, stop words allowed in between where they were.
    fn phrase(&self, text: &str, highlight: &mut Highlighter) -> Box<dyn TantivyQuery> {
        let ws = words(text);
        let terms: Vec<(usize, Term)> = ws
            .iter()
            .filter(|w| !w.stop)
            .map(|w| {
                (
                    w.position as usize,
                    Term::from_field_text(self.fields.text, &self.stemmer.stem(&w.text)),
                )
            })
            .collect();
        highlight.stems.extend(
            ws.iter()
                .filter(|w| !w.stop)
                .map(|w| self.stemmer.stem(&w.text).into_owned()),
        );
        match terms.len() {
            0 => Box::new(EmptyQuery),
            1 => Box::new(TermQuery::new(
                terms.into_iter().next().expect("one").1,
                IndexRecordOption::WithFreqs,
            )),
            _ => {
                let first = terms[0].0;
                let terms = terms.into_iter().map(|(p, t)| (p - first, t)).collect();
                Box::new(PhraseQuery::new_with_offset(terms))
            }
        }
    }

    /// `word*`: every indexed word starting with it (as typed, or as its stem).
    fn prefix(
        &self,
        searcher: &Searcher,
        text: &str,
        highlight: &mut Highlighter,
    ) -> Box<dyn TantivyQuery> {
        let normalized: String = words(text).iter().map(|w| w.text.as_str()).collect();
        if normalized.is_empty() {
            return Box::new(EmptyQuery);
        }
        let stem = self.stemmer.stem(&normalized).into_owned();
        let mut found: Vec<String> = Vec::new();
        for start in [normalized.as_str(), stem.as_str()] {
            found.extend(terms_with_prefix(searcher, self.fields.text, start, 200));
        }
        found.sort();
        found.dedup();
        highlight.prefixes.push(normalized.clone());
        highlight.stems.extend(found.iter().cloned());
        if found.is_empty() {
            return Box::new(EmptyQuery);
        }
        let alternatives = found
            .iter()
            .map(|t| (Occur::Should, term(self.fields.text, t, 1.0)))
            .collect();
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `query` restricted by `filters`.
    fn with_filters(
        &self,
        query: Box<dyn TantivyQuery>,
        filters: &Filters,
    ) -> Box<dyn TantivyQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![(Occur::Must, query)];
        let schema_fields = [
            (name::MUNICIPALITY, self.fields.municipality),
            (name::COUNTY, self.fields.county),
            (name::AUDITOR, self.fields.auditor),
            (name::THEME, self.fields.theme),
            (name::KIND, self.fields.kind),
            (name::REPORT_TYPE, self.fields.report_type),
            (name::STATUS, self.fields.status),
        ];
        for (facet, field) in schema_fields {
            let values = filters.values(facet);
            if values.is_empty() {
                continue;
            }
            let any: Vec<(Occur, Box<dyn TantivyQuery>)> = values
                .iter()
                .map(|v| {
                    let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let year = |y: u64| Term::from_field_u64(self.fields.year, y);
        if !filters.year.is_empty() {
            let any = filters
                .year
                .iter()
                .map(|&y| {
                    let q: Box<dyn TantivyQuery> =
                        Box::new(TermQuery::new(year(y), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if filters.year_from.is_some() || filters.year_to.is_some() {
            let lower = filters
                .year_from
                .map_or(Bound::Unbounded, |y| Bound::Included(year(y)));
            let upper = filters
                .year_to
                .map_or(Bound::Unbounded, |y| Bound::Included(year(y)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if clauses.len() == 1 {
            return clauses.pop().expect("one clause").1;
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// What compiling a query's text finds out besides the query.
#[derive(Default)]
struct Compiled {
    highlight: Highlighter,
    /// Corrected words: as typed, and the indexed stem searched instead.
    corrections: Vec<(String, String)>,
}

/// The text part of a request as queries.
#[derive(Default)]
struct TextQuery {
    /// One query per group of the query's words; a full match matches them all.
    groups: Vec<Box<dyn TantivyQuery>>,
    /// What must not match.
    excluded: Vec<Box<dyn TantivyQuery>>,
    /// Without groups: match everything (but the excluded) rather than nothing.
    all: bool,
}

impl TextQuery {
    /// Every passage (browsing by filters alone).
    fn browse() -> TextQuery {
        TextQuery {
            all: true,
            ..TextQuery::default()
        }
    }

    /// Passages that hold every group and none of the excluded.
    fn strict(&self) -> Box<dyn TantivyQuery> {
        if self.groups.is_empty() && !self.all {
            return Box::new(EmptyQuery);
        }
        if self.groups.len() == 1 && self.excluded.is_empty() {
            return self.groups[0].box_clone();
        }
        let base: Vec<(Occur, Box<dyn TantivyQuery>)> = if self.groups.is_empty() {
            vec![(Occur::Must, Box::new(AllQuery))]
        } else {
            self.groups
                .iter()
                .map(|g| (Occur::Must, g.box_clone()))
                .collect()
        };
        if base.len() == 1 && self.excluded.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(self.with_excluded(base)))
    }

    /// Passages that hold at least one group and none of the excluded, scored by how many
    /// groups they hold ([`COVERAGE`] each), then by relevance; `None` for fewer than two
    /// groups (nothing to relax).
    fn relaxed(&self) -> Option<Box<dyn TantivyQuery>> {
        if self.groups.len() < 2 {
            return None;
        }
        let any = self
            .groups
            .iter()
            .flat_map(|g| {
                let covered: Box<dyn TantivyQuery> =
                    Box::new(ConstScoreQuery::new(g.box_clone(), COVERAGE));
                [(Occur::Should, covered), (Occur::Should, g.box_clone())]
            })
            .collect();
        Some(Box::new(BooleanQuery::new(self.with_excluded(any))))
    }

    fn with_excluded(
        &self,
        mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)>,
    ) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        clauses.extend(
            self.excluded
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        clauses
    }
}

/// The weight of a word's matches as a part of compounds, against 1 for whole words.
const PART_WEIGHT: f32 = 0.35;
/// The weight of a word's match as the name of a passage's municipality or audit firm.
const NAME_WEIGHT: f32 = 0.2;

/// Folded words of the names of municipalities (one-word names) and audit firms → the
/// facet terms they name, from the index's facet labels.
fn names(header: &Header, fields: &Fields) -> HashMap<String, Vec<Term>> {
    let mut names: HashMap<String, Vec<Term>> = HashMap::new();
    for (facet, field) in [
        (name::MUNICIPALITY, fields.municipality),
        (name::AUDITOR, fields.auditor),
    ] {
        for (value, label) in header.labels.get(facet).into_iter().flatten() {
            let term = Term::from_field_text(field, value);
            let mut keys = vec![fold_ascii(value)];
            if !label.contains(char::is_whitespace) {
                keys.push(fold_ascii(label));
            }
            keys.dedup();
            for key in keys {
                names.entry(key).or_default().push(term.clone());
            }
        }
    }
    names
}

/// Lower-case letters and digits, `å ä ö` and other accents folded to ASCII: how a name
/// and a query word are compared (`Örebro`, `orebro`).
fn fold_ascii(word: &str) -> String {
    crate::analyzer::normalize(word)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect()
}
/// At equal match, an observation or a recommendation ranks above a passage of the
/// summary, and that above the rest of the report: their relevance is weighted so.
const SUMMARY_WEIGHT: f32 = 0.9;
const TEXT_WEIGHT: f32 = 0.8;
/// Score per group of words a passage holds, when no passage holds them all: more than
/// any relevance score, so the passages holding the most words come first.
const COVERAGE: Score = 10_000.0;

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

fn term(field: tantivy::schema::Field, text: &str, boost: f32) -> Box<dyn TantivyQuery> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(q)
    } else {
        Box::new(BoostQuery::new(Box::new(q), boost))
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

/// Indexed terms of `field` that start with `prefix` (at most `max`).
fn terms_with_prefix(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
    max: usize,
) -> Vec<String> {
    let mut out = HashSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) || out.len() >= max {
                break;
            }
            if let Ok(s) = std::str::from_utf8(key) {
                out.insert(s.to_string());
            }
        }
    }
    let mut out: Vec<String> = out.into_iter().collect();
    out.sort();
    out
}
