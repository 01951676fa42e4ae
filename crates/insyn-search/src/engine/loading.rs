//! Opening a bundle and loading what a search needs beside it: checking the bundle, adding
//! the pieces of its packs (index blocks and text chunks) a response lists as missing, each
//! checked against its seal, fetching them round by round ([`Engine::search_loading`]), and
//! reporting damage ([`OpenError`]) instead of panicking.

use std::collections::{BTreeSet, HashMap};

use tantivy::directory::OwnedBytes;
use tantivy::query::Query as TantivyQuery;
use tantivy::{Index, ReloadPolicy, Searcher, Term};

use super::Engine;
use super::compile::names;
#[cfg(feature = "write")]
use super::{Request, Response};
use crate::analyzer::Stemmer;
use crate::bundle::{BundleDirectory, Chunk, Shown};
use crate::facets::AuditTables;
use crate::schema::Fields;

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
        let (dir, mut header, pieces) =
            BundleDirectory::open(OwnedBytes::new(bytes)).map_err(|e| {
                match e.0.starts_with("wrong magic") {
                    true => OpenError::new(format!("{name}: {e}; rebuild the site")),
                    false => OpenError::damaged(name, e),
                }
            })?;
        let blocks = dir.blocks();
        let labels = header.labels.clone();
        for segment in header.segments.values_mut() {
            segment.complete(&labels);
        }
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
            pieces,
            #[cfg(feature = "write")]
            name: name.to_string(),
        })
    }

    /// Adds a piece of the index's packs that a response listed as missing, inflated: an
    /// index block or a text chunk; `name` is the name the response gave it. Unknown names
    /// are refused, and bytes that do not fit (the piece's seal, a block's length, a
    /// chunk's JSON) are reported as damage.
    pub fn add_piece(&mut self, name: &str, sealed: &[u8]) -> Result<(), OpenError> {
        let unknown = || OpenError::new(format!("{name} is not a piece of this index"));
        let piece = self.pieces.id(name).ok_or_else(unknown)?;
        let bytes = self
            .pieces
            .unseal(piece, sealed)
            .map_err(|e| OpenError::damaged(name, e))?;
        if self.pieces.is_chunk(piece) {
            let chunk: Chunk =
                serde_json::from_slice(bytes).map_err(|e| OpenError::damaged(name, e))?;
            self.chunks.insert(name.to_string(), chunk);
            return Ok(());
        }
        match self.blocks.add(piece, bytes) {
            Ok(true) => Ok(()),
            Ok(false) => Err(unknown()),
            Err(e) => Err(OpenError::damaged(name, e)),
        }
    }

    /// Adds a piece as its pack stores it (compressed): natively, where the engine inflates
    /// it; the browser inflates pieces itself and calls [`Engine::add_piece`].
    #[cfg(feature = "write")]
    pub fn add_stored(&mut self, name: &str, stored: &[u8]) -> Result<(), OpenError> {
        let bytes = crate::packs::inflate(stored).map_err(|e| OpenError::damaged(name, e))?;
        self.add_piece(name, &bytes)
    }

    /// The names of every piece of the index's packs.
    pub fn pieces(&self) -> Vec<String> {
        self.pieces.ids().map(|id| self.pieces.name(id)).collect()
    }

    /// Whether piece `name` is a text chunk (the other pieces are index blocks).
    pub fn is_text_chunk(&self, name: &str) -> bool {
        self.pieces
            .id(name)
            .is_some_and(|id| self.pieces.is_chunk(id))
    }

    /// Answers `request`, loading the pieces it needs with `load` (piece name → its stored
    /// bytes, e.g. from [`crate::packs::PackReader`]; `None` when it cannot be had: a missing
    /// block leaves the answer empty, a missing chunk its hits without text). Fails when a
    /// loaded piece is damaged, or the engine panics on damage that passed the checksums
    /// (see [`guarded`]).
    #[cfg(feature = "write")]
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
                    self.add_stored(name, &bytes)?;
                }
            }
            response = guarded(&name, || self.search(request))?;
        }
        Ok(response)
    }

    /// Index blocks that `query` will read and that are not loaded: those of its terms'
    /// postings (and positions, for phrases), found in the term dictionaries.
    pub(super) fn blocks_needed(
        &self,
        searcher: &Searcher,
        query: &dyn TantivyQuery,
    ) -> Vec<String> {
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

    /// What a hit shows of passage `doc` of segment `segment` (its id), or the name of the
    /// chunk that holds it when it is not loaded (`Err(None)` when the index has no such
    /// chunk).
    pub(super) fn passage(&self, segment: &str, doc: u32) -> Result<Shown, Option<String>> {
        let per = self.header.chunk_docs.max(1);
        let n = u32::try_from(u64::from(doc) / per).map_err(|_| None)?;
        let name = self.pieces.name(self.pieces.chunk(segment, n).ok_or(None)?);
        match self.chunks.get(&name) {
            Some(chunk) => Ok(chunk
                .shown((u64::from(doc) % per) as usize)
                .unwrap_or_default()),
            None => Err(Some(name)),
        }
    }
}
