//! Open data under `/data/`: one zip with audits (JSON), observations and recommendations
//! (CSV and JSON) and the catalogue; beside it the JSON Schemas and a DCAT-AP-SE catalogue.
//!
//! Every record has a stable id and a permalink. The field names are a public contract
//! documented in docs/publishing.md ("Open data"): fields may be added, never renamed or removed.

use std::io::Write;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use serde::Serialize;

use crate::config::{DataSplit, Language};
use crate::model::{Audit, Date, Item, ItemKind};
use crate::site::Site;
use crate::site::urls::data_path;

/// A published dataset: its file stem and files. Its title and description are the theme's
/// texts `dataset_<name>` and `dataset_<name>_description`.
#[derive(Clone, Copy, Debug)]
pub struct Dataset {
    pub name: &'static str,
    /// Its files in the bulk zip, by format.
    pub files: &'static [&'static str],
}

impl Dataset {
    /// Its title and description in `language`, from the theme's texts.
    pub fn texts(self, site: &Site, language: Language) -> (String, String) {
        let key = format!("dataset_{}", self.name);
        let description = format!("{key}_description");
        let text = |k: &str| site.texts.text(language, k).to_string();
        (text(&key), text(&description))
    }
}

/// The datasets, for the about page and the catalogue.
pub const DATASETS: [Dataset; 3] = [
    Dataset {
        name: "audits",
        files: &["audits.json"],
    },
    Dataset {
        name: "observations",
        files: &["observations.csv", "observations.json"],
    },
    Dataset {
        name: "recommendations",
        files: &["recommendations.csv", "recommendations.json"],
    },
];

/// The name of the bulk download when it is one file.
pub const BULK: &str = "insyn-data.zip";

/// A file of the bulk download: a zip of every dataset, for all the audits or one year's.
pub struct Volume<'a> {
    /// Its name under `/data/`.
    pub file: String,
    /// The year of its audits' dates; `None` when it holds every audit.
    pub year: Option<i32>,
    /// Its audits, newest first.
    pub audits: &'a [Arc<Audit>],
}

/// The files of the bulk download, newest first: one for every audit, or one a year
/// (`[open_data] split = "year"`, for hosts that limit a file's size).
pub fn volumes(site: &Site) -> Vec<Volume<'_>> {
    // A site without audits still publishes the (empty) datasets, in one file.
    let split = match site.audits.is_empty() {
        true => DataSplit::None,
        false => site.config.open_data.split,
    };
    match split {
        DataSplit::None => vec![Volume {
            file: BULK.to_string(),
            year: None,
            audits: &site.audits,
        }],
        // The audits are newest first, so each year's are together.
        DataSplit::Year => site
            .audits
            .chunk_by(|a, b| a.meta.date.year() == b.meta.date.year())
            .map(|audits| {
                let year = audits[0].meta.date.year();
                Volume {
                    file: format!("insyn-data-{year}.zip"),
                    year: Some(year),
                    audits,
                }
            })
            .collect(),
    }
}

/// An audit as open data.
#[derive(Serialize)]
struct AuditRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    municipality: &'a str,
    municipality_id: &'a str,
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
    response: Option<ResponseRecord<'a>>,
    follows_up: Option<&'a str>,
    observations: usize,
    recommendations: usize,
}

/// The board's response as written, with what is known of it as of the build date.
#[derive(Serialize)]
struct ResponseRecord<'a> {
    #[serde(flatten)]
    response: &'a crate::model::BoardResponse,
    /// `pending`, `received`, `not_recorded` or `not_received`.
    status: &'static str,
    /// The build date the status holds as of.
    status_as_of: String,
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
    /// `report` (the report lists the item) or `editorial` (the editors chose it).
    origin: &'a str,
    /// Why the editors made the item theirs; empty for the report's own.
    origin_note: &'a str,
    /// What is known of the board's response to the audit (`pending`, `received`,
    /// `not_recorded`, `not_received`); empty when the audit asked for none.
    response_status: &'static str,
}

/// The CSV columns, in the order of [`ItemRecord`].
const ITEM_COLUMNS: [&str; 23] = [
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
    "origin",
    "origin_note",
    "response_status",
];

fn audit_record<'a>(site: &'a Site, audit: &'a Audit, today: Date) -> AuditRecord<'a> {
    let m = &audit.meta;
    let count = |k: ItemKind| audit.items.iter().filter(|i| i.kind == k).count();
    AuditRecord {
        id: &m.id,
        url: site.urls.permalink(&m.id, None),
        title: &m.title,
        municipality: &m.municipality,
        municipality_id: &m.municipality_slug,
        county: m.county.as_deref(),
        auditor: &m.auditor,
        auditor_name: site.config.auditor_name(&m.auditor),
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
        response: m.response.as_ref().map(|response| ResponseRecord {
            response,
            status: response.status(today).key(),
            status_as_of: today.to_string(),
        }),
        follows_up: m.follows_up.as_deref(),
        observations: count(ItemKind::Observation),
        recommendations: count(ItemKind::Recommendation),
    }
}

fn item_record<'a>(
    site: &'a Site,
    audit: &'a Audit,
    item: &'a Item,
    today: Date,
) -> ItemRecord<'a> {
    let m = &audit.meta;
    let question = item.question.as_deref().unwrap_or("");
    ItemRecord {
        id: format!("{}#{}", m.id, item.id),
        audit: &m.id,
        item: &item.id,
        kind: item.kind.key(),
        url: site.urls.permalink(&m.id, Some(&item.id)),
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
        origin: item.meta.origin.key(),
        origin_note: item.meta.origin_note.as_deref().unwrap_or(""),
        response_status: m.response.as_ref().map_or("", |r| r.status(today).key()),
    }
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
/// return before one) as a formula, so such a field gets a leading `'` as OWASP recommends
/// against CSV injection; the JSON files keep the text exactly.
fn csv_field(value: &str, out: &mut Vec<u8>) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula || value.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        if formula {
            out.push(b'\'');
        }
        out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(value.as_bytes());
    }
}

fn csv_header() -> Vec<u8> {
    format!("{}\r\n", ITEM_COLUMNS.join(",")).into_bytes()
}

/// One CSV line of `r`, appended to `out`.
fn csv_row(r: &ItemRecord<'_>, out: &mut Vec<u8>) {
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
        r.origin,
        r.origin_note,
        r.response_status,
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        csv_field(f, out);
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes the open data with `emit`: the bulk download (its [`volumes`]), each a zip holding
/// every dataset in each of its formats with `catalog` (the rendered catalogue, which the
/// caller also writes beside it) and the JSON Schemas, which are also written loose.
///
/// The datasets are published zipped only: loose, they were a quarter of a national site's
/// bytes (2,000 audits: 128 MB loose against 19 MB zipped). Each zip is streamed to the
/// output in parts and each record is made once per format, so no dataset is ever whole in
/// memory, however many audits there are.
pub fn files(site: &Site, catalog: &[u8], emit: &dyn super::Emit) -> Result<(), Diagnostic> {
    let schemas = [
        ("schema/audit.schema.json", SCHEMA_AUDIT),
        ("schema/item.schema.json", SCHEMA_ITEM),
    ];
    for (name, schema) in schemas {
        emit.file(&data_path(name), schema.as_bytes())?;
    }
    // Read once, so that every zip says the same: without a configured build date it is
    // the clock's.
    let today = site.config.build_date();
    for volume in volumes(site) {
        let mut bulk = Bulk::new(emit, data_path(&volume.file));
        datasets(site, volume.audits, today, &mut bulk)?;
        bulk.start(super::dcat::CATALOG);
        bulk.write(catalog)?;
        for (name, schema) in schemas {
            bulk.start(name);
            bulk.write(schema.as_bytes())?;
        }
        bulk.finish()?;
    }
    Ok(())
}

/// Writes the datasets of `audits` into `bulk`, a file each format, as of `today`.
fn datasets(
    site: &Site,
    audits: &[Arc<Audit>],
    today: Date,
    bulk: &mut Bulk<'_>,
) -> Result<(), Diagnostic> {
    bulk.start("audits.json");
    json_array(bulk, audits.iter().map(|a| audit_record(site, a, today)))?;
    for (kind, name) in [
        (ItemKind::Observation, "observations"),
        (ItemKind::Recommendation, "recommendations"),
    ] {
        let records = || {
            audits.iter().flat_map(move |a| {
                a.items
                    .iter()
                    .filter(move |i| i.kind == kind)
                    .map(move |i| item_record(site, a, i, today))
            })
        };
        bulk.start(&format!("{name}.json"));
        json_array(bulk, records())?;
        bulk.start(&format!("{name}.csv"));
        bulk.write(&csv_header())?;
        let mut row = Vec::new();
        for record in records() {
            row.clear();
            csv_row(&record, &mut row);
            bulk.write(&row)?;
        }
    }
    Ok(())
}

/// Writes `records` into the bulk file begun last as compact JSON, one record a line
/// (readable, and a third smaller than indented JSON).
fn json_array<T: Serialize>(
    bulk: &mut Bulk<'_>,
    records: impl Iterator<Item = T>,
) -> Result<(), Diagnostic> {
    let mut line = b"[\n".to_vec();
    for (i, record) in records.enumerate() {
        if i > 0 {
            line.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut line, &record).expect("records serialise");
        bulk.write(&line)?;
        line.clear();
    }
    line.extend_from_slice(b"\n]\n");
    bulk.write(&line)
}

/// Bytes on their way to an output file, handed to [`super::Emit`] every few megabytes: the
/// bulk zip is written through it as it is made.
struct Spool<'a> {
    emit: &'a dyn super::Emit,
    path: String,
    buffer: Vec<u8>,
    started: bool,
    /// The first failure to write, kept whole for [`Bulk`] (the zip writer in between
    /// passes on only an `io::Error`).
    failed: Failure,
}

impl Spool<'_> {
    const SIZE: usize = 4 << 20;

    fn flush_part(&mut self) -> Result<(), Diagnostic> {
        if self.started {
            self.emit.append(&self.path, &self.buffer)?;
        } else {
            self.emit.file(&self.path, &self.buffer)?;
            self.started = true;
        }
        self.buffer.clear();
        Ok(())
    }
}

impl std::io::Write for Spool<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= Self::SIZE {
            if let Err(error) = self.flush_part() {
                let message = error.to_string();
                self.failed.borrow_mut().get_or_insert(error);
                return Err(std::io::Error::other(message));
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The bulk download as it is written: a zip streamed to the output, with fixed timestamps
/// so the same data gives the same bytes.
struct Bulk<'a> {
    zip: zip::ZipWriter<zip::write::StreamWriter<Spool<'a>>>,
    failed: Failure,
    path: String,
}

/// A failure to write, shared by the spool that meets it and the bulk writer that reports it.
type Failure = std::rc::Rc<std::cell::RefCell<Option<Diagnostic>>>;

impl<'a> Bulk<'a> {
    fn new(emit: &'a dyn super::Emit, path: String) -> Bulk<'a> {
        let failed = Failure::default();
        let zip = zip::ZipWriter::new_stream(Spool {
            emit,
            path: path.clone(),
            buffer: Vec::new(),
            started: false,
            failed: failed.clone(),
        });
        Bulk { zip, failed, path }
    }

    /// Begins a file; its bytes follow with [`Bulk::write`].
    fn start(&mut self, name: &str) {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            // Level 4: at 2,000 audits the zip is 18.2 MB against 16.8 MB at zlib's default
            // level 6 and 21.6 MB at level 1, and it takes half of level 6's CPU (0.75 s
            // against 1.6 s): past level 4 zlib searches for longer matches harder, which
            // costs much more CPU than it saves bytes on CSV and JSON.
            .compression_level(Some(4))
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        // Only writing can fail here, and `write` reports that.
        let _ = self.zip.start_file(format!("insyn-data/{name}"), options);
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Diagnostic> {
        let result = self.zip.write_all(bytes).map_err(|e| e.to_string());
        self.check(result)
    }

    /// The failure to write, if there was one: the emitter's own diagnostic when it failed.
    fn check(&self, result: Result<(), String>) -> Result<(), Diagnostic> {
        result.map_err(|message| {
            self.failed
                .borrow_mut()
                .take()
                .unwrap_or_else(|| Diagnostic::error(&self.path, message))
        })
    }

    fn finish(self) -> Result<(), Diagnostic> {
        let Bulk { zip, failed, path } = self;
        match zip.finish() {
            Ok(stream) => stream.into_inner().flush_part(),
            Err(error) => Err(failed
                .borrow_mut()
                .take()
                .unwrap_or_else(|| Diagnostic::error(&path, error.to_string()))),
        }
    }
}

/// JSON Schema of `audits.json` records.
pub const SCHEMA_AUDIT: &str = include_str!("schema/audit.schema.json");
/// JSON Schema of `observations.json` and `recommendations.json` records.
pub const SCHEMA_ITEM: &str = include_str!("schema/item.schema.json");

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let field = |value: &str| {
            let mut out = Vec::new();
            super::csv_field(value, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(field("enkel"), "enkel");
        assert_eq!(field("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        let field = |value: &str| {
            let mut out = Vec::new();
            super::csv_field(value, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for start in ["+", "-", "@", "\t", "\r"] {
            assert_eq!(field(&format!("{start}1")), format!("\"'{start}1\""));
        }
        assert_eq!(field("1-2"), "1-2");
    }
}
