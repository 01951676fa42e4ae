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
use tantivy::postings::TermInfo;
use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query as TantivyQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, Term};

use crate::analyzer::{Split, Stemmer, decompound, words};
use crate::blocks::{Blocks, is_block};
use crate::bundle::{BundleDirectory, Chunk, Header};
use crate::facets::{FACETS, FacetCounter, FacetCounts};
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
    /// `observation`, `recommendation` or `summary`.
    pub kind: String,
    pub report_type: String,
    /// A recommendation's follow-up status (empty when none is given).
    #[serde(default)]
    pub status: String,
    /// The audit page with the item's anchor.
    pub url: String,
    /// The item id (empty for a summary).
    pub item: String,
    /// The audit question's text, when the item belongs to one.
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
    /// Words that matched nothing and were read as the closest indexed words instead.
    pub fuzzy: Vec<String>,
    /// Files beside the index that the answer needs and the engine does not have yet:
    /// index blocks (then the response holds nothing else) or the text chunks of the hits
    /// (then their texts and snippets are empty). Add them with [`Engine::add_file`] and
    /// search again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// An opened index.
pub struct Engine {
    reader: IndexReader,
    fields: Fields,
    header: Header,
    stemmer: Stemmer,
    /// Text chunks loaded so far, by name.
    chunks: HashMap<String, Chunk>,
    /// The index's blocks fetched on demand.
    blocks: Arc<Blocks>,
}

/// Rounds of fetching [`Engine::search_loading`] goes through at most: blocks of the terms,
/// blocks found missing while searching (typo tolerance), text chunks, and slack.
pub const MAX_ROUNDS: usize = 6;

/// Why an index could not be opened.
#[derive(Debug)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

impl Engine {
    /// Opens a bundle (the bytes of `index.*.bin`).
    pub fn open(bytes: Vec<u8>) -> Result<Engine, OpenError> {
        let (dir, header) =
            BundleDirectory::open(OwnedBytes::new(bytes)).map_err(|e| OpenError(e.to_string()))?;
        let blocks = dir.blocks();
        let mut index =
            Index::open(dir).map_err(|e| OpenError(format!("cannot open the index: {e}")))?;
        index.set_tokenizers(crate::tokenizer::manager());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .num_warming_threads(0)
            .try_into()
            .map_err(|e| OpenError(format!("cannot read the index: {e}")))?;
        let (_, fields) = Fields::schema();
        Ok(Engine {
            reader,
            fields,
            header,
            stemmer: Stemmer::default(),
            chunks: HashMap::new(),
            blocks,
        })
    }

    /// Adds a file beside the index that a response listed as missing: an index block
    /// (`search/block.*.bin`) or a text chunk (`search/text.*.json`); `name` is its file name.
    /// Unknown names and bytes that do not fit are refused.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), OpenError> {
        if is_block(name) {
            return match self.blocks.add(name, bytes) {
                Ok(true) => Ok(()),
                Ok(false) => Err(OpenError(format!("{name} is not a block of this index"))),
                Err(e) => Err(OpenError(format!("{name}: {e}"))),
            };
        }
        self.add_chunk(name, bytes)
    }

    fn add_chunk(&mut self, name: &str, bytes: &[u8]) -> Result<(), OpenError> {
        let known = self
            .header
            .segments
            .values()
            .any(|s| s.chunks.iter().any(|c| c == name));
        if !known {
            return Err(OpenError(format!(
                "{name} is not a text chunk of this index"
            )));
        }
        let chunk: Chunk = serde_json::from_slice(bytes)
            .map_err(|e| OpenError(format!("text chunk {name}: {e}")))?;
        self.chunks.insert(name.to_string(), chunk);
        Ok(())
    }

    /// Answers `request`, loading the files it needs with `load` (file name → bytes; `None`
    /// when it cannot be had: a missing block leaves the answer empty, a missing chunk its
    /// hits without text).
    pub fn search_loading(
        &mut self,
        request: &Request,
        mut load: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Response {
        let mut response = self.search(request);
        for _ in 1..MAX_ROUNDS {
            if response.missing.is_empty() {
                break;
            }
            for name in &response.missing {
                if let Some(bytes) = load(name) {
                    // A file that does not fit stays missing.
                    let _ = self.add_file(name, &bytes);
                }
            }
            response = self.search(request);
        }
        response
    }

    /// Index blocks that `query` will read and that are not loaded: those of its terms'
    /// postings (and positions, for phrases), and of the words within `fuzzy` (stem, edit
    /// distance) of its misspelt words, found in the term dictionaries.
    fn blocks_needed(
        &self,
        searcher: &Searcher,
        query: &dyn TantivyQuery,
        fuzzy: &[(String, u8)],
    ) -> Vec<String> {
        let mut terms: Vec<(&Term, bool)> = Vec::new();
        query.query_terms(&mut |term, positions| terms.push((term, positions)));
        let text = self.fields.text;
        let mut missing = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id().uuid_string();
            let mut need = |field: tantivy::schema::Field, info: TermInfo, positions: bool| {
                missing.extend(self.blocks.need(
                    &id,
                    field.field_id(),
                    info.postings_range.clone(),
                    positions.then(|| info.positions_range.clone()),
                ));
            };
            for &(term, positions) in &terms {
                let info = segment
                    .inverted_index(term.field())
                    .and_then(|index| Ok(index.get_term_info(term)?));
                if let Ok(Some(info)) = info {
                    need(term.field(), info, positions);
                }
            }
            for (stem, distance) in fuzzy {
                let near = FuzzyTermQuery::new(Term::from_field_text(text, stem), *distance, true)
                    .automaton()
                    .and_then(|dfa| AutomatonWeight::new(text, dfa).get_match_term_infos(segment));
                for info in near.unwrap_or_default() {
                    need(text, info, false);
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
        let parsed = parse(&request.q);
        let mut fuzzy = Vec::new();
        let mut highlight = Highlighter::default();
        let text_query = if request.q.trim().is_empty() {
            // No query: browse by the filters alone.
            Box::new(AllQuery)
        } else {
            self.text_query(&searcher, &parsed, &mut fuzzy, &mut highlight)
        };
        let filters = &request.filters;
        let query = self.with_filters(text_query.box_clone(), filters);
        let needed = self.blocks_needed(&searcher, &*query, &highlight.fuzzy);
        if !needed.is_empty() {
            return Response {
                missing: needed,
                ..Response::default()
            };
        }
        self.blocks.take_missing();
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
        let hits = addresses
            .into_iter()
            .filter_map(|(score, address)| {
                self.hit(&searcher, address, score, &highlight, &mut missing)
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
            hits,
            facets: self.label(counts),
            fuzzy,
            missing,
        }
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
            Sort::Relevance => searcher.search(query, &(Count, top.order_by_score())),
            Sort::Date => searcher
                .search(
                    query,
                    &(
                        Count,
                        top.order_by_fast_field::<u64>(name::DATE, Order::Desc),
                    ),
                )
                .map(|(n, docs)| (n, docs.into_iter().map(|(_, a)| (0.0, a)).collect())),
        };
        result.unwrap_or_default()
    }

    fn count(&self, searcher: &Searcher, query: &dyn TantivyQuery) -> FacetCounts {
        searcher.search(query, &FacetCounter).unwrap_or_default()
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
        let (text, question, item) = match self.passage(&own.chunks, address.doc_id) {
            Ok(passage) => passage,
            Err(chunk) => {
                missing.extend(chunk);
                Default::default()
            }
        };
        let kind = str_values(segment, name::KIND, address.doc_id)
            .into_iter()
            .next()
            .unwrap_or_default();
        let url = if item.is_empty() {
            audit.url.clone()
        } else {
            format!("{}#{item}", audit.url)
        };
        // Words of the text, or compound parts the indexer split off (it knows words from its
        // lexicon that the text never uses alone: `kalkyl`), so that a part match is marked.
        let known = |w: &str| {
            self.is_known(searcher, w)
                || w.chars().count() >= 3
                    && self.doc_freq(searcher, self.fields.parts, &self.stemmer.stem(w)) > 0
        };
        Some(Hit {
            audit: audit.id.clone(),
            title: audit.title.clone(),
            municipality: audit.municipality.clone(),
            municipality_slug: audit.municipality_slug.clone(),
            county: audit.county.clone(),
            auditor: audit.auditor.clone(),
            auditor_key: audit.auditor_key.clone(),
            year: fast
                .u64(name::YEAR)
                .ok()?
                .first(address.doc_id)
                .unwrap_or(0),
            date: audit.date.clone(),
            kind,
            report_type: audit.report_type.clone(),
            status: str_values(segment, name::STATUS, address.doc_id)
                .into_iter()
                .next()
                .unwrap_or_default(),
            url,
            question: (!question.is_empty()).then_some(question),
            themes: str_values(segment, name::THEME, address.doc_id),
            snippet: if text.is_empty() {
                String::new()
            } else {
                snippet(&text, highlight, &self.stemmer, &known)
            },
            item,
            text,
            score,
        })
    }

    /// The text, question text and item id of passage `doc` of a segment with text chunks
    /// `chunks`, or the name of the chunk that holds them when it is not loaded (`Err(None)`
    /// when the index has no such chunk).
    fn passage(
        &self,
        chunks: &[String],
        doc: u32,
    ) -> Result<(String, String, String), Option<String>> {
        let per = self.header.chunk_docs.max(1);
        let name = chunks.get((u64::from(doc) / per) as usize).ok_or(None)?;
        match self.chunks.get(name) {
            Some(chunk) => Ok(chunk
                .get((u64::from(doc) % per) as usize)
                .cloned()
                .unwrap_or_default()),
            None => Err(Some(name.clone())),
        }
    }

    /// Whether the normalised word `w` (stemmed) is a word of the corpus.
    fn is_known(&self, searcher: &Searcher, w: &str) -> bool {
        w.chars().count() >= 3
            && self.doc_freq(searcher, self.fields.text, &self.stemmer.stem(w)) > 0
    }

    fn doc_freq(&self, searcher: &Searcher, field: tantivy::schema::Field, term: &str) -> u64 {
        searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// The query for the text part of a request.
    fn text_query(
        &self,
        searcher: &Searcher,
        parsed: &Query,
        fuzzy: &mut Vec<String>,
        highlight: &mut Highlighter,
    ) -> Box<dyn TantivyQuery> {
        if parsed.is_empty() && parsed.excluded.is_empty() {
            // Text that holds no words (punctuation, a lone operator): nothing matches.
            return Box::new(EmptyQuery);
        }
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        if parsed.is_empty() {
            // Only exclusions: everything but them.
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for group in &parsed.required {
            let alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = group
                .iter()
                .filter_map(|c| self.clause(searcher, c, fuzzy, Some(&mut *highlight)))
                .map(|q| (Occur::Should, q))
                .collect();
            if alternatives.is_empty() {
                continue;
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
        if clauses.is_empty() {
            // Words that are all stop words match nothing.
            return Box::new(EmptyQuery);
        }
        for clause in &parsed.excluded {
            if let Some(q) = self.clause(searcher, clause, &mut Vec::new(), None) {
                clauses.push((Occur::MustNot, q));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The query for one clause; `None` when it has no words (e.g. only stop words).
    fn clause(
        &self,
        searcher: &Searcher,
        clause: &Clause,
        fuzzy: &mut Vec<String>,
        mut highlight: Option<&mut Highlighter>,
    ) -> Option<Box<dyn TantivyQuery>> {
        match clause {
            Clause::Phrase(text) => {
                let q = self.phrase(text, highlight.as_deref_mut());
                Some(q)
            }
            Clause::Word { text, prefix: true } => Some(self.prefix(searcher, text, highlight)),
            Clause::Word {
                text,
                prefix: false,
            } => {
                let ws = words(text);
                let content: Vec<_> = ws.iter().filter(|w| !w.stop).collect();
                match (content.len(), ws.first().and_then(|w| w.group)) {
                    (0, _) => None,
                    (1, _) if ws.len() == 1 => {
                        Some(self.word(searcher, &content[0].text, fuzzy, highlight))
                    }
                    (_, Some(g)) if ws.iter().all(|w| w.group == Some(g)) => {
                        Some(self.hyphenated(searcher, text, fuzzy, highlight))
                    }
                    _ => {
                        // Several words glued by punctuation ("a/b"): all must match.
                        let parts = content
                            .iter()
                            .map(|w| {
                                (
                                    Occur::Must,
                                    self.word(searcher, &w.text, fuzzy, highlight.as_deref_mut()),
                                )
                            })
                            .collect();
                        Some(Box::new(BooleanQuery::new(parts)))
                    }
                }
            }
        }
    }

    /// A single word: whole-word matches first, then parts of compounds (both ways), then,
    /// when nothing matches, the closest words (typo tolerance).
    fn word(
        &self,
        searcher: &Searcher,
        word: &str,
        fuzzy: &mut Vec<String>,
        highlight: Option<&mut Highlighter>,
    ) -> Box<dyn TantivyQuery> {
        let f = self.fields;
        let stem = self.stemmer.stem(word).into_owned();
        let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        let mut highlight_stems = vec![stem.clone()];
        if self.doc_freq(searcher, f.text, &stem) > 0 {
            alternatives.push((Occur::Should, term(f.text, &stem, 1.0)));
        }
        if self.doc_freq(searcher, f.parts, &stem) > 0 {
            alternatives.push((Occur::Should, term(f.parts, &stem, 0.35)));
        }
        let known = |w: &str| self.is_known(searcher, w);
        if let Some(parts) = decompound(word, &known, Split::Coarse) {
            let stems: Vec<String> = parts
                .iter()
                .map(|p| self.stemmer.stem(p).into_owned())
                .collect();
            let all: Vec<(Occur, Box<dyn TantivyQuery>)> = stems
                .iter()
                .map(|s| (Occur::Must, term(f.text, s, 1.0)))
                .collect();
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), 0.5)),
            ));
            highlight_stems.extend(stems);
        }
        if alternatives.is_empty() {
            let chars = word.chars().count();
            if chars >= 4 {
                let distance = if chars >= 8 { 2 } else { 1 };
                let q = FuzzyTermQuery::new(Term::from_field_text(f.text, &stem), distance, true);
                alternatives.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 0.8))));
                fuzzy.push(word.to_string());
                if let Some(h) = highlight {
                    h.fuzzy.push((stem.clone(), distance));
                    h.stems.extend(highlight_stems);
                }
                return Box::new(BooleanQuery::new(alternatives));
            }
        }
        if let Some(h) = highlight {
            h.stems.extend(highlight_stems);
        }
        if alternatives.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `IT-säkerhet`: the words next to each other, or joined (`itsäkerhet`), or — ranked
    /// lower — all of them anywhere (`styrning av IT` for `IT-styrning`).
    fn hyphenated(
        &self,
        searcher: &Searcher,
        text: &str,
        fuzzy: &mut Vec<String>,
        mut highlight: Option<&mut Highlighter>,
    ) -> Box<dyn TantivyQuery> {
        let ws = words(text);
        let joined: String = ws.iter().map(|w| w.text.as_str()).collect();
        let phrase = self.phrase(text, highlight.as_deref_mut());
        let whole = self.word(searcher, &joined, fuzzy, highlight.as_deref_mut());
        let anywhere: Vec<(Occur, Box<dyn TantivyQuery>)> = ws
            .iter()
            .filter(|w| !w.stop)
            .map(|w| {
                (
                    Occur::Must,
                    self.word(searcher, &w.text, &mut Vec::new(), highlight.as_deref_mut()),
                )
            })
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
    fn phrase(&self, text: &str, highlight: Option<&mut Highlighter>) -> Box<dyn TantivyQuery> {
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
        if let Some(h) = highlight {
            h.stems.extend(
                ws.iter()
                    .filter(|w| !w.stop)
                    .map(|w| self.stemmer.stem(&w.text).into_owned()),
            );
        }
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
        highlight: Option<&mut Highlighter>,
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
        if let Some(h) = highlight {
            h.prefixes.push(normalized.clone());
            h.stems.extend(found.iter().cloned());
        }
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
