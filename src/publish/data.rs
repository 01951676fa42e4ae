//! Open data under `/data/`: audits (JSON), observations and recommendations (CSV and JSON),
//! their JSON Schemas, a DCAT-AP-SE catalogue, and one zip with all of it.
//!
//! Every record has a stable id and a permalink. The field names are a public contract
//! documented in README.md ("Open data"): fields may be added, never renamed or removed.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::feeds::absolute;
use crate::model::{Audit, Item, ItemKind};
use crate::site::Site;
use crate::text::slugify;

/// A published dataset: file stem, Swedish title and description.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Dataset {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The files, by format.
    pub files: &'static [&'static str],
}

/// The datasets, for the about page and the catalogue.
pub const DATASETS: [Dataset; 3] = [
    Dataset {
        name: "audits",
        title: "Granskningar",
        description: "Varje publicerad granskningsrapport: kommun, revisionsbyrå, datum, typ, teman, revisionsfrågor, bedömningar och styrelsens svar.",
        files: &["audits.json"],
    },
    Dataset {
        name: "observations",
        title: "Iakttagelser",
        description: "Varje iakttagelse i granskningarna, ordagrant, med revisionsfråga, teman och permanent länk.",
        files: &["observations.csv", "observations.json"],
    },
    Dataset {
        name: "recommendations",
        title: "Rekommendationer",
        description: "Varje rekommendation i granskningarna, ordagrant, med status, mottagare, prioritet, teman och permanent länk.",
        files: &["recommendations.csv", "recommendations.json"],
    },
];

/// The name of the bulk download.
pub const BULK: &str = "insyn-data.zip";

/// An audit as open data.
#[derive(Serialize)]
struct AuditRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    municipality: &'a str,
    municipality_id: String,
    county: Option<&'a str>,
    auditor: &'a str,
    auditor_name: &'a str,
    commissioned_by: &'a str,
    date: String,
    year: i32,
    report_type: &'a str,
    themes: &'a [String],
    audited_body: Option<&'a str>,
    authors: &'a [String],
    method: Option<&'a str>,
    scope: Option<&'a str>,
    period: Option<&'a str>,
    pages: Option<u32>,
    language: &'a str,
    source: Option<&'a crate::model::Source>,
    assessment: Option<&'a crate::model::Assessment>,
    questions: Vec<QuestionRecord<'a>>,
    response: Option<&'a crate::model::BoardResponse>,
    follows_up: Option<&'a str>,
    observations: usize,
    recommendations: usize,
}

#[derive(Serialize)]
struct QuestionRecord<'a> {
    id: &'a str,
    text: &'a str,
    themes: &'a [String],
    assessment: Option<&'a crate::model::Assessment>,
}

/// An observation or recommendation as open data.
#[derive(Serialize)]
struct ItemRecord<'a> {
    /// `<audit>#<item>`: unique on the site and stable across rebuilds.
    id: String,
    audit: &'a str,
    item: &'a str,
    kind: &'a str,
    url: String,
    municipality: &'a str,
    county: &'a str,
    auditor: &'a str,
    date: String,
    year: i32,
    report_type: &'a str,
    question: &'a str,
    question_text: &'a str,
    themes: String,
    text: &'a str,
    status: &'a str,
    status_date: String,
    evidence: &'a str,
    addressee: &'a str,
    priority: &'a str,
}

/// The CSV columns, in the order of [`ItemRecord`].
const ITEM_COLUMNS: [&str; 20] = [
    "id",
    "audit",
    "item",
    "kind",
    "url",
    "municipality",
    "county",
    "auditor",
    "date",
    "year",
    "report_type",
    "question",
    "question_text",
    "themes",
    "text",
    "status",
    "status_date",
    "evidence",
    "addressee",
    "priority",
];

fn audit_record<'a>(site: &'a Site, audit: &'a Audit) -> AuditRecord<'a> {
    let m = &audit.meta;
    let count = |k: ItemKind| audit.items.iter().filter(|i| i.kind == k).count();
    AuditRecord {
        id: &m.id,
        url: absolute(site, &site.urls.audit(&m.id)),
        title: &m.title,
        municipality: &m.municipality,
        municipality_id: slugify(&m.municipality),
        county: m.county.as_deref(),
        auditor: &m.auditor,
        auditor_name: site
            .config
            .auditors
            .get(&m.auditor)
            .map_or(&m.auditor, |a| &a.name),
        commissioned_by: &m.commissioned_by,
        date: m.date.to_string(),
        year: m.date.year(),
        report_type: m.report_type.key(),
        themes: &m.themes,
        audited_body: m.audited_body.as_deref(),
        authors: &m.authors,
        method: m.method.as_deref(),
        scope: m.scope.as_deref(),
        period: m.period.as_deref(),
        pages: m.pages,
        language: m.language.code(),
        source: m.source.as_ref(),
        assessment: m.assessment.as_ref(),
        questions: m
            .questions
            .iter()
            .map(|q| QuestionRecord {
                id: &q.id,
                text: &q.text,
                themes: &q.themes,
                assessment: q.assessment.as_ref(),
            })
            .collect(),
        response: m.response.as_ref(),
        follows_up: m.follows_up.as_deref(),
        observations: count(ItemKind::Observation),
        recommendations: count(ItemKind::Recommendation),
    }
}

fn item_record<'a>(site: &'a Site, audit: &'a Audit, item: &'a Item) -> ItemRecord<'a> {
    let m = &audit.meta;
    let question = item.question.as_deref().unwrap_or("");
    ItemRecord {
        id: format!("{}#{}", m.id, item.id),
        audit: &m.id,
        item: &item.id,
        kind: item.kind.key(),
        url: absolute(site, &site.urls.item(&m.id, &item.id)),
        municipality: &m.municipality,
        county: m.county.as_deref().unwrap_or(""),
        auditor: &m.auditor,
        date: m.date.to_string(),
        year: m.date.year(),
        report_type: m.report_type.key(),
        question,
        question_text: audit.question(question).map_or("", |q| q.text.as_str()),
        themes: item.themes.join(";"),
        text: &item.text,
        status: item.meta.status.map_or("", |s| s.key()),
        status_date: item
            .meta
            .status_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        evidence: item.meta.evidence.as_deref().unwrap_or(""),
        addressee: item.meta.addressee.as_deref().unwrap_or(""),
        priority: item.meta.priority.map_or("", |p| p.key()),
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn items_csv(records: &[ItemRecord<'_>]) -> Vec<u8> {
    let mut out = ITEM_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in records {
        let year = r.year.to_string();
        let fields = [
            r.id.as_str(),
            r.audit,
            r.item,
            r.kind,
            &r.url,
            r.municipality,
            r.county,
            r.auditor,
            &r.date,
            &year,
            r.report_type,
            r.question,
            r.question_text,
            &r.themes,
            r.text,
            r.status,
            &r.status_date,
            r.evidence,
            r.addressee,
            r.priority,
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Compact JSON, one record a line (readable, and a third smaller than indented JSON).
fn json<T: Serialize>(records: &[T]) -> Vec<u8> {
    let mut bytes = b"[\n".to_vec();
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut bytes, record).expect("records serialise");
    }
    bytes.extend_from_slice(b"\n]");
    bytes.push(b'\n');
    bytes
}

/// `(path in the output, bytes)` of every open-data file.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let audits: Vec<AuditRecord<'_>> = site.audits.iter().map(|a| audit_record(site, a)).collect();
    let items = |kind: ItemKind| -> Vec<ItemRecord<'_>> {
        site.audits
            .iter()
            .flat_map(|a| {
                a.items
                    .iter()
                    .filter(move |i| i.kind == kind)
                    .map(move |i| item_record(site, a, i))
            })
            .collect()
    };
    // The files are independent: make them side by side.
    let jobs: [&(dyn Fn() -> (&'static str, Vec<u8>) + Sync); 6] = [
        &|| ("audits.json", json(&audits)),
        &|| ("observations.json", json(&items(ItemKind::Observation))),
        &|| ("observations.csv", items_csv(&items(ItemKind::Observation))),
        &|| {
            (
                "recommendations.json",
                json(&items(ItemKind::Recommendation)),
            )
        },
        &|| {
            (
                "recommendations.csv",
                items_csv(&items(ItemKind::Recommendation)),
            )
        },
        &|| ("catalog.rdf", super::dcat::catalog(site).into_bytes()),
    ];
    let mut files: Vec<(String, Vec<u8>)> = jobs
        .par_iter()
        .map(|job| {
            let (name, bytes) = job();
            (name.to_string(), bytes)
        })
        .collect();
    files.push((
        "schema/audit.schema.json".into(),
        SCHEMA_AUDIT.as_bytes().to_vec(),
    ));
    files.push((
        "schema/item.schema.json".into(),
        SCHEMA_ITEM.as_bytes().to_vec(),
    ));
    // The bulk download: everything once (the CSV files hold what the item JSON holds).
    let bulk: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| {
            !(name.ends_with(".json") && name != "audits.json" && !name.starts_with("schema/"))
        })
        .collect();
    let zipped = zip(&bulk);
    files.push((BULK.into(), zipped));
    files
        .into_iter()
        .map(|(name, bytes)| (format!("{}/{name}", crate::site::urls::DATA), bytes))
        .collect()
}

/// A zip of `files` with fixed timestamps, so the same data gives the same bytes.
fn zip(files: &[&(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Fast compression: the text is repetitive, level 1 already shrinks it several times.
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in files.iter().map(|f| (&f.0, &f.1)) {
        writer
            .start_file(format!("insyn-data/{name}"), options)
            .expect("a zip in memory");
        writer.write_all(bytes).expect("a zip in memory");
    }
    writer.finish().expect("a zip in memory").into_inner()
}

/// JSON Schema of `audits.json` records.
pub const SCHEMA_AUDIT: &str = include_str!("schema/audit.schema.json");
/// JSON Schema of `observations.json` and `recommendations.json` records.
pub const SCHEMA_ITEM: &str = include_str!("schema/item.schema.json");

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(super::csv_field("enkel"), "enkel");
        assert_eq!(super::csv_field("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
    }
}
