//! Building the index (native only): documents in, bundle bytes out.
//!
//! Analysis (the costly part) runs in parallel; the documents then go through tantivy's
//! single-segment writer in their given order, so the same input always gives the same
//! bytes — tantivy's random segment id is replaced by a fixed one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::schema::TantivyDocument;
use tantivy::tokenizer::PreTokenizedString;
use tantivy::{Directory, Index};

use crate::analyzer::{self, Split, Stemmer, Token, decompound, words};
use crate::bundle::{self, AuditEntry, Header, Labels};
use crate::schema::Fields;
use crate::tokenizer::to_tantivy;

/// What kind of passage a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Observation,
    Recommendation,
    Summary,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Observation => "observation",
            Kind::Recommendation => "recommendation",
            Kind::Summary => "summary",
        }
    }
}

/// One searchable passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc {
    /// Index into the audits table.
    pub audit: u32,
    pub kind: Kind,
    /// The item id (`rf3-r1`); empty for a summary.
    pub item: String,
    /// The audit question id; empty when none.
    pub question: String,
    pub text: String,
    /// Theme keys.
    pub themes: Vec<String>,
    /// A recommendation's follow-up status, when one is given.
    pub status: Option<String>,
}

/// Everything an index is built from.
#[derive(Clone, Debug, Default)]
pub struct IndexInput {
    pub audits: Vec<AuditEntry>,
    pub labels: Labels,
    pub docs: Vec<SearchDoc>,
}

/// The segment id every bundle uses, so builds are reproducible.
const SEGMENT_ID: &str = "00000000000000000000000000000001";

/// Per-document analysis: the text tokens and, per word, its normalised form and position.
struct Analysed {
    tokens: Vec<Token>,
    words: Vec<(String, u32, usize, usize)>,
}

/// Builds the bundle for `input`.
pub fn build_bundle(input: &IndexInput) -> tantivy::Result<Vec<u8>> {
    let analysed: Vec<Analysed> = input.docs.par_iter().map(|d| analyse(&d.text)).collect();
    let parts = compound_parts(&analysed);
    let (schema, fields) = Fields::schema();
    let dir = tantivy::directory::RamDirectory::create();
    let mut writer = Index::builder()
        .schema(schema)
        .tokenizers(crate::tokenizer::manager())
        .single_segment_index_writer(dir.clone(), 64 * 1024 * 1024)?;
    for (doc, analysed) in input.docs.iter().zip(&analysed) {
        writer.add_document(document(doc, analysed, &parts, input, &fields))?;
    }
    let index = writer.finalize()?;
    let files = collect_files(&index, &dir)?;
    let header = Header {
        files: BTreeMap::new(),
        audits: input.audits.clone(),
        labels: input.labels.clone(),
        docs: input.docs.len() as u64,
    };
    Ok(bundle::pack(&files, header))
}

fn analyse(text: &str) -> Analysed {
    let stemmer = Stemmer::default();
    Analysed {
        tokens: analyzer::text_tokens(text, &stemmer),
        words: words(text)
            .into_iter()
            .filter(|w| !w.stop)
            .map(|w| (w.text, w.position, w.start, w.end))
            .collect(),
    }
}

/// Word → stems of its compound parts, for every compound word of the corpus.
fn compound_parts(analysed: &[Analysed]) -> HashMap<String, Vec<String>> {
    let vocabulary: HashSet<&str> = analysed
        .iter()
        .flat_map(|a| a.tokens.iter().map(|t| t.text.as_str()))
        .collect();
    let unique: HashSet<&str> = analysed
        .iter()
        .flat_map(|a| a.words.iter().map(|w| w.0.as_str()))
        .collect();
    let mut unique: Vec<&str> = unique.into_iter().collect();
    unique.sort_unstable();
    unique
        .par_iter()
        .filter_map(|word| {
            let stemmer = Stemmer::default();
            let known =
                |w: &str| w.chars().count() >= 3 && vocabulary.contains(stemmer.stem(w).as_ref());
            // Index both splits, so a search for any part, or for a known sub-compound, finds it.
            let mut parts = decompound(word, &known, Split::Fine)?;
            parts.extend(decompound(word, &known, Split::Coarse).unwrap_or_default());
            let mut stems: Vec<String> =
                parts.iter().map(|p| stemmer.stem(p).into_owned()).collect();
            stems.sort();
            stems.dedup();
            Some((word.to_string(), stems))
        })
        .collect()
}

fn document(
    doc: &SearchDoc,
    analysed: &Analysed,
    parts: &HashMap<String, Vec<String>>,
    input: &IndexInput,
    f: &Fields,
) -> TantivyDocument {
    let audit = &input.audits[doc.audit as usize];
    let mut d = TantivyDocument::new();
    d.add_pre_tokenized_text(
        f.text,
        PreTokenizedString {
            text: String::new(),
            tokens: to_tantivy(analysed.tokens.clone()),
        },
    );
    let part_tokens: Vec<Token> = analysed
        .words
        .iter()
        .flat_map(|(word, position, start, end)| {
            parts
                .get(word)
                .into_iter()
                .flatten()
                .map(move |stem| Token {
                    text: stem.clone(),
                    start: *start,
                    end: *end,
                    position: *position,
                })
        })
        .collect();
    d.add_pre_tokenized_text(
        f.parts,
        PreTokenizedString {
            text: String::new(),
            tokens: to_tantivy(part_tokens),
        },
    );
    d.add_text(f.body, &doc.text);
    d.add_text(f.kind, doc.kind.key());
    d.add_u64(f.audit, u64::from(doc.audit));
    d.add_text(f.item, &doc.item);
    d.add_text(f.question, &doc.question);
    d.add_text(f.municipality, &audit.municipality_slug);
    if let Some(county) = &audit.county {
        d.add_text(f.county, county);
    }
    d.add_text(f.auditor, &audit.auditor_key);
    for theme in &doc.themes {
        d.add_text(f.theme, theme);
    }
    d.add_text(f.report_type, &audit.report_type);
    if let Some(status) = &doc.status {
        d.add_text(f.status, status);
    }
    let (year, date) = parse_date(&audit.date);
    d.add_u64(f.year, year);
    d.add_u64(f.date, date);
    d
}

/// `YYYY-MM-DD` → (year, YYYYMMDD).
fn parse_date(date: &str) -> (u64, u64) {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    let full = digits.parse().unwrap_or(0);
    (full / 10_000, full)
}

/// The index's files, with the segment id made fixed.
fn collect_files(
    index: &Index,
    dir: &tantivy::directory::RamDirectory,
) -> tantivy::Result<BTreeMap<String, Vec<u8>>> {
    let metas = index.searchable_segment_metas()?;
    let ids: Vec<String> = metas.iter().map(|m| m.id().uuid_string()).collect();
    // File names use the plain form of the id, meta.json the hyphenated one.
    let rename = |name: &str| -> String {
        ids.iter().enumerate().fold(name.to_string(), |n, (i, id)| {
            n.replace(id, &fixed_id(i))
                .replace(&hyphenated(id), &hyphenated(&fixed_id(i)))
        })
    };
    let mut files = BTreeMap::new();
    let mut names: Vec<String> = index
        .directory()
        .list_managed_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    names.push("meta.json".to_string());
    names.sort();
    names.dedup();
    for name in names {
        let bytes = dir.atomic_read(Path::new(&name))?;
        let bytes = if name == "meta.json" {
            rename(&String::from_utf8_lossy(&bytes)).into_bytes()
        } else {
            bytes
        };
        files.insert(rename(&name), bytes);
    }
    Ok(files)
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

fn fixed_id(i: usize) -> String {
    if i == 0 {
        SEGMENT_ID.to_string()
    } else {
        format!("{:032x}", i + 1)
    }
}
