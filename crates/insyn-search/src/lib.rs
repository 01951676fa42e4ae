//! Insyn's search engine, shared by the site build (which writes the index), the command
//! line (`insyn search`) and the browser (this crate compiled to WebAssembly).
//!
//! - [`analyzer`]: Swedish analysis (folding, stop words, stemming, hyphens, compounds);
//! - [`schema`]: the index's fields;
//! - [`writer`] (feature `write`): building an index bundle, segment by segment, from a
//!   corpus of audits and their passages;
//! - [`lexicon`] (feature `write`): the Swedish words the indexer splits compounds against,
//!   besides the corpus's own;
//! - [`bundle`]: the one-file index format and its read-only directory;
//! - [`blocks`]: the postings and positions, cut into blocks fetched as searches need them;
//! - [`packs`]: the files those blocks and the passages' text chunks are stored in, read by
//!   byte range;
//! - [`query`]: the lenient query syntax;
//! - [`correction`]: typo correction against the index's words;
//! - [`engine`]: answering requests with hits, snippets ([`snippet`]) and facet counts
//!   ([`facets`]).

pub mod analyzer;
pub mod blocks;
pub mod bundle;
pub mod correction;
pub mod engine;
pub mod facets;
#[cfg(feature = "write")]
pub mod lexicon;
pub mod packs;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod tokenizer;
#[cfg(feature = "write")]
pub mod writer;

pub use engine::{Correction, Engine, FacetValue, Filters, Hit, Request, Response, Sort};
