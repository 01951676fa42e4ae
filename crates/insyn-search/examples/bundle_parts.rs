//! Splits an index bundle into the parts a first search downloads, one file per part, so
//! that `scripts/bundle-parts` can say how large each is once compressed: the tantivy files
//! by kind (the fast fields by column), and the header's sections (per segment: its audits
//! tables, theme sets and packs, all segments' together).
//!
//! What grows with every passage (columns, norms) and what grows with every audit (the
//! audits tables) is what keeps a first search from staying small as a collection grows
//! (docs/scaling.md#what-the-bundle-holds).
//!
//! Usage: `cargo run --release -p insyn-search --example bundle_parts -- BUNDLE OUT_DIR`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use insyn_search::bundle::{BundleDirectory, unpack};
use tantivy::directory::OwnedBytes;
use tantivy::{Index, ReloadPolicy};

/// Part name → its bytes, all segments' together.
type Parts = BTreeMap<String, Vec<u8>>;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [bundle, out] = args.as_slice() else {
        eprintln!("usage: bundle_parts BUNDLE OUT_DIR");
        return ExitCode::from(2);
    };
    match run(bundle, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bundle_parts: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(bundle: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(bundle)?;
    let mut parts = Parts::new();
    parts.insert("bundle".into(), bytes.clone());
    file_parts(&bytes, &mut parts)?;
    column_parts(bytes, &mut parts)?;
    std::fs::create_dir_all(out)?;
    for (name, bytes) in &parts {
        std::fs::write(out.join(name), bytes)?;
    }
    Ok(())
}

/// The header's sections and the tantivy files by kind (`file.<extension>`).
fn file_parts(bytes: &[u8], parts: &mut Parts) -> Result<(), Box<dyn std::error::Error>> {
    let (header, data) = unpack(bytes)?;
    let segments = || header.segments.values();
    let sections = [
        (
            "header.audits",
            serde_json::to_vec(&segments().map(|s| &s.audits).collect::<Vec<_>>()),
        ),
        (
            "header.theme_sets",
            serde_json::to_vec(&segments().map(|s| &s.theme_sets).collect::<Vec<_>>()),
        ),
        (
            "header.packs",
            serde_json::to_vec(&segments().map(|s| &s.packs).collect::<Vec<_>>()),
        ),
        ("header.files", serde_json::to_vec(&header.files)),
        ("header.labels", serde_json::to_vec(&header.labels)),
        ("header.lazy", serde_json::to_vec(&header.lazy)),
    ];
    let header_len = u32::from_le_bytes(bytes[8..12].try_into()?) as usize;
    parts.insert("header".into(), bytes[12..12 + header_len].to_vec());
    for (name, json) in sections {
        parts.insert(name.into(), json?);
    }
    for (name, &(start, end)) in &header.files {
        let kind = name.split('@').next().and_then(|n| n.rsplit('.').next());
        let range = data.start + start as usize..data.start + end as usize;
        let part = parts
            .entry(format!("file.{}", kind.unwrap_or("other")))
            .or_default();
        part.extend_from_slice(&bytes[range]);
    }
    Ok(())
}

/// The fast fields by column (`column.<name>`), read through tantivy.
fn column_parts(bytes: Vec<u8>, parts: &mut Parts) -> Result<(), Box<dyn std::error::Error>> {
    let (dir, _, _) = BundleDirectory::open(OwnedBytes::new(bytes))?;
    let index = Index::open(dir)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let schema = index.schema();
    for segment in searcher.segment_readers() {
        for (_, entry) in schema.fields().filter(|(_, e)| e.is_fast()) {
            let handles = segment.fast_fields().dynamic_column_handles(entry.name())?;
            for handle in handles {
                let column = handle.file_slice().read_bytes()?;
                let part = parts.entry(format!("column.{}", entry.name())).or_default();
                part.extend_from_slice(column.as_slice());
            }
        }
    }
    Ok(())
}
