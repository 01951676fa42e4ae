//! Building the index (native only): a [`Corpus`] in, bundle bytes and packs out.
//!
//! The audits are cut into segments at audit boundaries ([`Partition`]). Each segment is
//! analysed in parallel (the costly part) and written by its own tantivy single-segment
//! writer, segments side by side; its id is made from its audits' ids instead of tantivy's
//! random one, so the same input always gives the same bytes. A segment carries its audits
//! table and its packs (its index blocks and text chunks), so an [`Indexer`] can rebuild one
//! segment alone when one audit changes (`insyn serve`).
//!
//! This module holds what an index is built from ([`Corpus`], [`SearchDoc`]) and what a
//! build gives ([`Built`]); its parts, one job each:
//! - `indexer`: the [`Indexer`], planning segments and keeping them across builds (the
//!   incremental cache);
//! - `analysis`: analysing passages into tokens, and splitting compounds against the
//!   corpus's words and the lexicon;
//! - `segment`: writing one segment: its tantivy files, documents and text chunks;
//! - `pack`: packing a segment's pieces into its packs, and the segments into one bundle.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bundle::{AuditEntry, Labels};
use crate::packs::PackReader;

mod analysis;
mod indexer;
mod norms;
mod pack;
mod segment;

pub(crate) use analysis::{Known, Vocabulary};
pub use indexer::{INCREMENTAL_AUDITS, Indexer, Spill};

/// What kind of passage a document is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Observation,
    Recommendation,
    /// A passage of the summary section.
    Summary,
    /// Any other passage of the report: a paragraph, list item, table row, footnote,
    /// question text or editorial note.
    #[default]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
/// same input gives the same segments on every machine.
///
/// Every segment has its own term dictionaries, all in the bundle that a first search
/// downloads, and the segments of one collection share most of their words: fewer, larger
/// segments make a much smaller bundle. Measured at 2,000 audits (124,000 passages): five
/// segments of 32,768 passages had term dictionaries of 100 KB brotli, one segment 35 KB, and
/// the first search went from 692 to 600 KB, for the same build time and 180 MB more peak
/// memory. 2^18 keeps 2,000 audits in one segment with room to spare.
pub const SEGMENT_DOCS: usize = 1 << 18;

/// Passages a text chunk holds: about 6.5 KB of text (2.6 KB stored compressed). A first
/// search fetches a chunk for each of its ten hits, and the bundle lists every chunk's
/// length (about 2 bytes brotli each), so smaller chunks cost less per search and more in
/// the bundle. Measured at 2,000 audits, first search: 32 passages 785.4 KB, 24 781.1 KB,
/// 16 778.0 KB; on the five audits 367.0, 359.6 and 356.3 KB. At 10,000 audits the lengths
/// would cost about 52 KB at 24 (estimated; 39 KB at 32, 77 KB at 16), and ten chunks 26 KB
/// (33 KB, 18 KB): 24 stays near the best from 2,000 to 10,000 audits.
pub const CHUNK_DOCS: usize = 24;

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

/// A built index: the bundle, and the packs beside it (`(file name, bytes)`) that hold the
/// index blocks and text chunks fetched on demand ([`crate::packs`]).
pub struct Built {
    pub bundle: Vec<u8>,
    pub packs: Files,
    /// Passages indexed.
    pub docs: usize,
}

impl Built {
    /// Opens the index with every piece of its packs loaded (for the command line and tests).
    pub fn open(&self) -> Result<crate::Engine, crate::engine::OpenError> {
        let mut engine = crate::Engine::open(self.bundle.clone())?;
        let mut reader = PackReader::new(|name| {
            self.packs
                .iter()
                .find(|(pack, _)| pack == name)
                .map(|(_, bytes)| Arc::clone(bytes))
        });
        for name in engine.pieces() {
            let stored = reader.stored(&name).unwrap_or_default();
            engine.add_stored(&name, &stored)?;
        }
        Ok(engine)
    }
}

/// Builds the index of `input` in one go.
pub fn build(input: &dyn Corpus) -> tantivy::Result<Built> {
    Indexer::full().build(input, None)
}
