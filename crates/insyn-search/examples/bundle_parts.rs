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

use insyn_search::bundle::{BundleDirectory, Header};
use tantivy::directory::OwnedBytes;
use tantivy::{Directory, Index, ReloadPolicy};

/// Part name → its bytes, all segments' together.
type Parts = BTreeMap<String, Vec<u8>>;

type Error = Box<dyn std::error::Error>;

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

fn run(bundle: &Path, out: &Path) -> Result<(), Error> {
    let (dir, header, _) = BundleDirectory::open(OwnedBytes::new(std::fs::read(bundle)?))?;
    let mut parts = header_parts(&header)?;
    file_parts(&dir, &header, &mut parts)?;
    column_parts(dir, &mut parts)?;
    std::fs::create_dir_all(out)?;
    std::fs::copy(bundle, out.join("bundle"))?;
    for (name, bytes) in &parts {
        std::fs::write(out.join(name), bytes)?;
    }
    Ok(())
}

/// The header (as the writer serialized it) and its sections (`header.<section>`).
fn header_parts(header: &Header) -> Result<Parts, Error> {
    let segments = || header.segments.values();
    let sections = [
        ("header", serde_json::to_vec(header)),
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
    let parts = sections
        .into_iter()
        .map(|(name, json)| Ok((name.to_string(), json?)));
    parts.collect()
}

/// The tantivy files by kind (`file.<extension>`), as the directory serves them.
fn file_parts(dir: &BundleDirectory, header: &Header, parts: &mut Parts) -> Result<(), Error> {
    for name in header.files.keys() {
        // A lazily read file's kept bytes are named `<file>@<start>`.
        let file = name.split('@').next().unwrap_or(name);
        let kind = file
            .rsplit_once('.')
            .map_or("other", |(_, extension)| extension);
        let bytes = dir.open_read(Path::new(name))?.read_bytes()?;
        let part = parts.entry(format!("file.{kind}")).or_default();
        part.extend_from_slice(bytes.as_slice());
    }
    Ok(())
}

/// The fast fields by column (`column.<name>`), read through tantivy.
fn column_parts(dir: BundleDirectory, parts: &mut Parts) -> Result<(), Error> {
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
