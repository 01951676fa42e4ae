//! The site's search: the index of every observation, recommendation and summary, and the
//! files the browser needs to search it (engine, index, worker), with content-hashed names
//! so that hosts can cache them forever.

pub mod command;

use std::collections::BTreeMap;
use std::sync::Arc;

use insyn_search::bundle::{AuditEntry, Labels};
use insyn_search::writer::{self, Built, IndexInput, Indexer, Kind, SearchDoc};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::{ItemKind, RecommendationStatus, ReportType};
use crate::site::Site;
use crate::text::slugify;
use insyn_search::bundle::content_hash;

/// The WebAssembly engine, built from crates/insyn-search-wasm by build.rs.
pub const ENGINE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/insyn_search.wasm"));
/// The worker script that runs the engine off the main thread (also importable as a module).
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
    /// Shared bytes: the text chunks of an unchanged index stay where they are.
    pub files: Vec<(String, Arc<Vec<u8>>)>,
    pub manifest: Manifest,
}

/// What the index is built from: a summary per audit and every item.
pub fn index_input(site: &Site) -> IndexInput<'_> {
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
        label("report_type", rt.key(), rt.label(lang));
    }
    for status in RecommendationStatus::ALL {
        label("status", status.key(), status.label(lang));
    }
    for kind in [ItemKind::Observation, ItemKind::Recommendation] {
        label("kind", kind.key(), kind.label(lang));
    }
    label(
        "kind",
        "summary",
        if lang.code() == "sv" {
            "Sammanfattning"
        } else {
            "Summary"
        },
    );
    let mut audits = Vec::with_capacity(site.audits.len());
    let mut docs = Vec::new();
    for (a, audit) in site.audits.iter().enumerate() {
        let m = &audit.meta;
        let auditor = site
            .config
            .auditors
            .get(&m.auditor)
            .map_or(m.auditor.as_str(), |d| d.name.as_str());
        let municipality_slug = slugify(&m.municipality);
        label("municipality", &municipality_slug, &m.municipality);
        label("auditor", &m.auditor, auditor);
        if let Some(county) = &m.county {
            label("county", county, county);
        }
        audits.push(AuditEntry {
            id: m.id.clone(),
            title: m.title.clone(),
            municipality: m.municipality.clone(),
            municipality_slug,
            county: m.county.clone(),
            auditor: auditor.to_string(),
            auditor_key: m.auditor.clone(),
            date: m.date.to_string(),
            report_type: m.report_type.key().to_string(),
            url: site.urls.audit(&m.id),
            questions: m
                .questions
                .iter()
                .map(|q| (q.id.clone(), q.text.clone()))
                .collect(),
        });
        let audit_ord = a as u32;
        if !audit.body.summary.is_empty() {
            docs.push(SearchDoc {
                audit: audit_ord,
                kind: Kind::Summary,
                item: "".into(),
                question: "".into(),
                text: audit.body.summary.as_str().into(),
                themes: m.themes.as_slice().into(),
                status: None,
            });
        }
        for item in &audit.items {
            docs.push(SearchDoc {
                audit: audit_ord,
                kind: match item.kind {
                    ItemKind::Observation => Kind::Observation,
                    ItemKind::Recommendation => Kind::Recommendation,
                },
                item: item.id.as_str().into(),
                question: item.question.as_deref().unwrap_or_default().into(),
                text: item.text.as_str().into(),
                themes: item.themes.as_slice().into(),
                status: item.meta.status.map(|s| s.key().into()),
            });
        }
    }
    IndexInput {
        audits,
        labels,
        docs,
    }
}

/// Builds the index of `site`: the bundle and its text chunks.
pub fn bundle(site: &Site) -> Result<Built, Diagnostic> {
    writer::build(&index_input(site)).map_err(index_error)
}

/// Builds the index of `site` with `indexer`, which reuses the segments it built before of
/// audits that are not in `changed` (audit ids; `None`: build everything).
pub fn bundle_with(
    site: &Site,
    indexer: &mut Indexer,
    changed: Option<&std::collections::HashSet<String>>,
) -> Result<Built, Diagnostic> {
    indexer
        .build(&index_input(site), changed)
        .map_err(index_error)
}

fn index_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(DIR, format!("cannot build the search index: {e}"))
}

/// `name.<hash>.ext`.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}.{:016x}.{ext}", content_hash(bytes))
}

/// The search files for a site whose index is `built`. The text chunks go beside the index
/// bundle: the browser fetches them relative to it.
pub fn files(site: &Site, built: Built) -> SearchFiles {
    let Built {
        bundle,
        chunks,
        docs,
    } = built;
    let base = format!("{}{DIR}/", site.urls.base());
    let engine = hashed("engine", "wasm", ENGINE);
    let index = hashed("index", "bin", &bundle);
    let worker = hashed("worker", "js", WORKER.as_bytes());
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
            Arc::new(WORKER.as_bytes().to_vec()),
        ),
        (format!("{DIR}/{MANIFEST}"), Arc::new(json)),
    ];
    files.extend(
        chunks
            .into_iter()
            .map(|(name, bytes)| (format!("{DIR}/{name}"), bytes)),
    );
    SearchFiles { files, manifest }
}
