//! `insyn import`: a report's PDF, or a plain-text extraction of it, in; a draft audit out
//! (`draft: true`), with the text beside it as its source text, so that every build checks
//! the draft against the report's own words.
//!
//! The steps, one module each: [`extract`] (PDF → pages of lines, placed by [`layout`]) and [`clean`] (the
//! post-pass: NFC, page furniture, line-end hyphens, paragraphs); [`blocks`] (headings, list
//! items, paragraphs); detection of the cover and title ([`cover`]), the municipality
//! ([`place`], [`municipalities`]), the firm ([`firm`]), dates ([`dates`]), authors and
//! commissioners ([`people`]), the audit questions ([`questions`]), the sections
//! ([`sections`]) and the response asked for ([`response`]); then the draft: front matter
//! with a review marker (`# review: …`) beside every guess ([`guess`]) and the body
//! ([`markdown`]). Nothing is written unless all of it succeeds, and nothing is overwritten.

pub mod blocks;
pub mod clean;
pub mod cover;
pub mod dates;
pub mod extract;
pub mod firm;
pub mod guess;
pub mod layout;
pub mod markdown;
pub mod municipalities;
pub mod people;
pub mod place;
pub mod questions;
pub mod response;
pub mod sections;

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::review::MARKER;
use crate::date::Date;
use crate::scaffold::new_audit;
use crate::text::municipality_slug;
use guess::Guess;

/// What to import, and where.
#[derive(Clone, Debug)]
pub struct Import {
    /// The site root (where `insyn.toml` is).
    pub root: PathBuf,
    /// The report: a PDF, or its text (`.txt`).
    pub file: PathBuf,
    /// The municipality, when the command line gives it.
    pub municipality: Option<String>,
    /// The audit firm (a key or name of `[auditors]`), when the command line gives it.
    pub auditor: Option<String>,
}

/// What an import wrote.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The draft, relative to the root.
    pub audit: PathBuf,
    /// Its source text, relative to the root.
    pub source_text: PathBuf,
    /// Review markers written.
    pub reviews: usize,
}

/// The report's text, and running headers and footers the clean-up dropped (title
/// candidates).
pub struct Text {
    pub text: String,
    pub furniture: Vec<String>,
    pub from_pdf: bool,
}

/// Reads `file` as a PDF (by its first bytes or its name) or as UTF-8 text.
pub fn read(file: &Path) -> Result<Text, String> {
    let name = file.display();
    let bytes = fs::read(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    let pdf_name = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if bytes.starts_with(b"%PDF-") || pdf_name {
        let pages = extract::pages(&bytes, file).map_err(|e| format!("{name} {e}"))?;
        let (text, furniture) = clean::pages(&pages);
        return Ok(Text {
            text,
            furniture,
            from_pdf: true,
        });
    }
    let text = crate::content::decode(&bytes, file).map_err(|_| {
        format!("{name} is neither a PDF nor UTF-8 text; give a PDF or a plain-text extraction saved as UTF-8")
    })?;
    if text.contains('\0') {
        return Err(format!(
            "{name} is neither a PDF nor text (it holds binary data)"
        ));
    }
    if text.trim().is_empty() {
        return Err(format!("{name} is empty"));
    }
    Ok(text_of(text))
}

/// A report's text as given: as it is, or cleaned up when it is in pages.
pub fn text_of(text: String) -> Text {
    // Pages split by form feeds (as `pdftotext` writes them) have running headers, footers
    // and page numbers to drop, as a PDF's do; the text's blank lines still mark paragraphs.
    if text.matches('\u{c}').count() >= 2 {
        let (text, furniture) = clean::pages(&layout::pages_of(&text));
        return Text {
            text,
            furniture,
            from_pdf: false,
        };
    }
    Text {
        text,
        furniture: Vec::new(),
        from_pdf: false,
    }
}

/// Imports the report: writes the draft and its source text, or nothing.
pub fn import(import: &Import) -> Result<Imported, String> {
    let config = Config::load(&import.root).map_err(|_| {
        format!(
            "{} has no valid insyn.toml; run `insyn check` there to see why",
            import.root.display()
        )
    })?;
    let text = read(&import.file)?;
    let draft = compose(&text, import, &config)?;
    let place = municipality_slug(&draft.municipality);
    let base = new_audit::base_id(&place, draft.date, &draft.title);
    let (id, rel) = new_audit::free_path(&import.root, &place, &base, |id| {
        import
            .root
            .join(crate::content::CONTENT_DIR)
            .join(&place)
            .join(format!("{id}.source.txt"))
            .exists()
    });
    let source_rel = rel.with_file_name(format!("{id}.source.txt"));
    let markdown = draft.render(&id);
    let dir = import
        .root
        .join(rel.parent().expect("content/<municipality>"));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write_new(&import.root.join(&source_rel), &text.text)?;
    if let Err(e) = write_new(&import.root.join(&rel), &markdown) {
        let _ = fs::remove_file(import.root.join(&source_rel));
        return Err(e);
    }
    Ok(Imported {
        audit: rel,
        source_text: source_rel,
        reviews: markdown.matches(MARKER).count(),
    })
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What the draft says, before it is written.
pub struct Draft {
    pub title: String,
    pub municipality: String,
    pub date: Date,
    /// Front-matter lines after `id:`, with their review markers.
    pub front: String,
    pub body: String,
}

impl Draft {
    /// The draft audit file.
    pub fn render(&self, id: &str) -> String {
        format!(
            "---\nid: {id}\ndraft: true\n{}source_text: {id}.source.txt\n---\n\n{}",
            self.front, self.body
        )
    }
}

fn yaml(s: &str) -> String {
    serde_json::to_string(s.trim()).expect("a string serialises")
}

/// A front-matter line, with its review marker when the value is a guess.
fn field<T: std::fmt::Display>(out: &mut String, key: &str, guess: &Guess<T>, quote: bool) {
    let value = guess.value.to_string();
    let value = if quote { yaml(&value) } else { value };
    let _ = write!(out, "{key}: {value}");
    if let Some(why) = &guess.review {
        let _ = write!(out, " {MARKER} {why}");
    }
    out.push('\n');
}

/// The draft of the report `text`: front matter and body.
pub fn compose(text: &Text, import: &Import, config: &Config) -> Result<Draft, String> {
    let mut blocks = blocks::blocks(&text.text);
    let cover_lines = cover::lines(&blocks);
    let municipality = match &import.municipality {
        Some(m) => Guess::sure(m.trim().to_string()),
        None => place::municipality(&cover_lines, &text.text).ok_or_else(|| {
            "no municipality found in the report: give it with --municipality".to_string()
        })?,
    };
    let kommun = cover_lines
        .iter()
        .find(|l| l.starts_with(municipality.value.as_str()) && l.ends_with(" kommun"))
        .cloned()
        .unwrap_or_else(|| format!("{} kommun", municipality.value));
    let title = cover::title(&blocks, &text.furniture, Some(&municipality.value));
    let auditor = match &import.auditor {
        Some(a) => Guess::sure(
            config
                .resolve_auditor(a)
                .map(str::to_string)
                .ok_or_else(|| unknown_firm(config, a))?,
        ),
        None => {
            let found = firm::firm(&cover_lines, &text.text).ok_or_else(|| {
                "no audit firm found in the report: give it with --auditor".to_string()
            })?;
            let key = firm::key(config, &found.value)
                .ok_or_else(|| unknown_firm(config, found.value.name))?;
            Guess {
                value: key,
                review: found.review,
            }
        }
    };
    let date = dates::report_date(&blocks, &cover_lines).unwrap_or_else(|| {
        Guess::review(Date::today(), "no date found in the report: today's date")
    });
    let commissioned = people::commissioned_by(&text.text, &kommun);
    let report_type = report_type(&title.value, &cover_lines);
    let (theme, themes) = new_audit::first_theme(config);
    let questions = questions::questions(&blocks);
    // The cover page and the table of contents are left out, each declared as an omission.
    let omitted: Vec<_> = [
        sections::cover_page(&blocks, &title.value),
        sections::contents(&blocks),
    ]
    .into_iter()
    .flatten()
    .collect();
    let ranges: Vec<_> = omitted.iter().map(|(range, _)| range.clone()).collect();
    let (marks, notes) = sections::mark(&mut blocks, &questions, &ranges);
    let body = markdown::body(&blocks, &marks);
    let response = response::response(&blocks);
    let authors = people::authors(&blocks);

    let mut front = String::new();
    field(&mut front, "title", &title, true);
    field(&mut front, "municipality", &municipality, true);
    if let Some(county) = place::county(&municipality.value) {
        let _ = writeln!(front, "county: {}", yaml(&county));
    }
    field(&mut front, "auditor", &auditor, false);
    field(&mut front, "commissioned_by", &commissioned, true);
    field(&mut front, "date", &date, false);
    field(&mut front, "report_type", &report_type, false);
    let _ = writeln!(
        front,
        "themes: [{theme}] {MARKER} choose the themes (keys of insyn.toml [themes]: {})",
        themes.join(", ")
    );
    if !authors.is_empty() {
        let list: Vec<String> = authors.iter().map(|a| yaml(a)).collect();
        let _ = writeln!(
            front,
            "authors: [{}] {MARKER} authors read from the signature",
            list.join(", ")
        );
    }
    if !questions.is_empty() {
        let _ = writeln!(
            front,
            "questions: {MARKER} {} audit questions read from the list at source text line {}",
            questions.len(),
            blocks[questions[0].block].line
        );
        for q in &questions {
            let _ = writeln!(front, "  - id: {}\n    text: {}", q.id, yaml(&q.text));
        }
    }
    if let Some(r) = response {
        let _ = writeln!(
            front,
            "response: {MARKER} the response asked for in the cover letter"
        );
        if let Some(recipient) = &r.recipient {
            let _ = writeln!(front, "  recipient: {}", yaml(recipient));
        }
        let _ = writeln!(front, "  due: {}", r.due);
    }
    if !omitted.is_empty() {
        front.push_str("omissions:\n");
    }
    for (_, omission) in &omitted {
        let _ = writeln!(
            front,
            "  - from: {}\n    to: {}\n    reason: {}",
            yaml(&omission.from),
            yaml(&omission.to),
            yaml(omission.reason)
        );
    }
    for note in notes {
        let _ = writeln!(front, "{MARKER} {note}");
    }
    if text.from_pdf {
        let _ = writeln!(
            front,
            "{MARKER} the text was extracted from a PDF: compare tables and lists with the original"
        );
    }
    Ok(Draft {
        title: title.value,
        municipality: municipality.value,
        date: date.value,
        front,
        body,
    })
}

/// The report type, from the title and cover (`Förstudie`, `Fördjupad granskning`,
/// `Uppföljning`), else `granskning`.
fn report_type(title: &str, cover: &[String]) -> Guess<&'static str> {
    let all = format!("{title}\n{}", cover.join("\n")).to_lowercase();
    if all.contains("förstudie") {
        Guess::review("förstudie", "report type read from the title page")
    } else if all.contains("fördjupad") {
        Guess::review(
            "fördjupad granskning",
            "report type read from the title page",
        )
    } else if all.contains("uppföljning") {
        Guess::review("uppföljning", "report type read from the title page")
    } else {
        Guess::review("granskning", "report type not stated: granskning assumed")
    }
}

/// The error for a firm the site does not know.
fn unknown_firm(config: &Config, name: &str) -> String {
    let known: Vec<&str> = config.auditors.keys().map(String::as_str).collect();
    format!(
        "the audit firm `{name}` is not in insyn.toml [auditors] (there: {}); add it as [auditors.<key>], or give --auditor",
        known.join(", ")
    )
}
