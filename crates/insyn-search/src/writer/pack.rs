//! Packing built segments into one bundle: a `meta.json` listing them all, the bundle's
//! header (facet labels, segment headers, the layout of lazily fetched files), and the files
//! beside it (text chunks and index blocks).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::Index;

use super::segment::Segment;
use super::{Built, CHUNK_DOCS};
use crate::blocks::LazyFile;
use crate::bundle::{self, Labels};
use crate::schema::Fields;

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
