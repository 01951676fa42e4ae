//! Building the index (native only): documents in, bundle bytes out.
//!
//! Analysis (the costly part) runs in parallel; the documents then go through tantivy's
//! single-segment writer in their given order, so the same input always gives the same
//! bytes — tantivy's random segment id is replaced by a fixed one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::TantivyDocument;
use tantivy::tokenizer::{TextAnalyzer, Token as TantivyToken, Tokenizer};
use tantivy::{Directory, Index};

use crate::analyzer::{self, FxBuild, Split, Stemmer, Token, decompound, words};
use crate::bundle::{self, AuditEntry, Header, Labels};
use crate::schema::Fields;
use crate::tokenizer::to_tantivy;

/// What kind of passage a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Observation,
    Recommendation,
    Summary,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Observation => "observation",
            Kind::Recommendation => "recommendation",
            Kind::Summary => "summary",
        }
    }
}

/// One searchable passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc {
    /// Index into the audits table.
    pub audit: u32,
    pub kind: Kind,
    /// The item id (`rf3-r1`); empty for a summary.
    pub item: String,
    /// The audit question id; empty when none.
    pub question: String,
    pub text: String,
    /// Theme keys.
    pub themes: Vec<String>,
    /// A recommendation's follow-up status, when one is given.
    pub status: Option<String>,
}

/// Everything an index is built from.
#[derive(Clone, Debug, Default)]
pub struct IndexInput {
    pub audits: Vec<AuditEntry>,
    pub labels: Labels,
    pub docs: Vec<SearchDoc>,
}

/// The segment id every bundle uses, so builds are reproducible.
const SEGMENT_ID: &str = "00000000000000000000000000000001";

/// Per-document analysis: the text tokens and, per word, its normalised form and position.
struct Analysed {
    tokens: Vec<Token>,
    words: Vec<(String, u32, usize, usize)>,
}

/// Documents a segment holds at most. Segments are built in parallel, each by its own
/// single-segment writer; the size is fixed (not the number of cores) so that the same input
/// gives the same segments on every machine.
const SEGMENT_DOCS: usize = 16_384;

/// Passages a text chunk holds: about 40 KB of text (about 12 KB compressed), so the hits
/// of one search need a few small downloads.
pub const CHUNK_DOCS: usize = 128;

/// A built index: the bundle, and the text chunks beside it (`(file name, bytes)`).
pub struct Built {
    pub bundle: Vec<u8>,
    pub chunks: Vec<(String, Vec<u8>)>,
    /// Passages indexed.
    pub docs: usize,
}

impl Built {
    /// Opens the index with every text chunk loaded (for the command line and tests).
    pub fn open(&self) -> Result<crate::Engine, crate::engine::OpenError> {
        let mut engine = crate::Engine::open(self.bundle.clone())?;
        for (name, bytes) in &self.chunks {
            engine.add_chunk(name, bytes)?;
        }
        Ok(engine)
    }
}

/// The text chunks of `input`, named by their content.
fn chunks(input: &IndexInput) -> Vec<(String, Vec<u8>)> {
    input
        .docs
        .par_chunks(CHUNK_DOCS)
        .map(|docs| {
            let chunk: crate::bundle::Chunk = docs
                .iter()
                .map(|d| {
                    let question = input.audits[d.audit as usize]
                        .questions
                        .get(&d.question)
                        .cloned()
                        .unwrap_or_default();
                    (d.text.clone(), question)
                })
                .collect();
            let bytes = serde_json::to_vec(&chunk).expect("a chunk serialises");
            (format!("text.{:016x}.json", bundle::fnv1a64(&bytes)), bytes)
        })
        .collect()
}

/// Builds the index for `input`.
pub fn build(input: &IndexInput) -> tantivy::Result<Built> {
    let analysed: Vec<Analysed> = input.docs.par_iter().map(|d| analyse(&d.text)).collect();
    let parts = compound_parts(&analysed);
    let batches: Vec<(usize, &[SearchDoc], &[Analysed])> = input
        .docs
        .chunks(SEGMENT_DOCS)
        .zip(analysed.chunks(SEGMENT_DOCS))
        .enumerate()
        .map(|(i, (docs, analysed))| (i, docs, analysed))
        .collect();
    let segments: Vec<BTreeMap<String, Vec<u8>>> = batches
        .par_iter()
        .map(|&(i, docs, analysed)| segment(i, docs, analysed, &parts, input))
        .collect::<tantivy::Result<_>>()?;
    let files = combine(segments)?;
    let chunks = chunks(input);
    let header = Header {
        files: BTreeMap::new(),
        audits: input.audits.clone(),
        labels: input.labels.clone(),
        docs: input.docs.len() as u64,
        chunk_docs: CHUNK_DOCS as u64,
        chunks: chunks.iter().map(|(name, _)| name.clone()).collect(),
    };
    Ok(Built {
        bundle: bundle::pack(&files, header),
        chunks,
        docs: input.docs.len(),
    })
}

/// One segment: its files, with the segment id fixed to `ordinal`'s.
fn segment(
    ordinal: usize,
    docs: &[SearchDoc],
    analysed: &[Analysed],
    parts: &HashMap<String, Vec<String>, FxBuild>,
    input: &IndexInput,
) -> tantivy::Result<BTreeMap<String, Vec<u8>>> {
    let (schema, fields) = Fields::schema();
    // The analysis is done (in parallel, above); tantivy is handed its results.
    let text: Vec<Vec<TantivyToken>> = analysed
        .iter()
        .map(|a| to_tantivy(a.tokens.clone()))
        .collect();
    let part_tokens: Vec<Vec<TantivyToken>> = analysed
        .iter()
        .map(|a| to_tantivy(part_tokens(a, parts)))
        .collect();
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(
        crate::schema::ANALYZER,
        TextAnalyzer::from(Analysed_::new(text)),
    );
    manager.register(
        crate::schema::PARTS_ANALYZER,
        TextAnalyzer::from(Analysed_::new(part_tokens)),
    );
    let dir = tantivy::directory::RamDirectory::create();
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(manager)
        .single_segment_index_writer(dir.clone(), 64 * 1024 * 1024)?;
    for (n, doc) in docs.iter().enumerate() {
        let number = (ordinal * SEGMENT_DOCS + n) as u64;
        writer.add_document(document(n, number, doc, input, &fields))?;
    }
    let index = writer.finalize()?;
    collect_files(&index, &dir, ordinal)
}

/// The files of all segments, with one `meta.json` listing every segment.
fn combine(segments: Vec<BTreeMap<String, Vec<u8>>>) -> tantivy::Result<BTreeMap<String, Vec<u8>>> {
    let corrupt =
        |e: serde_json::Error| tantivy::TantivyError::InternalError(format!("meta.json: {e}"));
    let mut meta: Option<serde_json::Value> = None;
    let mut files = BTreeMap::new();
    for mut segment in segments {
        let this: serde_json::Value =
            serde_json::from_slice(&segment.remove("meta.json").unwrap_or_default())
                .map_err(corrupt)?;
        match meta.as_mut() {
            None => meta = Some(this),
            Some(all) => {
                let more = this["segments"].as_array().cloned().unwrap_or_default();
                if let Some(list) = all["segments"].as_array_mut() {
                    list.extend(more);
                }
                let opstamp =
                    all["opstamp"].as_u64().unwrap_or(0) + this["opstamp"].as_u64().unwrap_or(0);
                all["opstamp"] = opstamp.into();
            }
        }
        files.extend(segment);
    }
    let meta = meta.unwrap_or_else(|| serde_json::json!({}));
    files.insert(
        "meta.json".to_string(),
        serde_json::to_vec_pretty(&meta).map_err(corrupt)?,
    );
    Ok(files)
}

/// A tokenizer that hands tantivy tokens analysed beforehand: the field's value is the
/// document's number in its segment, and the tokens are that document's.
#[derive(Clone)]
#[allow(non_camel_case_types)]
struct Analysed_ {
    tokens: std::sync::Arc<Vec<Vec<TantivyToken>>>,
}

impl Analysed_ {
    fn new(tokens: Vec<Vec<TantivyToken>>) -> Analysed_ {
        Analysed_ {
            tokens: std::sync::Arc::new(tokens),
        }
    }
}

impl Tokenizer for Analysed_ {
    type TokenStream<'a> = crate::tokenizer::SwedishTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let tokens = text
            .parse::<usize>()
            .ok()
            .and_then(|n| self.tokens.get(n))
            .cloned()
            .unwrap_or_default();
        crate::tokenizer::SwedishTokenStream::new(tokens)
    }
}

thread_local! {
    /// Stems by word, per thread: the words of a corpus repeat, stemming is the costly part.
    static STEMS: std::cell::RefCell<(Stemmer, HashMap<String, String, FxBuild>)> =
        std::cell::RefCell::new((Stemmer::default(), HashMap::default()));
}

fn stem(word: &str) -> String {
    STEMS.with(|cell| {
        let (stemmer, cache) = &mut *cell.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        let s = stemmer.stem(word).into_owned();
        cache.insert(word.to_string(), s.clone());
        s
    })
}

fn analyse(text: &str) -> Analysed {
    let words = words(text);
    Analysed {
        tokens: analyzer::tokens_of(&words, &stem),
        words: words
            .into_iter()
            .filter(|w| !w.stop)
            .map(|w| (w.text, w.position, w.start, w.end))
            .collect(),
    }
}

/// Word → stems of its compound parts, for every compound word of the corpus.
fn compound_parts(analysed: &[Analysed]) -> HashMap<String, Vec<String>, FxBuild> {
    let vocabulary: HashSet<&str, FxBuild> = analysed
        .iter()
        .flat_map(|a| a.tokens.iter().map(|t| t.text.as_str()))
        .collect();
    let unique: HashSet<&str, FxBuild> = analysed
        .iter()
        .flat_map(|a| a.words.iter().map(|w| w.0.as_str()))
        .collect();
    let mut unique: Vec<&str> = unique.into_iter().collect();
    unique.sort_unstable();
    unique
        .par_iter()
        .filter_map(|word| {
            let known = |w: &str| w.chars().count() >= 3 && vocabulary.contains(stem(w).as_str());
            // Index both splits, so a search for any part, or for a known sub-compound, finds it.
            let mut parts = decompound(word, &known, Split::Fine)?;
            parts.extend(decompound(word, &known, Split::Coarse).unwrap_or_default());
            let mut stems: Vec<String> = parts.iter().map(|p| stem(p)).collect();
            stems.sort();
            stems.dedup();
            Some((word.to_string(), stems))
        })
        .collect()
}

/// The tokens of the parts of a document's compound words, at the words' positions.
fn part_tokens(analysed: &Analysed, parts: &HashMap<String, Vec<String>, FxBuild>) -> Vec<Token> {
    analysed
        .words
        .iter()
        .flat_map(|(word, position, start, end)| {
            parts
                .get(word)
                .into_iter()
                .flatten()
                .map(move |stem| Token {
                    text: stem.clone(),
                    start: *start,
                    end: *end,
                    position: *position,
                })
        })
        .collect()
}

/// The tantivy document of `doc`, number `n` in its segment.
fn document(
    n: usize,
    number: u64,
    doc: &SearchDoc,
    input: &IndexInput,
    f: &Fields,
) -> TantivyDocument {
    let audit = &input.audits[doc.audit as usize];
    let mut d = TantivyDocument::new();
    let ordinal = n.to_string();
    d.add_text(f.text, &ordinal);
    d.add_text(f.parts, &ordinal);
    d.add_u64(f.number, number);
    d.add_text(f.kind, doc.kind.key());
    d.add_u64(f.audit, u64::from(doc.audit));
    d.add_text(f.item, &doc.item);
    d.add_text(f.municipality, &audit.municipality_slug);
    if let Some(county) = &audit.county {
        d.add_text(f.county, county);
    }
    d.add_text(f.auditor, &audit.auditor_key);
    for theme in &doc.themes {
        d.add_text(f.theme, theme);
    }
    d.add_text(f.report_type, &audit.report_type);
    if let Some(status) = &doc.status {
        d.add_text(f.status, status);
    }
    let (year, date) = parse_date(&audit.date);
    d.add_u64(f.year, year);
    d.add_u64(f.date, date);
    d
}

/// `YYYY-MM-DD` → (year, YYYYMMDD).
fn parse_date(date: &str) -> (u64, u64) {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    let full = digits.parse().unwrap_or(0);
    (full / 10_000, full)
}

/// The index's files, with the segment id made fixed.
fn collect_files(
    index: &Index,
    dir: &tantivy::directory::RamDirectory,
    ordinal: usize,
) -> tantivy::Result<BTreeMap<String, Vec<u8>>> {
    let metas = index.searchable_segment_metas()?;
    let ids: Vec<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    // File names use the plain form of the id, meta.json the hyphenated one.
    let rename = |name: &str| -> String {
        ids.iter().fold(name.to_string(), |n, id| {
            n.replace(id, &fixed_id(ordinal))
                .replace(&hyphenated(id), &hyphenated(&fixed_id(ordinal)))
        })
    };
    let mut files = BTreeMap::new();
    let mut names: Vec<String> = index
        .directory()
        .list_managed_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    names.push("meta.json".to_string());
    names.sort();
    names.dedup();
    for name in names {
        let bytes = dir.atomic_read(Path::new(&name))?;
        let bytes = if name == "meta.json" {
            rename(&String::from_utf8_lossy(&bytes)).into_bytes()
        } else {
            bytes
        };
        files.insert(rename(&name), bytes);
    }
    Ok(files)
}

fn hyphenated(id: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &id[..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..]
    )
}

fn fixed_id(i: usize) -> String {
    if i == 0 {
        SEGMENT_ID.to_string()
    } else {
        format!("{:032x}", i + 1)
    }
}
