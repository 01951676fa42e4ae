//! `insyn search`: the site's index from the command line, for people and for scripts.
//!
//! `--json` prints one JSON array of hits, best first. Its fields are a stable contract
//! (documented in docs/cli.md): fields may be added, never renamed or removed.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use insyn_search::packs::PackReader;
use insyn_search::{Engine, Filters, Hit, Request, Sort};
use serde::Serialize;

use super::CmdError;
use crate::pipeline::{BuildOptions, load_site};
use crate::search::{self, DIR, MANIFEST};
use crate::text::{escape_controls, municipality_slug, slugify};

/// Search the whole text of a site's reports: observations, recommendations, summaries
/// and every other paragraph, list item, table row and question.
///
/// Passages holding all the words come first (inflected forms and compound words
/// included); when none does, those holding most of them. A word found nowhere is read
/// as the closest indexed word. "exact phrases", OR, -exclusion and prefix* work as in
/// the browser. With --json, prints one JSON array of hits, best first (fields: audit,
/// title, municipality, county, auditor, year, date, kind, report_type, status, item,
/// anchor, section, editorial, question, themes, url, text, snippet, score).
#[derive(Clone, Debug, clap::Args)]
pub struct SearchArgs {
    /// What to search for, e.g. "informationssäkerhet" or '"styrning av IT" -skola'.
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// The site folder: its content is indexed on the fly.
    #[arg(
        long,
        short,
        default_value = ".",
        value_name = "DIR",
        conflicts_with = "index"
    )]
    pub root: PathBuf,
    /// A built index instead: an output folder (public/), its search/ folder or an index file.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Only these municipalities (name or slug; repeat for several).
    #[arg(long, value_name = "M")]
    pub municipality: Vec<String>,
    /// Only these audit firms (key or name).
    #[arg(long, value_name = "A")]
    pub auditor: Vec<String>,
    /// Only these themes (key).
    #[arg(long, value_name = "T")]
    pub theme: Vec<String>,
    /// Only this year.
    #[arg(long, value_name = "Y", conflicts_with_all = ["from", "to"])]
    pub year: Option<u64>,
    /// From this year on.
    #[arg(long, value_name = "Y")]
    pub from: Option<u64>,
    /// Up to this year.
    #[arg(long, value_name = "Y")]
    pub to: Option<u64>,
    /// Only this kind of passage.
    #[arg(long, value_enum)]
    pub kind: Vec<KindArg>,
    /// Only this report type (granskning, "fördjupad granskning", förstudie, uppföljning).
    #[arg(long, value_name = "TYPE")]
    pub report_type: Vec<String>,
    /// Only recommendations with this follow-up status (öppen, "åtgärd beslutad", genomförd, "ej genomförd").
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only observations and recommendations of this origin: the report's own, or chosen by
    /// the editors from the report's text.
    #[arg(long, value_enum)]
    pub origin: Vec<OriginArg>,
    /// Newest first instead of best first.
    #[arg(long)]
    pub by_date: bool,
    /// How many hits to print (at least 1).
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub limit: usize,
    /// Print a JSON array of hits (a stable contract for scripts).
    #[arg(long)]
    pub json: bool,
}

/// The kinds of passage, for `--kind`.
/// `--origin`: whose an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OriginArg {
    /// Listed by the report itself.
    Report,
    /// Chosen by the editors from the report's text.
    Editorial,
}

impl OriginArg {
    fn key(self) -> &'static str {
        match self {
            OriginArg::Report => "report",
            OriginArg::Editorial => "editorial",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Observation,
    Recommendation,
    Summary,
    /// Any other passage of a report ("Rapporttext").
    Text,
}

impl KindArg {
    /// The kind's key in the index.
    fn key(self) -> &'static str {
        match self {
            KindArg::Observation => "observation",
            KindArg::Recommendation => "recommendation",
            KindArg::Summary => "summary",
            KindArg::Text => "text",
        }
    }
}

/// Searches and prints the hits on standard output.
pub fn run(args: &SearchArgs) -> Result<(), CmdError> {
    let color = std::io::stdout().is_terminal() && super::no_color_unset();
    let text = search(args, color).map_err(CmdError::Content)?;
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}

/// The JSON of one hit (the `--json` contract).
#[derive(Serialize)]
struct JsonHit<'a> {
    audit: &'a str,
    title: &'a str,
    municipality: &'a str,
    county: Option<&'a str>,
    auditor: &'a str,
    year: u64,
    date: &'a str,
    kind: &'a str,
    report_type: &'a str,
    status: &'a str,
    item: &'a str,
    anchor: &'a str,
    section: &'a str,
    editorial: bool,
    question: Option<&'a str>,
    themes: &'a [String],
    url: &'a str,
    text: &'a str,
    snippet: &'a str,
    score: f32,
}

impl<'a> From<&'a Hit> for JsonHit<'a> {
    fn from(h: &'a Hit) -> Self {
        JsonHit {
            audit: &h.audit,
            title: &h.title,
            municipality: &h.municipality,
            county: h.county.as_deref(),
            auditor: &h.auditor,
            year: h.year,
            date: &h.date,
            kind: &h.kind,
            report_type: &h.report_type,
            status: &h.status,
            item: &h.item,
            anchor: &h.anchor,
            section: &h.section,
            editorial: h.editorial,
            question: h.question.as_deref(),
            themes: &h.themes,
            url: &h.url,
            text: &h.text,
            snippet: &h.snippet,
            score: h.score,
        }
    }
}

/// Fetches a piece of the index's packs (index block, text chunk) by name: its stored bytes.
pub type PieceLoader = Box<dyn FnMut(&str) -> Option<Vec<u8>>>;

/// Opens the index the arguments name: a built one (`--index`), or one built in memory
/// from the site at `--root`; also returns where the pieces of its packs come from.
pub fn open(args: &SearchArgs) -> Result<(Engine, PieceLoader), String> {
    let built = match &args.index {
        Some(path) => {
            let (bundle, file) = read_bundle(path)?;
            let name = file.to_string_lossy();
            let engine =
                quiet_panics(|| Engine::open_named(&name, bundle)).map_err(|e| e.to_string())?;
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            let mut packs = PackReader::new(move |name| read_pack(&dir, name).map(Arc::new));
            return Ok((engine, Box::new(move |name| packs.stored(name))));
        }
        None => {
            let options = BuildOptions {
                root: args.root.clone(),
                ..BuildOptions::default()
            };
            let (site, _) = load_site(&options).map_err(|_| {
                format!(
                    "the site at {} has errors; run `insyn build` to see them",
                    args.root.display()
                )
            })?;
            search::bundle(&site).map_err(|d| d.message)?
        }
    };
    let engine = Engine::open(built.bundle).map_err(|e| e.to_string())?;
    let files: HashMap<String, Arc<Vec<u8>>> = built.packs.into_iter().collect();
    let mut packs = PackReader::new(move |name| files.get(name).cloned());
    Ok((engine, Box::new(move |name| packs.stored(name))))
}

/// A pack file beside the bundle. The name comes from the bundle, which may be anyone's
/// file: only plain file names are read.
fn read_pack(dir: &Path, name: &str) -> Option<Vec<u8>> {
    let plain = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-');
    plain.then(|| std::fs::read(dir.join(name)).ok()).flatten()
}

/// Reads the bundle from an output folder, its search folder, or the file itself; also
/// returns its path (the files beside it are in its folder).
fn read_bundle(path: &Path) -> Result<(Vec<u8>, PathBuf), String> {
    let candidates = [path.join(DIR).join(MANIFEST), path.join(MANIFEST)];
    let file = match candidates.iter().find(|p| p.is_file()) {
        Some(manifest) => {
            let text = std::fs::read_to_string(manifest)
                .map_err(|e| format!("{}: {e}", manifest.display()))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
            let url = json["index"].as_str().unwrap_or_default();
            let name = url.rsplit('/').next().unwrap_or_default();
            manifest.with_file_name(name)
        }
        None => path.to_path_buf(),
    };
    let bytes = std::fs::read(&file).map_err(|e| {
        format!(
            "cannot read the search index {}: {e} (give a built site's output folder, e.g. --index public)",
            file.display()
        )
    })?;
    Ok((bytes, file))
}

/// The request the arguments describe.
pub fn request(args: &SearchArgs) -> Request {
    let slugs = |v: &[String]| v.iter().map(|s| slugify(s)).collect::<Vec<_>>();
    Request {
        q: args.query.clone(),
        filters: Filters {
            municipality: args
                .municipality
                .iter()
                .map(|m| municipality_slug(m))
                .collect(),
            auditor: slugs(&args.auditor),
            theme: slugs(&args.theme),
            kind: args.kind.iter().map(|k| k.key().to_string()).collect(),
            report_type: args.report_type.clone(),
            status: args.status.clone(),
            origin: args.origin.iter().map(|o| o.key().to_string()).collect(),
            year: args.year.into_iter().collect(),
            year_from: args.from,
            year_to: args.to,
            ..Filters::default()
        },
        sort: if args.by_date {
            Sort::Date
        } else {
            Sort::Relevance
        },
        limit: args.limit,
        offset: 0,
    }
}

/// Runs the search and formats the result.
pub fn search(args: &SearchArgs, color: bool) -> Result<String, String> {
    let (mut engine, load) = open(args)?;
    let response = quiet_panics(|| engine.search_loading(&request(args), load))
        .map_err(|e| in_folder(args, e))?;
    if args.json {
        let hits: Vec<JsonHit<'_>> = response.hits.iter().map(JsonHit::from).collect();
        return Ok(serde_json::to_string_pretty(&hits).expect("hits serialise") + "\n");
    }
    let mut out = String::new();
    let shown = response.hits.len();
    out.push_str(&format!(
        "{} hit{} for {:?}{}\n",
        response.total,
        if response.total == 1 { "" } else { "s" },
        args.query,
        if shown < response.total {
            format!(" (showing {shown})")
        } else {
            String::new()
        }
    ));
    for c in &response.corrections {
        out.push_str(&format!(
            "({} is in no report: showing hits for {})\n",
            escape_controls(&c.typed),
            escape_controls(&c.read)
        ));
    }
    if response.partial {
        out.push_str("(no passage holds all the words: showing those with the most of them)\n");
    }
    for (n, hit) in response.hits.iter().enumerate() {
        let (on, off) = if color {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("[", "]")
        };
        // Content's own control characters are escaped before our highlighting is added.
        let snippet = escape_controls(&hit.snippet);
        let snippet = unescape(&snippet.replace("<mark>", on).replace("</mark>", off));
        let e = |s: &str| escape_controls(s).into_owned();
        out.push_str(&format!(
            "\n{}. {} · {} · {} · {}\n   {}{}\n   {}\n   {}\n",
            n + 1,
            e(&hit.kind),
            e(&hit.municipality),
            e(&hit.auditor),
            e(&hit.date),
            e(&hit.title),
            match (hit.item.is_empty(), hit.editorial) {
                (false, false) => format!(" ({})", e(&hit.item)),
                (false, true) => format!(" ({}, chosen by the editors)", e(&hit.item)),
                (true, false) if !hit.section.is_empty() => format!(" – {}", e(&hit.section)),
                (true, true) => format!(" – {} (editorial note)", e(&hit.section)),
                _ => String::new(),
            },
            snippet,
            e(&hit.url)
        ));
    }
    Ok(out)
}

/// Runs `f` without the panic message on stderr: the engine turns panics on a damaged index
/// into errors ([`insyn_search::engine::OpenError`]), which are reported instead.
fn quiet_panics<T>(f: impl FnOnce() -> T) -> T {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = f();
    std::panic::set_hook(hook);
    out
}

/// The error of a file beside the index, with the folder it is in.
fn in_folder(args: &SearchArgs, e: insyn_search::engine::OpenError) -> String {
    match &args.index {
        Some(path) if e.damaged => format!("{e} (in {})", path.display()),
        _ => e.to_string(),
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
