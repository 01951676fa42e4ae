//! The site's search: the index of every passage of every report (items, summaries and the
//! rest of the text, see [`passages`]), and the files the browser needs to search it (engine, index, worker), with content-hashed names
//! so that hosts can cache them forever.

mod passages;

use std::collections::BTreeMap;
use std::sync::Arc;

use insyn_search::bundle::{AuditEntry, Labels};
use insyn_search::writer::{self, Built, Corpus, IndexInput, Indexer};
use serde::{Deserialize, Serialize};

use crate::date::Date;
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
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub engine: String,
    /// The index of every audit.
    pub index: String,
    pub worker: String,
    /// Passages in the index.
    pub docs: usize,
    /// Bytes of the index bundle.
    pub index_bytes: usize,
    /// Audits in the index.
    #[serde(default)]
    pub audits: usize,
    /// The index of the newest audits, which a first search downloads instead of `index`
    /// (a site with more audits than `[search] recent_audits`; see [`Recent`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent: Option<RecentIndex>,
}

/// The index of a large site's newest audits, in the manifest.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RecentIndex {
    pub index: String,
    pub docs: usize,
    pub index_bytes: usize,
    /// Audits in it: every audit dated `from` or later, and no other.
    pub audits: usize,
    /// The date of its oldest audits (`YYYY-MM-DD`).
    pub from: String,
    /// The first year all of whose audits it holds: a search filtered to earlier years
    /// needs the index of every audit.
    pub whole_years_from: i32,
}

/// Which of a site's audits the index of its newest audits holds: the first `audits` of
/// [`Site::audits`] (newest first), every audit of a day or none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recent {
    pub audits: usize,
}

impl Recent {
    /// The newest audits of `site`, at most `[search] recent_audits` and whole days; `None`
    /// when the site has no more audits than that (its one index is small), or when the
    /// newest day alone has more.
    pub fn of(site: &Site) -> Option<Recent> {
        let limit = site.config.search.recent_audits;
        // One date past the limit says whether the limit cuts through a day.
        let dates: Vec<Date> = site
            .audits
            .iter()
            .take(limit.saturating_add(1))
            .map(|a| a.meta.date)
            .collect();
        Recent::within(&dates, limit)
    }

    /// The newest audits of audits dated `dates` (newest first): at most `limit`, whole days.
    fn within(dates: &[Date], limit: usize) -> Option<Recent> {
        if limit == 0 || dates.len() <= limit {
            return None;
        }
        // Drop the day the limit cuts through.
        let cut = dates[limit];
        let count = dates[..limit].iter().take_while(|&&d| d != cut).count();
        (count > 0).then_some(Recent { audits: count })
    }

    /// Its entry in the manifest (but the index's URL), for its index built as `built`.
    fn entry(self, site: &Site, built: &Built) -> RecentIndex {
        let oldest = site.audits[self.audits - 1].meta.date;
        let first_excluded = site.audits[self.audits].meta.date;
        RecentIndex {
            index: String::new(),
            docs: built.docs,
            index_bytes: built.bundle.len(),
            audits: self.audits,
            from: oldest.to_string(),
            whole_years_from: first_excluded.year() + 1,
        }
    }
}

/// A site's built indexes: of every audit, and of the newest ones when the site is large
/// (the first segments of the other, sharing their packs).
pub struct Indexes {
    pub all: Built,
    pub recent: Option<(Recent, Built)>,
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

/// Builds the index of every audit of `site`: the bundle and the files beside it.
pub fn bundle(site: &Site) -> Result<Built, Diagnostic> {
    writer::build(&SiteCorpus(site)).map_err(index_error)
}

/// Builds the indexes of `site` with `indexer`, which reuses the segments it built before of
/// audits that are not in `changed` (audit ids; `None`: build everything). A full build's
/// packs go to `spill` (file names inside [`DIR`]) as each segment is built, instead of into
/// the [`Built`]s (see [`Indexer::build_spilling`]).
pub fn build(
    site: &Site,
    indexer: &mut Indexer,
    changed: Option<&std::collections::HashSet<String>>,
    spill: Option<&insyn_search::writer::Spill<'_>>,
) -> Result<Indexes, Diagnostic> {
    let recent = Recent::of(site);
    let (all, first) = indexer
        .build_with_first(&SiteCorpus(site), changed, spill, recent.map(|r| r.audits))
        .map_err(index_error)?;
    Ok(Indexes {
        all,
        recent: recent.zip(first),
    })
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

/// The search files for a site whose indexes are `indexes`. The packs (index blocks and text
/// chunks) go beside the index bundles: the browser fetches their ranges relative to them.
/// The index of the newest audits lists packs of the other, and has none of its own.
pub fn files(site: &Site, indexes: Indexes) -> SearchFiles {
    let base = format!("{}{DIR}/", site.urls.base());
    let engine = hashed("engine", "wasm", ENGINE);
    let worker = hashed("worker", "js", worker_script().as_bytes());
    let mut files = vec![
        (format!("{DIR}/{engine}"), Arc::new(ENGINE.to_vec())),
        (
            format!("{DIR}/{worker}"),
            Arc::new(worker_script().as_bytes().to_vec()),
        ),
    ];
    let mut add = |built: Built| {
        let index = hashed("index", "bin", &built.bundle);
        files.extend(
            built
                .packs
                .into_iter()
                .map(|(name, bytes)| (file_in_dir(&name), bytes)),
        );
        files.push((format!("{DIR}/{index}"), Arc::new(built.bundle)));
        format!("{base}{index}")
    };
    let (docs, index_bytes) = (indexes.all.docs, indexes.all.bundle.len());
    let recent = indexes.recent.map(|(recent, built)| {
        let mut entry = recent.entry(site, &built);
        entry.index = add(built);
        entry
    });
    let manifest = Manifest {
        version: 1,
        engine: format!("{base}{engine}"),
        index: add(indexes.all),
        worker: format!("{base}{worker}"),
        docs,
        index_bytes,
        audits: site.audits.len(),
        recent,
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    files.push((format!("{DIR}/{MANIFEST}"), Arc::new(json)));
    SearchFiles { files, manifest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_audits_are_whole_days_within_the_limit() {
        let d = |day: u8| Date::new(2026, 1, day).unwrap();
        // Newest first, as a site sorts them; two audits on the 5th.
        let dates = [d(9), d(8), d(5), d(5), d(1)];
        assert_eq!(Recent::within(&dates, 2), Some(Recent { audits: 2 }));
        // A limit that cuts through the 5th leaves both of its audits out.
        assert_eq!(Recent::within(&dates, 3), Some(Recent { audits: 2 }));
        assert_eq!(Recent::within(&dates, 4), Some(Recent { audits: 4 }));
        // No more audits than the limit: one index is enough; 0 turns it off.
        assert_eq!(Recent::within(&dates, 5), None);
        assert_eq!(Recent::within(&dates, 0), None);
        // The newest day alone has more audits than the limit.
        assert_eq!(Recent::within(&[d(9), d(9), d(9), d(1)], 2), None);
    }

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
