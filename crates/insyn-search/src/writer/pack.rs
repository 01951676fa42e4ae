//! Packing: a segment's pieces (index blocks and text chunks) into its pack files
//! ([`crate::packs`]), and built segments into one bundle: a `meta.json` listing them all, the
//! bundle's header (facet labels, segment headers, the layout of lazily fetched files), and
//! the packs beside it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use rayon::prelude::*;
use serde::Serialize;
use tantivy::Index;

use super::segment::Segment;
use super::{Built, CHUNK_DOCS, Files};
use crate::blocks::LazyFile;
use crate::bundle::{self, Labels, content_hash};
use crate::packs::{PACK_BYTES, Pack, seal};
use crate::schema::Fields;

/// The deflate level of the pieces. Measured at 2,000 audits (zlib): the text chunks are
/// 13.3 MB at level 3, 13.0 MB at 4, 12.8 MB at 6 and 9; the index blocks 5.3 MB at every
/// level from 3 (7.2 MB raw: deflate saves 27 % on postings and positions, so they are
/// compressed too). Level 6 is the smallest for half the time of level 9.
const LEVEL: u32 = 6;

thread_local! {
    /// An encoder per thread, reset for each piece: a new one allocates and zeroes about
    /// 300 KB, and a segment has thousands of pieces of a few KiB.
    static ENCODER: RefCell<ZlibEncoder<Vec<u8>>> =
        RefCell::new(ZlibEncoder::new(Vec::new(), Compression::new(LEVEL)));
}

/// Piece `n` of segment `segment` as its pack stores it: sealed, then compressed (zlib's
/// format). The same bytes and level always give the same output.
fn store(segment: &str, n: usize, piece: &[u8]) -> Vec<u8> {
    ENCODER.with_borrow_mut(|encoder| {
        // `reset` finishes the stream and hands back its bytes.
        encoder
            .write_all(&seal(segment, n, piece))
            .and_then(|()| encoder.reset(Vec::new()))
            .expect("compressing into memory cannot fail")
    })
}

/// The pieces of segment `segment` stored (in parallel) and laid one after another into
/// packs of at most [`PACK_BYTES`]; the packs as the segment's header lists them, and their
/// files.
pub(super) fn packs(segment: &str, pieces: &[Vec<u8>]) -> (Vec<Pack>, Files) {
    let stored: Vec<Vec<u8>> = pieces
        .par_iter()
        .enumerate()
        .map(|(n, p)| store(segment, n, p))
        .collect();
    cut(stored, PACK_BYTES)
}

/// Stored pieces laid into packs of at most `limit` bytes (a piece larger than that alone
/// gets a pack of its own), each named by its content.
fn cut(stored: Vec<Vec<u8>>, limit: usize) -> (Vec<Pack>, Files) {
    let (mut packs, mut files) = (Vec::new(), Vec::new());
    let mut bytes: Vec<u8> = Vec::new();
    let mut lengths = Vec::new();
    let mut close = |bytes: &mut Vec<u8>, lengths: &mut Vec<u64>| {
        if !lengths.is_empty() {
            let name = format!("pack.{:016x}.bin", content_hash(bytes));
            packs.push(Pack(name.clone(), std::mem::take(lengths)));
            files.push((name, Arc::new(std::mem::take(bytes))));
        }
    };
    for piece in stored {
        if !bytes.is_empty() && bytes.len() + piece.len() > limit {
            close(&mut bytes, &mut lengths);
        }
        lengths.push(piece.len() as u64);
        bytes.extend_from_slice(&piece);
    }
    close(&mut bytes, &mut lengths);
    (packs, files)
}

/// The bundle of `segments`, with one `meta.json` listing them all.
pub(super) fn pack(labels: &Labels, segments: &[Arc<Segment>]) -> tantivy::Result<Built> {
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
    // The audits' names the segments' headers leave out are the labels' (never overriding
    // the corpus's own).
    let mut labels = labels.clone();
    for (facet, values) in segments.iter().flat_map(|s| &s.names) {
        let facet = labels.entry(facet.clone()).or_default();
        for (value, label) in values {
            facet.entry(value.clone()).or_insert_with(|| label.clone());
        }
    }
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
            labels: &labels,
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
        packs: segments
            .iter()
            .flat_map(|s| s.packs.iter().cloned())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packs::{PieceRef, inflate, unseal};

    #[test]
    fn pieces_are_stored_sealed_and_compressed_and_cut_into_packs() {
        let pieces: Vec<Vec<u8>> = (0..5u8).map(|n| vec![n; 1000 * (n as usize + 1)]).collect();
        let (stored_packs, _) = packs("s", &pieces);
        let stored: Vec<Vec<u8>> = (0..5).map(|n| store("s", n, &pieces[n])).collect();
        assert_eq!(stored_packs[0].1.len(), 5, "one pack");
        assert!(stored.iter().all(|s| s.len() < 100), "runs compress");
        assert_eq!(
            store("s", 2, &pieces[2]),
            stored[2],
            "the same bytes every time"
        );
        // Any two pieces fit in a pack, no three.
        let limit = 2 * stored.iter().map(Vec::len).max().unwrap();
        let (packs, files) = cut(stored.clone(), limit);
        assert_eq!(packs.len(), 3, "two pieces a pack: {packs:?}");
        assert_eq!(packs[0].1, [stored[0].len() as u64, stored[1].len() as u64]);
        for (Pack(name, _), (file, bytes)) in packs.iter().zip(&files) {
            assert_eq!(name, file);
            assert_eq!(*name, format!("pack.{:016x}.bin", content_hash(bytes)));
        }
        // The third piece is the first of the second pack.
        let piece = PieceRef {
            pack: &packs[1].0,
            start: 0,
            len: packs[1].1[0],
        };
        let inflated = inflate(piece.slice(&files[1].1)).unwrap();
        assert_eq!(unseal("s", 2, &inflated).unwrap(), &pieces[2][..]);
        // A piece larger than the limit has a pack of its own.
        let (alone, _) = cut(stored, 1);
        assert_eq!(alone.len(), 5);
        assert_eq!(cut(Vec::new(), 10).0, []);
    }
}
