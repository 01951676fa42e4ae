//! Writing one segment: its passages (analysed beforehand, see `analysis`) as tantivy
//! documents, its files renamed to an id made from its audits' ids, its lazily fetched
//! blocks cut out and packed with its text chunks, and its audits table.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::schema::TantivyDocument;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Directory, Index};

use super::analysis::{Parts, PreparedTokens, analyse};
use super::indexer::Plan;
use super::norms;
use super::pack::packs;
use super::{CHUNK_DOCS, Files, IndexInput, SearchDoc};
use crate::analyzer::FxBuild;
use crate::blocks::{self, LazyFile};
use crate::bundle::{self, AuditEntry, Labels, SegmentHeader};
use crate::schema::{Fields, name};

/// Passages analysed at a time before tantivy's writer takes them: the analysis of a whole
/// segment of 2^18 passages held about 230 MB until the writer was done (peak at 25,000
/// audits 1.92 → 1.69 GB). At most two batches are held: the one the writer takes and the
/// next, analysed meanwhile. `tests/analysis_batches.rs` builds across their boundaries.
const ANALYSIS_BATCH: usize = 16_384;

/// A built segment, ready to be packed.
pub(super) struct Segment {
    /// 32 hex digits, from the key.
    pub(super) id: String,
    /// Tantivy's files of the segment, named with its id.
    pub(super) files: Vec<(String, Vec<u8>)>,
    /// Its entry in `meta.json`.
    pub(super) meta: serde_json::Value,
    /// `meta.json` without segments: schema and settings.
    pub(super) template: serde_json::Value,
    /// Its [`SegmentHeader`], as JSON.
    pub(super) header: Box<serde_json::value::RawValue>,
    /// Its audits' municipality and firm names, which its header leaves to the labels.
    pub(super) names: Labels,
    /// Its files read block by block.
    pub(super) lazy: Vec<(String, LazyFile)>,
    /// Its packs: its blocks fetched on demand, and its text chunks.
    pub(super) packs: Files,
    pub(super) docs: usize,
}

/// One segment: its passages analysed and indexed, its text chunks and audits table.
pub(super) fn segment(plan: &Plan, input: &IndexInput, parts: &Parts) -> tantivy::Result<Segment> {
    let docs = &input.docs;
    let (text, part_tokens) = (
        PreparedTokens::empty(docs.len()),
        PreparedTokens::empty(docs.len()),
    );
    let (schema, fields) = Fields::schema();
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(crate::schema::ANALYZER, TextAnalyzer::from(text.clone()));
    manager.register(
        crate::schema::PARTS_ANALYZER,
        TextAnalyzer::from(part_tokens.clone()),
    );
    let dir = tantivy::directory::RamDirectory::create();
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(manager)
        // Tantivy sizes its term table by the budget: a small segment needs a small one.
        .single_segment_index_writer(dir.clone(), (docs.len() * 8192).clamp(1 << 20, 64 << 20))?;
    let mut audits = input.audits.clone();
    let mut theme_sets = ThemeSets::default();
    let batches: Vec<Range<usize>> = (0..docs.len())
        .step_by(ANALYSIS_BATCH)
        .map(|start| start..(start + ANALYSIS_BATCH).min(docs.len()))
        .collect();
    // The analysis is done here, in parallel; tantivy's writer is handed its results.
    let analyse_batch = |batch: &Range<usize>| {
        docs[batch.clone()]
            .par_iter()
            .zip(batch.clone())
            .for_each(|(d, n)| {
                let a = analyse(&d.text, &d.masked, parts);
                text.fill(n, a.text);
                part_tokens.fill(n, a.parts);
            });
    };
    if let Some(first) = batches.first() {
        analyse_batch(first);
    }
    for (k, batch) in batches.iter().enumerate() {
        // The writer takes one batch on this thread while the next is analysed on the
        // others: once the pages are rendered, the writer would otherwise leave a core idle.
        let (added, ()) = rayon::join(
            || {
                for (doc, n) in docs[batch.clone()].iter().zip(batch.clone()) {
                    let local = theme_sets.number(&doc.themes, &mut audits[doc.audit as usize]);
                    writer.add_document(document(n, doc, input, local, &fields))?;
                }
                Ok::<_, tantivy::TantivyError>(())
            },
            || {
                if let Some(next) = batches.get(k + 1) {
                    analyse_batch(next);
                }
            },
        );
        added?;
    }
    // The text chunks need no index: they are made while tantivy writes its files.
    let (index, chunks) = rayon::join(|| writer.finalize(), || chunks(docs, input));
    let index = index?;
    let id = segment_id(&plan.key);
    let (whole, meta) = collect_files(&index, &dir, &id)?;
    // The segment's pieces: its index blocks, then its text chunks.
    let (mut files, mut lazy, mut pieces) = (Vec::new(), Vec::new(), Vec::new());
    for (name, mut bytes) in whole {
        if name.ends_with(".fieldnorm") {
            norms::coarsen(&mut bytes);
        }
        match blocks::is_lazy(&name)
            .then(|| blocks::split(&name, &bytes))
            .flatten()
        {
            Some(mut split) => {
                files.extend(split.bundled);
                split.layout.first = pieces.len() as u64;
                pieces.extend(split.blocks);
                lazy.push((name, split.layout));
            }
            None => files.push((name, bytes)),
        }
    }
    let chunk_count = chunks.len() as u32;
    pieces.extend(chunks);
    let (packs, pack_files) = packs(&id, &pieces);
    let mut header = SegmentHeader {
        audits,
        theme_sets: theme_sets.sets,
        chunks: chunk_count,
        packs,
        ..SegmentHeader::default()
    };
    header.compact();
    let header = serde_json::value::to_raw_value(&header)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("header: {e}")))?;
    let corrupt =
        |e: serde_json::Error| tantivy::TantivyError::InternalError(format!("meta.json: {e}"));
    let mut template: serde_json::Value = serde_json::from_slice(&meta).map_err(corrupt)?;
    let entry = template["segments"]
        .as_array_mut()
        .and_then(|s| s.pop())
        .unwrap_or_default();
    template["segments"] = serde_json::json!([]);
    Ok(Segment {
        id,
        files,
        meta: entry,
        template,
        header,
        names: names(&input.audits),
        lazy,
        packs: pack_files,
        docs: docs.len(),
    })
}

/// A segment's sets of themes, numbered as they are first met.
#[derive(Default)]
struct ThemeSets<'a> {
    sets: Vec<Vec<String>>,
    number_of: HashMap<&'a [String], u32, FxBuild>,
}

impl<'a> ThemeSets<'a> {
    /// The number of set `themes` among `audit`'s sets (`AuditEntry::theme_sets`, which
    /// name the segment's sets), each added where it is new.
    fn number(&mut self, themes: &'a [String], audit: &mut AuditEntry) -> usize {
        let set = *self.number_of.entry(themes).or_insert_with(|| {
            self.sets.push(themes.to_vec());
            (self.sets.len() - 1) as u32
        });
        match audit.theme_sets.iter().position(|&s| s == set) {
            Some(local) => local,
            None => {
                audit.theme_sets.push(set);
                audit.theme_sets.len() - 1
            }
        }
    }
}

/// The labels of the municipalities and firms of `audits` (their names by slug and key).
fn names(audits: &[AuditEntry]) -> Labels {
    let mut labels = Labels::new();
    for a in audits {
        let mut add = |facet: &str, value: &str, label: &str| {
            labels
                .entry(facet.to_string())
                .or_default()
                .insert(value.to_string(), label.to_string());
        };
        add(name::MUNICIPALITY, &a.municipality_slug, &a.municipality);
        add(name::AUDITOR, &a.auditor_key, &a.auditor);
    }
    labels
}

/// A segment id (32 hex digits) from its key.
fn segment_id(key: &str) -> String {
    let high = bundle::fnv1a64(key.as_bytes());
    let low = bundle::fnv1a64(&[key.as_bytes(), b"#"].concat());
    format!("{high:016x}{low:016x}")
}

/// The text chunks of `docs`, as JSON ([`bundle::Chunk`]).
fn chunks(docs: &[SearchDoc], input: &IndexInput) -> Vec<Vec<u8>> {
    docs.chunks(CHUNK_DOCS)
        .map(|docs| {
            // The same JSON as a [`bundle::Chunk`], written from borrowed text.
            #[derive(Serialize)]
            struct Written<'a> {
                q: Vec<&'a str>,
                p: Vec<(&'a str, u32, &'a str, &'a str, u8)>,
            }
            let mut chunk = Written {
                q: Vec::new(),
                p: Vec::with_capacity(docs.len()),
            };
            for d in docs {
                let question = input.audits[d.audit as usize]
                    .questions
                    .get(d.question.as_ref())
                    .map_or(0, |text| {
                        let at = chunk.q.iter().position(|q| q == text).unwrap_or_else(|| {
                            chunk.q.push(text);
                            chunk.q.len() - 1
                        });
                        at as u32 + 1
                    });
                chunk.p.push((
                    d.text.as_ref(),
                    question,
                    d.anchor.as_ref(),
                    d.section.as_ref(),
                    u8::from(d.editorial),
                ));
            }
            serde_json::to_vec(&chunk).expect("a chunk serialises")
        })
        .collect()
}

/// The tantivy document of `doc`, number `n` in its segment, whose themes are its audit's
/// theme set `theme_set` (see [`AuditEntry::theme_sets`]).
fn document(
    n: usize,
    doc: &SearchDoc,
    input: &IndexInput,
    theme_set: usize,
    f: &Fields,
) -> TantivyDocument {
    let entry = &input.audits[doc.audit as usize];
    let mut d = TantivyDocument::new();
    let ordinal = n.to_string();
    d.add_text(f.text, &ordinal);
    d.add_text(f.parts, &ordinal);
    d.add_text(f.kind, doc.kind.key());
    d.add_u64(f.audit, u64::from(doc.audit));
    d.add_text(f.municipality, &entry.municipality_slug);
    if let Some(county) = &entry.county {
        d.add_text(f.county, county);
    }
    d.add_text(f.auditor, &entry.auditor_key);
    for theme in doc.themes.iter() {
        d.add_text(f.theme, theme);
    }
    d.add_u64(f.theme_set, theme_set as u64);
    d.add_text(f.report_type, &entry.report_type);
    if let Some(status) = &doc.status {
        d.add_text(f.status, status);
    }
    if doc.kind.is_item() {
        // An item marked editorial is the editors' choice of the report's words.
        d.add_text(f.origin, if doc.editorial { "editorial" } else { "report" });
    }
    d.add_u64(f.year, bundle::date_number(&entry.date) / 10_000);
    d
}

/// The segment's files and its `meta.json`, with tantivy's random segment id replaced by
/// `id`.
#[allow(clippy::type_complexity)]
fn collect_files(
    index: &Index,
    dir: &tantivy::directory::RamDirectory,
    id: &str,
) -> tantivy::Result<(Vec<(String, Vec<u8>)>, Vec<u8>)> {
    let metas = index.searchable_segment_metas()?;
    let ids: Vec<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    // File names use the plain form of the id, meta.json the hyphenated one.
    let rename = |name: &str| -> String {
        ids.iter().fold(name.to_string(), |n, old| {
            n.replace(old, id)
                .replace(&hyphenated(old), &hyphenated(id))
        })
    };
    let mut names: Vec<String> = index
        .directory()
        .list_managed_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock") && n != "meta.json")
        .collect();
    names.sort();
    names.dedup();
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        files.push((rename(&name), dir.atomic_read(Path::new(&name))?));
    }
    let meta = rename(&String::from_utf8_lossy(
        &dir.atomic_read(Path::new("meta.json"))?,
    ));
    Ok((files, meta.into_bytes()))
}

fn hyphenated(id: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &id[..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..]
    )
}
