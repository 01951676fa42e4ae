//! Building the index (native only): a [`Corpus`] in, bundle bytes and text chunks out.
//!
//! The audits are cut into segments at audit boundaries ([`Partition`]). Each segment is
//! analysed in parallel (the costly part) and written by its own tantivy single-segment
//! writer, segments side by side; its id is made from its audits' ids instead of tantivy's
//! random one, so the same input always gives the same bytes. A segment carries its audits
//! table and its text chunks, so an [`Indexer`] can rebuild one segment alone when one audit
//! changes (`insyn serve`).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::TantivyDocument;
use tantivy::tokenizer::{TextAnalyzer, Token as TantivyToken, TokenStream, Tokenizer};
use tantivy::{Directory, Index};

use crate::analyzer::{self, FxBuild, Split, Stemmer, Surface, Token, decompound_with, words};
use crate::blocks::{self, LazyFile};
use crate::bundle::{self, AuditEntry, Labels, SegmentHeader};
use crate::lexicon::{self, Lexicon};
use crate::schema::Fields;

/// What kind of passage a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Observation,
    Recommendation,
    /// A passage of the summary section.
    Summary,
    /// Any other passage of the report: a paragraph, list item, table row, footnote,
    /// question text or editorial note.
    Text,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Observation => "observation",
            Kind::Recommendation => "recommendation",
            Kind::Summary => "summary",
            Kind::Text => "text",
        }
    }

    /// Whether it is an observation or a recommendation.
    pub fn is_item(self) -> bool {
        matches!(self, Kind::Observation | Kind::Recommendation)
    }
}

/// One searchable passage (borrowing from the site where it can: a site's texts are large).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    /// Index into the audits table.
    pub audit: u32,
    pub kind: Kind,
    /// Its anchor on the audit page: an item's id (`rf3-r1`), else the id of the heading
    /// whose section holds it (empty: the top of the page).
    pub anchor: Cow<'a, str>,
    /// The heading of its section (empty for items, whose question says where they are).
    pub section: Cow<'a, str>,
    /// An editorial note: the editors' words, not the auditors'.
    pub editorial: bool,
    /// The audit question id; empty when none.
    pub question: Cow<'a, str>,
    pub text: Cow<'a, str>,
    /// Theme keys.
    pub themes: Cow<'a, [String]>,
    /// A recommendation's follow-up status, when one is given.
    pub status: Option<Cow<'a, str>>,
    /// Byte ranges of `text` that are not indexed: where it quotes an item of its audit,
    /// which is a passage of its own.
    pub masked: Vec<Range<usize>>,
}

/// Everything an index is built from. The passages are in audit order.
#[derive(Clone, Debug, Default)]
pub struct IndexInput<'a> {
    pub audits: Vec<AuditEntry>,
    pub labels: Labels,
    pub docs: Vec<SearchDoc<'a>>,
}

/// Word → stems of its compound parts.
type Parts = HashMap<String, Vec<Arc<str>>, FxBuild>;

/// Word → stem.
type StemCache = HashMap<Box<str>, Arc<str>, FxBuild>;

/// A token of the build: its stem is shared by every occurrence of the word.
type Prepared = Token<Arc<str>>;

/// A document's analysis: the tokens of its `text` and `parts` fields.
struct Analysed {
    text: Vec<Prepared>,
    parts: Vec<Prepared>,
}

/// What an index is built from, audit by audit, so that rebuilding a few segments reads only
/// their audits.
pub trait Corpus: Sync {
    /// How many audits there are.
    fn audits(&self) -> usize;
    /// Audit `i`'s id.
    fn id(&self, i: usize) -> &str;
    /// How many passages audit `i` has, at most (it only sizes the segments).
    fn passages(&self, i: usize) -> usize;
    /// The audits of `range` and their passages, whose `audit` counts from `range.start`.
    fn input(&self, range: Range<usize>) -> IndexInput<'_>;
    /// Facet labels.
    fn labels(&self) -> Labels;
}

impl Corpus for IndexInput<'_> {
    fn audits(&self) -> usize {
        self.audits.len()
    }

    fn id(&self, i: usize) -> &str {
        &self.audits[i].id
    }

    fn passages(&self, i: usize) -> usize {
        self.docs.iter().filter(|d| d.audit as usize == i).count()
    }

    fn input(&self, range: Range<usize>) -> IndexInput<'_> {
        let first = range.start as u32;
        IndexInput {
            audits: self.audits[range.clone()].to_vec(),
            labels: Labels::new(),
            docs: self
                .docs
                .iter()
                .filter(|d| range.contains(&(d.audit as usize)))
                .map(|d| SearchDoc {
                    audit: d.audit - first,
                    ..d.clone()
                })
                .collect(),
        }
    }

    fn labels(&self) -> Labels {
        self.labels.clone()
    }
}

/// Passages a segment holds at most in a full build. Segments are built in parallel, each
/// by its own single-segment writer; the size is fixed (not the number of cores) so that the
/// same input gives the same segments on every machine. Larger segments index faster and
/// give a smaller bundle and fewer blocks a search (measured at 2,000 audits: 16,384 → 32,768
/// passages took the build from 2.6 to 2.5 s of CPU and a first search from 1.0 to 0.95 MB);
/// 65,536 would take 10,000 audits to within 50 MB of the 1.5 GB memory target.
pub const SEGMENT_DOCS: usize = 32_768;

/// Passages a text chunk holds: about 11 KB of text (about 3 KB compressed), so the twenty
/// hits of a result page cost a browser a few small downloads.
pub const CHUNK_DOCS: usize = 32;

/// How the audits are cut into segments. A segment holds whole audits, so it carries its
/// own audits table and text chunks and can be rebuilt alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// Consecutive audits until a segment holds this many passages: few, even segments
    /// (a full build).
    Docs(usize),
    /// A cut after each audit whose id hashes to 0 modulo this number: the cuts depend on
    /// ids alone, so an edit to one audit changes one small segment (`insyn serve`).
    ById(u64),
}

/// Files beside the bundle: `(file name, bytes)`.
pub type Files = Vec<(String, Arc<Vec<u8>>)>;

/// A built index: the bundle, and the files beside it (`(file name, bytes)`): the text chunks
/// and the index blocks fetched on demand ([`crate::blocks`]).
pub struct Built {
    pub bundle: Vec<u8>,
    pub files: Files,
    /// Passages indexed.
    pub docs: usize,
}

impl Built {
    /// Opens the index with every file beside it loaded (for the command line and tests).
    pub fn open(&self) -> Result<crate::Engine, crate::engine::OpenError> {
        let mut engine = crate::Engine::open(self.bundle.clone())?;
        for (name, bytes) in &self.files {
            engine.add_file(name, bytes)?;
        }
        Ok(engine)
    }
}

/// Builds the index of `input` in one go.
pub fn build(input: &dyn Corpus) -> tantivy::Result<Built> {
    Indexer::full().build(input, None)
}

/// Builds indexes, keeping the segments it built so that the next build of a slightly
/// different input rebuilds only the segments whose audits changed.
pub struct Indexer {
    partition: Partition,
    /// Whether segments and vocabulary are kept for the next build.
    keep: bool,
    /// Segments by the ids of their audits.
    segments: HashMap<String, Arc<Segment>>,
    /// Stems and words of the corpus, for compound splitting. Kept across builds and grown
    /// by rebuilt segments: a rebuilt segment splits compounds by words that an unchanged
    /// segment may have lost since, which a full build would not (a preview may differ
    /// from the build in which compound parts match, never in which words match).
    vocabulary: Vocabulary,
    /// The parts of every word split so far (none for a word that is no compound), kept
    /// across builds like the vocabulary: an edit's segment splits only its new words.
    parts: Parts,
}

/// One planned segment: a run of audits.
struct Plan {
    audits: Range<usize>,
    /// The audits' ids, joined: the segment's identity for reuse.
    key: String,
}

/// A built segment, ready to be packed.
struct Segment {
    /// 32 hex digits, from the key.
    id: String,
    /// Tantivy's files of the segment, named with its id.
    files: Vec<(String, Vec<u8>)>,
    /// Its entry in `meta.json`.
    meta: serde_json::Value,
    /// `meta.json` without segments: schema and settings.
    template: serde_json::Value,
    /// Its [`SegmentHeader`], as JSON.
    header: Box<serde_json::value::RawValue>,
    chunks: Files,
    /// Its files read block by block, and their blocks fetched on demand.
    lazy: Vec<(String, LazyFile)>,
    blocks: Files,
    docs: usize,
}

#[derive(Default)]
pub(crate) struct Vocabulary {
    stems: HashSet<String, FxBuild>,
    words: HashSet<String, FxBuild>,
}

impl Vocabulary {
    fn extend(&mut self, other: Vocabulary) {
        self.stems.extend(other.stems);
        self.words.extend(other.words);
    }
}

/// Audits an incremental indexer's segment holds on average: small, so that rebuilding the
/// segment of an edited audit takes milliseconds.
pub const INCREMENTAL_AUDITS: u64 = 8;

impl Indexer {
    /// An indexer for one full build: few, large segments.
    pub fn full() -> Indexer {
        Indexer {
            keep: false,
            ..Indexer::new(Partition::Docs(SEGMENT_DOCS))
        }
    }

    /// An indexer for a site that changes audit by audit (`insyn serve`): small segments
    /// with cuts that do not move when an audit is edited.
    pub fn incremental() -> Indexer {
        Indexer::new(Partition::ById(INCREMENTAL_AUDITS))
    }

    pub fn new(partition: Partition) -> Indexer {
        Indexer {
            partition,
            keep: true,
            segments: HashMap::new(),
            vocabulary: Vocabulary::default(),
            parts: Parts::default(),
        }
    }

    /// Builds the index of `corpus`. With `changed` (audit ids), segments built before whose
    /// audits are the same and unchanged are reused; without it everything is built.
    pub fn build(
        &mut self,
        corpus: &dyn Corpus,
        changed: Option<&HashSet<String>>,
    ) -> tantivy::Result<Built> {
        let plans = plan(corpus, self.partition);
        let reusable = |p: &Plan| {
            changed.is_some_and(|c| {
                self.segments.contains_key(&p.key)
                    && !p.audits.clone().any(|a| c.contains(corpus.id(a)))
            })
        };
        let fresh: Vec<&Plan> = plans.iter().filter(|p| !reusable(p)).collect();
        let found: Vocabulary = fresh
            .par_iter()
            .map(|p| vocabulary(&corpus.input(p.audits.clone())))
            .reduce(Vocabulary::default, |mut a, b| {
                a.extend(b);
                a
            });
        if changed.is_none() {
            self.vocabulary = Vocabulary::default();
            self.parts = Parts::default();
        }
        let mut unique: Vec<&str> = found
            .words
            .iter()
            .map(String::as_str)
            .filter(|w| !self.parts.contains_key(*w))
            .collect();
        unique.sort_unstable();
        let split = compound_parts(
            &unique,
            &Known {
                corpus: [&found, &self.vocabulary],
                lexicon: lexicon::get(),
            },
        );
        self.parts.extend(split);
        let built: Vec<Segment> = fresh
            .par_iter()
            .map(|p| segment(p, &corpus.input(p.audits.clone()), &self.parts))
            .collect::<tantivy::Result<_>>()?;
        self.vocabulary.extend(found);
        let mut built: HashMap<&str, Segment> =
            fresh.iter().map(|p| p.key.as_str()).zip(built).collect();
        let mut segments = HashMap::with_capacity(plans.len());
        for p in &plans {
            let segment = match built.remove(p.key.as_str()) {
                Some(s) => Arc::new(s),
                None => Arc::clone(&self.segments[&p.key]),
            };
            segments.insert(p.key.clone(), segment);
        }
        let ordered: Vec<Arc<Segment>> = plans
            .iter()
            .map(|p| Arc::clone(&segments[&p.key]))
            .collect();
        if self.keep {
            self.segments = segments;
        } else {
            self.vocabulary = Vocabulary::default();
            self.parts = Parts::default();
        }
        pack(&corpus.labels(), &ordered)
    }
}

/// Cuts the audits into segments.
fn plan(corpus: &dyn Corpus, partition: Partition) -> Vec<Plan> {
    let count = corpus.audits();
    let mut plans = Vec::new();
    let (mut first, mut docs) = (0, 0);
    for a in 0..count {
        docs += corpus.passages(a);
        let cut = match partition {
            Partition::Docs(n) => docs >= n,
            Partition::ById(n) => bundle::fnv1a64(corpus.id(a).as_bytes()).is_multiple_of(n.max(1)),
        };
        if cut || a + 1 == count {
            let audits = first..a + 1;
            let key = audits
                .clone()
                .map(|x| corpus.id(x))
                .collect::<Vec<_>>()
                .join("\n");
            plans.push(Plan { audits, key });
            (first, docs) = (a + 1, 0);
        }
    }
    plans
}

/// The stems and (non-stop) words of the passages of `input`. Words are gathered first and
/// stemmed once each: a corpus repeats its words.
fn vocabulary(input: &IndexInput) -> Vocabulary {
    type Words = HashSet<String, FxBuild>;
    let (words, joined) = input
        .docs
        .par_iter()
        .fold(
            || (Words::default(), Words::default()),
            |(mut found, mut joined), d| {
                analyzer::surfaces(&d.text, |surface, kind| {
                    let set = match kind {
                        Surface::Word => &mut found,
                        Surface::Group => &mut joined,
                    };
                    if !set.contains(surface) {
                        set.insert(surface.to_string());
                    }
                });
                (found, joined)
            },
        )
        .reduce(
            || (Words::default(), Words::default()),
            |(mut words, mut joined), (w, j)| {
                words.extend(w);
                joined.extend(j);
                (words, joined)
            },
        );
    // Compared with heads by Snowball's stem (see `Stemmer::stem_once`).
    let stems = words
        .par_iter()
        .chain(joined.par_iter())
        .map_init(Stemmer::default, |s, w| s.stem_once(w).into_owned())
        .collect();
    Vocabulary { stems, words }
}

/// One segment: its passages analysed and indexed, its text chunks and audits table.
fn segment(plan: &Plan, input: &IndexInput, parts: &Parts) -> tantivy::Result<Segment> {
    let docs = &input.docs;
    // The analysis is done here, in parallel; tantivy's writer is handed its results.
    let (text, part_tokens): (Vec<_>, Vec<_>) = docs
        .par_iter()
        .map(|d| {
            let a = analyse(&d.text, &d.masked, parts);
            (Mutex::new(a.text), Mutex::new(a.parts))
        })
        .unzip();
    let (schema, fields) = Fields::schema();
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(
        crate::schema::ANALYZER,
        TextAnalyzer::from(PreparedTokens::new(text)),
    );
    manager.register(
        crate::schema::PARTS_ANALYZER,
        TextAnalyzer::from(PreparedTokens::new(part_tokens)),
    );
    let dir = tantivy::directory::RamDirectory::create();
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(manager)
        // Tantivy sizes its term table by the budget: a small segment needs a small one.
        .single_segment_index_writer(dir.clone(), (docs.len() * 8192).clamp(1 << 20, 64 << 20))?;
    let mut theme_sets: Vec<Vec<String>> = Vec::new();
    let mut set_of: HashMap<&[String], usize, FxBuild> = HashMap::default();
    for (n, doc) in docs.iter().enumerate() {
        let set = *set_of.entry(&doc.themes).or_insert_with(|| {
            theme_sets.push(doc.themes.to_vec());
            theme_sets.len() - 1
        });
        writer.add_document(document(n, doc, input, set, &fields))?;
    }
    let index = writer.finalize()?;
    let id = segment_id(&plan.key);
    let (whole, meta) = collect_files(&index, &dir, &id)?;
    let (mut files, mut lazy, mut blocks) = (Vec::new(), Vec::new(), Vec::new());
    for (name, bytes) in whole {
        match blocks::is_lazy(&name)
            .then(|| blocks::split(&name, &bytes))
            .flatten()
        {
            Some(split) => {
                files.extend(split.bundled);
                blocks.extend(split.fetched);
                lazy.push((name, split.layout));
            }
            None => files.push((name, bytes)),
        }
    }
    let (chunks, texts) = chunks(docs, input);
    let header = SegmentHeader {
        audits: input.audits.clone(),
        theme_sets,
        texts,
        chunks: chunks.len() as u32,
    };
    let header = serde_json::value::to_raw_value(&header)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("header: {e}")))?;
    let corrupt =
        |e: serde_json::Error| tantivy::TantivyError::InternalError(format!("meta.json: {e}"));
    let mut template: serde_json::Value = serde_json::from_slice(&meta).map_err(corrupt)?;
    let entry = template["segments"]
        .as_array_mut()
        .and_then(|s| s.pop())
        .unwrap_or_default();
    template["segments"] = serde_json::json!([]);
    Ok(Segment {
        id,
        files,
        meta: entry,
        template,
        header,
        chunks,
        lazy,
        blocks,
        docs: docs.len(),
    })
}

/// A segment id (32 hex digits) from its key.
fn segment_id(key: &str) -> String {
    let high = bundle::fnv1a64(key.as_bytes());
    let low = bundle::fnv1a64(&[key.as_bytes(), b"#"].concat());
    format!("{high:016x}{low:016x}")
}

/// The text chunks of `docs`, named by the hash of all their contents (see
/// [`SegmentHeader::chunk_name`]), and that hash.
fn chunks(docs: &[SearchDoc], input: &IndexInput) -> (Files, String) {
    let bytes: Vec<Vec<u8>> = docs
        .chunks(CHUNK_DOCS)
        .map(|docs| {
            // The same JSON as a [`bundle::Chunk`], written from borrowed text.
            #[derive(Serialize)]
            struct Written<'a> {
                q: Vec<&'a str>,
                p: Vec<(&'a str, u32, &'a str, &'a str, u8)>,
            }
            let mut chunk = Written {
                q: Vec::new(),
                p: Vec::with_capacity(docs.len()),
            };
            for d in docs {
                let question = input.audits[d.audit as usize]
                    .questions
                    .get(d.question.as_ref())
                    .map_or(0, |text| {
                        let at = chunk.q.iter().position(|q| q == text).unwrap_or_else(|| {
                            chunk.q.push(text);
                            chunk.q.len() - 1
                        });
                        at as u32 + 1
                    });
                chunk.p.push((
                    d.text.as_ref(),
                    question,
                    d.anchor.as_ref(),
                    d.section.as_ref(),
                    u8::from(d.editorial),
                ));
            }
            bundle::seal_chunk(&serde_json::to_vec(&chunk).expect("a chunk serialises"))
        })
        .collect();
    let hashes: Vec<u8> = bytes
        .iter()
        .flat_map(|b| bundle::content_hash(b).to_le_bytes())
        .collect();
    let header = SegmentHeader {
        texts: format!("{:016x}", bundle::content_hash(&hashes)),
        chunks: bytes.len() as u32,
        ..SegmentHeader::default()
    };
    let named = (0..)
        .zip(bytes)
        .map(|(n, b)| (header.chunk_name(n).expect("a chunk"), Arc::new(b)))
        .collect();
    (named, header.texts)
}

/// The bundle of `segments`, with one `meta.json` listing them all.
fn pack(labels: &Labels, segments: &[Arc<Segment>]) -> tantivy::Result<Built> {
    let corrupt =
        |e: serde_json::Error| tantivy::TantivyError::InternalError(format!("meta.json: {e}"));
    let mut files: BTreeMap<String, &[u8]> = BTreeMap::new();
    let mut meta = segments
        .first()
        .map_or_else(empty_meta, |s| Ok(s.template.clone()))?;
    meta["segments"] = segments.iter().map(|s| s.meta.clone()).collect();
    meta["opstamp"] = segments.iter().map(|s| s.docs as u64).sum::<u64>().into();
    let meta_bytes = serde_json::to_vec_pretty(&meta).map_err(corrupt)?;
    files.insert("meta.json".to_string(), &meta_bytes);
    for s in segments {
        for (name, bytes) in &s.files {
            files.insert(name.clone(), bytes);
        }
    }
    let docs: usize = segments.iter().map(|s| s.docs).sum();
    // A [`Header`], written with each segment's part serialised once, when it was built.
    #[derive(Serialize)]
    struct Written<'a> {
        files: bundle::FileTable,
        labels: &'a Labels,
        docs: u64,
        chunk_docs: u64,
        segments: BTreeMap<&'a str, &'a serde_json::value::RawValue>,
        lazy: BTreeMap<&'a str, &'a LazyFile>,
    }
    let header = |files| {
        let written = Written {
            files,
            labels,
            docs: docs as u64,
            chunk_docs: CHUNK_DOCS as u64,
            segments: segments
                .iter()
                .map(|s| (s.id.as_str(), &*s.header))
                .collect(),
            lazy: segments
                .iter()
                .flat_map(|s| s.lazy.iter().map(|(name, layout)| (name.as_str(), layout)))
                .collect(),
        };
        serde_json::to_vec(&written).expect("a header always serialises")
    };
    Ok(Built {
        bundle: bundle::pack(&files, header),
        files: segments
            .iter()
            .flat_map(|s| s.chunks.iter().chain(&s.blocks).cloned())
            .collect(),
        docs,
    })
}

/// `meta.json` of an index without documents.
fn empty_meta() -> tantivy::Result<serde_json::Value> {
    let (schema, _) = Fields::schema();
    let index = Index::create_in_ram(schema);
    let meta = index.load_metas()?;
    serde_json::to_value(&meta)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("meta.json: {e}")))
}

/// A tokenizer that hands tantivy tokens analysed beforehand: the field's value is the
/// document's number in its segment, and the tokens are that document's (taken, as each
/// document is tokenized once).
#[derive(Clone)]
struct PreparedTokens {
    /// Per document of the segment, its tokens.
    tokens: Arc<Vec<Mutex<Vec<Prepared>>>>,
}

impl PreparedTokens {
    fn new(tokens: Vec<Mutex<Vec<Prepared>>>) -> PreparedTokens {
        PreparedTokens {
            tokens: Arc::new(tokens),
        }
    }
}

impl Tokenizer for PreparedTokens {
    type TokenStream<'a> = PreparedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreparedStream {
        let tokens = text
            .parse::<usize>()
            .ok()
            .and_then(|n| self.tokens.get(n))
            .map(|m| std::mem::take(&mut *m.lock().unwrap_or_else(PoisonError::into_inner)))
            .unwrap_or_default();
        PreparedStream {
            tokens: tokens.into_iter(),
            token: TantivyToken::default(),
        }
    }
}

/// The tokens of one document, copied into one reused tantivy token as they are read.
struct PreparedStream {
    tokens: std::vec::IntoIter<Prepared>,
    token: TantivyToken,
}

impl TokenStream for PreparedStream {
    fn advance(&mut self) -> bool {
        let Some(next) = self.tokens.next() else {
            return false;
        };
        let token = &mut self.token;
        token.text.clear();
        token.text.push_str(&next.text);
        token.offset_from = next.start;
        token.offset_to = next.end;
        token.position = next.position as usize;
        token.position_length = 1;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

thread_local! {
    /// The stemmer of compound splitting, per thread.
    static SPLIT_STEMMER: Stemmer = Stemmer::default();
    /// Stems by word, per thread: the words of a corpus repeat, stemming is the costly part.
    static STEMS: std::cell::RefCell<(Stemmer, StemCache)> =
        std::cell::RefCell::new((Stemmer::default(), HashMap::default()));
}

fn stem(word: &str) -> Arc<str> {
    STEMS.with(|cell| {
        let (stemmer, cache) = &mut *cell.borrow_mut();
        if let Some(s) = cache.get(word) {
            return Arc::clone(s);
        }
        let s: Arc<str> = Arc::from(stemmer.stem(word).as_ref());
        cache.insert(word.into(), Arc::clone(&s));
        s
    })
}

/// The tokens of a passage: its text's, and its compound words' parts at their positions;
/// none of the words within `masked`.
fn analyse(text: &str, masked: &[Range<usize>], parts: &Parts) -> Analysed {
    let mut words = words(text);
    if !masked.is_empty() {
        // Positions stay as they were, so phrases never match across a gap.
        words.retain(|w| !masked.iter().any(|m| m.start <= w.start && w.end <= m.end));
    }
    let part_tokens = words
        .iter()
        .filter(|w| !w.stop)
        .flat_map(|w| {
            parts.get(&w.text).into_iter().flatten().map(|stem| Token {
                text: Arc::clone(stem),
                start: w.start,
                end: w.end,
                position: w.position,
            })
        })
        .collect();
    Analysed {
        text: analyzer::tokens_of(&words, &stem),
        parts: part_tokens,
    }
}

/// What the indexer knows of words, to split compounds by: the words of the corpus (this
/// build's and those kept from earlier builds) and the lexicon's.
pub(crate) struct Known<'a> {
    pub corpus: [&'a Vocabulary; 2],
    pub lexicon: &'a Lexicon,
}

impl Known<'_> {
    /// A head: a word of the lexicon that may end a compound, by stem (heads are inflected:
    /// `lönsamhetskalkylen`), or an inflected form of a noun of it (`strategin`); or a
    /// word of the corpus, by stem, unless the lexicon knows that stem only as one that never
    /// ends a compound (a verb's: `fram-kommer`). Never a stem that is a stop word (an
    /// ending: `blank-etter`).
    fn head(&self, w: &str) -> bool {
        if w.chars().count() < 3 {
            return false;
        }
        let s = SPLIT_STEMMER.with(|stemmer| stemmer.stem_once(w).into_owned());
        !analyzer::is_stop_word(&s)
            && (self.lexicon.is_head(&s)
                || self.lexicon.noun_base(w).is_some()
                || (self.corpus.iter().any(|v| v.stems.contains(&*s))
                    && !self.lexicon.is_not_head(&s)))
    }

    /// A first part, as written: a word of the corpus, or of the lexicon if it has at least
    /// four letters or is a noun (short words of the lexicon are more often pieces of other
    /// words than first parts: `bes-lutas`, but `ram-avtal`), or, two letters long, of the
    /// lexicon (`it`).
    ///
    /// A form with a linking `s` or `e` is not a first part of its own when the form without
    /// it is one, unless the lexicon has it as a noun (`kurs`, `arbete`): the corpus writes
    /// `säkerhets` alone (`säkerhets- och …`), but the part is `säkerhet`, which the
    /// stemmer does not bring together with it.
    fn modifier(&self, w: &str) -> bool {
        let linked = w.strip_suffix(['s', 'e']).is_some_and(|unlinked| {
            unlinked.chars().count() >= 3
                && !self.lexicon.ends_compounds(w)
                && self.known_modifier(unlinked)
        });
        !linked && self.known_modifier(w)
    }

    fn known_modifier(&self, w: &str) -> bool {
        match w.chars().count() {
            0 | 1 => false,
            2 => self.lexicon.contains(w),
            3 => self.corpus.iter().any(|v| v.words.contains(w)) || self.lexicon.ends_compounds(w),
            _ => self.corpus.iter().any(|v| v.words.contains(w)) || self.lexicon.contains(w),
        }
    }

    /// The parts of `word` to index, unstemmed: its compound parts, split finely and coarsely
    /// (so a search for any part, or for a known sub-compound, finds it), and the base form
    /// of each inflected noun whose stem the stemmer does not bring to its base's, the word's
    /// or a part's (`strategin`, `itstrategin` → `strategi`; `kompetensen` → `kompetens`).
    pub(crate) fn parts(&self, word: &str) -> Vec<String> {
        let head = |w: &str| self.head(w);
        let modifier = |w: &str| self.modifier(w);
        let mut parts = decompound_with(word, &head, &modifier, Split::Fine).unwrap_or_default();
        parts.extend(decompound_with(word, &head, &modifier, Split::Coarse).unwrap_or_default());
        let bases: Vec<String> = std::iter::once(word)
            .chain(parts.iter().map(String::as_str))
            .filter_map(|w| Some(w).zip(self.lexicon.noun_base(w)))
            .filter(|(w, base)| stem(w) != stem(base))
            .map(|(_, base)| base.to_string())
            .collect();
        parts.extend(bases);
        parts
    }
}

/// Word → stems of its parts ([`Known::parts`]; none for a word that is no compound), for
/// each of `words`. With
/// `INSYN_PRINT_SPLITS` set, prints each word and its parts to standard error (to review
/// what the lexicon splits: `INSYN_PRINT_SPLITS=1 insyn build -q 2>&1 | sort`).
fn compound_parts(words: &[&str], known: &Known) -> Parts {
    let print = std::env::var_os("INSYN_PRINT_SPLITS").is_some();
    words
        .par_iter()
        .map(|word| {
            let parts = known.parts(word);
            if print && !parts.is_empty() {
                eprintln!("split: {word} = {}", parts.join(" "));
            }
            let mut stems: Vec<Arc<str>> = parts.iter().map(|p| stem(p)).collect();
            stems.sort();
            stems.dedup();
            (word.to_string(), stems)
        })
        .collect()
}

/// The tantivy document of `doc`, number `n` in its segment, whose themes are the segment's
/// theme set `theme_set`.
fn document(
    n: usize,
    doc: &SearchDoc,
    input: &IndexInput,
    theme_set: usize,
    f: &Fields,
) -> TantivyDocument {
    let entry = &input.audits[doc.audit as usize];
    let mut d = TantivyDocument::new();
    let ordinal = n.to_string();
    d.add_text(f.text, &ordinal);
    d.add_text(f.parts, &ordinal);
    d.add_text(f.kind, doc.kind.key());
    d.add_u64(f.audit, u64::from(doc.audit));
    d.add_text(f.municipality, &entry.municipality_slug);
    if let Some(county) = &entry.county {
        d.add_text(f.county, county);
    }
    d.add_text(f.auditor, &entry.auditor_key);
    for theme in doc.themes.iter() {
        d.add_text(f.theme, theme);
    }
    d.add_u64(f.theme_set, theme_set as u64);
    d.add_text(f.report_type, &entry.report_type);
    if let Some(status) = &doc.status {
        d.add_text(f.status, status);
    }
    d.add_u64(f.year, bundle::date_number(&entry.date) / 10_000);
    d
}

/// The segment's files and its `meta.json`, with tantivy's random segment id replaced by
/// `id`.
#[allow(clippy::type_complexity)]
fn collect_files(
    index: &Index,
    dir: &tantivy::directory::RamDirectory,
    id: &str,
) -> tantivy::Result<(Vec<(String, Vec<u8>)>, Vec<u8>)> {
    let metas = index.searchable_segment_metas()?;
    let ids: Vec<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    // File names use the plain form of the id, meta.json the hyphenated one.
    let rename = |name: &str| -> String {
        ids.iter().fold(name.to_string(), |n, old| {
            n.replace(old, id)
                .replace(&hyphenated(old), &hyphenated(id))
        })
    };
    let mut names: Vec<String> = index
        .directory()
        .list_managed_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock") && n != "meta.json")
        .collect();
    names.sort();
    names.dedup();
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        files.push((rename(&name), dir.atomic_read(Path::new(&name))?));
    }
    let meta = rename(&String::from_utf8_lossy(
        &dir.atomic_read(Path::new("meta.json"))?,
    ));
    Ok((files, meta.into_bytes()))
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
