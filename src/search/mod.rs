//! The site's search: the index of every passage of every report (items, summaries and the
//! rest of the text, see [`passages`]), and the files the browser needs to search it (engine, index, worker), with content-hashed names
//! so that hosts can cache them forever.

mod passages;

use std::collections::BTreeMap;
use std::sync::Arc;

use insyn_search::bundle::{AuditEntry, Labels};
use insyn_search::writer::{self, Built, Corpus, IndexInput, Indexer};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::{Audit, ItemKind, Origin, RecommendationStatus, ReportType};
use crate::site::Site;
use insyn_search::bundle::content_hash;

/// The WebAssembly engine, built from crates/insyn-search-wasm by build.rs.
pub const ENGINE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/insyn_search.wasm"));
/// The worker script that runs the engine off the main thread (also importable as a module),
/// as written; it is served without its comments ([`worker_script`]).
pub const WORKER: &str = include_str!("worker.js");

/// The folder under the output where the search files go.
pub const DIR: &str = "search";
/// The manifest naming the current files (not hashed: it is what changes).
pub const MANIFEST: &str = "manifest.json";

/// URLs of the search files, for the search page and `manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub engine: String,
    pub index: String,
    pub worker: String,
    /// Passages in the index.
    pub docs: usize,
    /// Bytes of the index bundle.
    pub index_bytes: usize,
}

/// The search files of a site: `(path under the output, bytes)` and their manifest.
pub struct SearchFiles {
    /// Shared bytes: the packs of an unchanged segment stay where they are.
    pub files: Vec<(String, Arc<Vec<u8>>)>,
    pub manifest: Manifest,
}

/// The site as the indexer reads it: every passage, audit by audit.
pub struct SiteCorpus<'a>(pub &'a Site);

impl Corpus for SiteCorpus<'_> {
    fn audits(&self) -> usize {
        self.0.audits.len()
    }

    fn id(&self, i: usize) -> &str {
        self.0.audits[i].id()
    }

    fn passages(&self, i: usize) -> usize {
        passages::count(&self.0.audits[i])
    }

    fn input(&self, range: std::ops::Range<usize>) -> IndexInput<'_> {
        let site = self.0;
        let mut input = IndexInput::default();
        for (a, audit) in site.audits[range].iter().enumerate() {
            input.audits.push(entry(site, audit));
            passages::push(audit, a as u32, site, &mut input.docs);
        }
        input
    }

    /// Facet value → label, for every facet.
    fn labels(&self) -> Labels {
        let site = self.0;
        let lang = site.config.language;
        let mut labels: Labels = BTreeMap::new();
        let mut label = |facet: &str, value: &str, text: &str| {
            labels
                .entry(facet.to_string())
                .or_default()
                .insert(value.to_string(), text.to_string());
        };
        for (key, def) in &site.config.themes {
            label("theme", key, def.label(lang));
        }
        for rt in ReportType::ALL {
            label("report_type", rt.key(), site.text(rt.label_key()));
        }
        for status in RecommendationStatus::ALL {
            label("status", status.key(), site.text(status.label_key()));
        }
        for kind in [ItemKind::Observation, ItemKind::Recommendation] {
            label("kind", kind.key(), site.text(kind.label_key()));
        }
        for origin in [Origin::Report, Origin::Editorial] {
            label("origin", origin.key(), site.text(origin.label_key()));
        }
        label("kind", "summary", site.text("summary"));
        label("kind", "text", site.text("text_passage"));
        for t in &site.taxonomies.municipalities {
            label("municipality", &t.slug, &t.name);
        }
        for audit in site.audits.iter() {
            let m = &audit.meta;
            label("auditor", &m.auditor, site.config.auditor_name(&m.auditor));
            if let Some(county) = &m.county {
                label("county", county, county);
            }
        }
        labels
    }
}

/// An audit as search results show it.
fn entry(site: &Site, audit: &Audit) -> AuditEntry {
    let m = &audit.meta;
    AuditEntry {
        id: m.id.clone(),
        title: m.title.clone(),
        municipality: m.municipality.clone(),
        municipality_slug: m.municipality_slug.clone(),
        county: m.county.clone(),
        auditor: site.config.auditor_name(&m.auditor).to_string(),
        auditor_key: m.auditor.clone(),
        date: m.date.to_string(),
        report_type: m.report_type.key().to_string(),
        url: site.urls.audit(&m.id),
        questions: m
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.text.clone()))
            .collect(),
        // Numbered by the index's writer, segment by segment.
        theme_sets: Vec::new(),
    }
}

/// Builds the index of `site`: the bundle and the files beside it.
pub fn bundle(site: &Site) -> Result<Built, Diagnostic> {
    writer::build(&SiteCorpus(site)).map_err(index_error)
}

/// Builds the index of `site` with `indexer`, which reuses the segments it built before of
/// audits that are not in `changed` (audit ids; `None`: build everything).
pub fn bundle_with(
    site: &Site,
    indexer: &mut Indexer,
    changed: Option<&std::collections::HashSet<String>>,
) -> Result<Built, Diagnostic> {
    bundle_spilling(site, indexer, changed, None)
}

/// Like [`bundle_with`], but a full build's packs go to `spill` (file names inside
/// [`DIR`]) as each segment is built, instead of into the [`Built`] (see
/// [`Indexer::build_spilling`]).
pub fn bundle_spilling(
    site: &Site,
    indexer: &mut Indexer,
    changed: Option<&std::collections::HashSet<String>>,
    spill: Option<&insyn_search::writer::Spill<'_>>,
) -> Result<Built, Diagnostic> {
    indexer
        .build_spilling(&SiteCorpus(site), changed, spill)
        .map_err(index_error)
}

fn index_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(DIR, format!("cannot build the search index: {e}"))
}

/// The worker script as served: [`WORKER`] without its comment lines, a third of its bytes,
/// which every first search downloads (1.0 KB of 2.7 KB brotli). Only whole lines go: a line
/// whose text starts with `//`, and a block from a line starting with `/*` to the line ending
/// with `*/`; a comment after code stays, and the code is left as written.
pub fn worker_script() -> &'static str {
    static SCRIPT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| strip_comments(WORKER));
    &SCRIPT
}

/// `js` without its comment lines (see [`worker_script`]).
fn strip_comments(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    for line in js.lines() {
        let text = line.trim();
        if in_block || text.starts_with("/*") {
            in_block = !text.ends_with("*/");
        } else if !text.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `name.<hash>.ext`.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}.{:016x}.{ext}", content_hash(bytes))
}

/// The path in the site of `name`, a file of the search index.
pub fn file_in_dir(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The search files for a site whose index is `built`. The packs (index blocks and text
/// chunks) go beside the index bundle: the browser fetches their ranges relative to it.
pub fn files(site: &Site, built: Built) -> SearchFiles {
    let Built {
        bundle,
        packs: beside,
        docs,
    } = built;
    let base = format!("{}{DIR}/", site.urls.base());
    let engine = hashed("engine", "wasm", ENGINE);
    let index = hashed("index", "bin", &bundle);
    let worker = hashed("worker", "js", worker_script().as_bytes());
    let manifest = Manifest {
        version: 1,
        engine: format!("{base}{engine}"),
        index: format!("{base}{index}"),
        worker: format!("{base}{worker}"),
        docs,
        index_bytes: bundle.len(),
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    let mut files = vec![
        (format!("{DIR}/{engine}"), Arc::new(ENGINE.to_vec())),
        (format!("{DIR}/{index}"), Arc::new(bundle)),
        (
            format!("{DIR}/{worker}"),
            Arc::new(worker_script().as_bytes().to_vec()),
        ),
        (format!("{DIR}/{MANIFEST}"), Arc::new(json)),
    ];
    files.extend(
        beside
            .into_iter()
            .map(|(name, bytes)| (file_in_dir(&name), bytes)),
    );
    SearchFiles { files, manifest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_is_served_without_its_comment_lines() {
        let js = "// a comment\n/**\n * A doc comment.\n */\nconst a = 1; // kept\n  /* one line */\nconst url = \"http://x\";\n";
        assert_eq!(
            strip_comments(js),
            "const a = 1; // kept\nconst url = \"http://x\";\n"
        );
        let served = worker_script();
        assert!(
            served.len() < WORKER.len() * 4 / 5,
            "{} of {}",
            served.len(),
            WORKER.len()
        );
        for code in [
            "export async function createEngine",
            "export function rangeLoader",
            "self.onmessage",
        ] {
            assert!(served.contains(code), "{code}");
        }
        assert!(!served.lines().any(|l| l.trim().starts_with("//")));
    }
}
