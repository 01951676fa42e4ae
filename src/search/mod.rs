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
    indexer
        .build(&SiteCorpus(site), changed)
        .map_err(index_error)
}

fn index_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(DIR, format!("cannot build the search index: {e}"))
}

/// `name.<hash>.ext`.
fn hashed(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}.{:016x}.{ext}", content_hash(bytes))
}

/// The search files for a site whose index is `built`. The text chunks and index blocks go
/// beside the index bundle: the browser fetches them relative to it.
pub fn files(site: &Site, built: Built) -> SearchFiles {
    let Built {
        bundle,
        files: beside,
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
        beside
            .into_iter()
            .map(|(name, bytes)| (format!("{DIR}/{name}"), bytes)),
    );
    SearchFiles { files, manifest }
}
