//! `insyn search`: the site's index from the command line, for people and for scripts.
//!
//! `--json` prints one JSON array of hits, best first. Its fields are a stable contract
//! (documented in docs/cli.md): fields may be added, never renamed or removed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use insyn_search::{Engine, Filters, Hit, Request, Sort};
use serde::Serialize;

use crate::build::{BuildOptions, load_site};
use crate::text::{escape_controls, slugify};

/// What to search and how to print it.
#[derive(Clone, Debug, Default)]
pub struct SearchArgs {
    pub query: String,
    pub root: PathBuf,
    /// A built site's output folder, its `search/` folder, or an `index.*.bin` file.
    pub index: Option<PathBuf>,
    pub municipality: Vec<String>,
    pub auditor: Vec<String>,
    pub theme: Vec<String>,
    pub kind: Vec<String>,
    pub report_type: Vec<String>,
    pub status: Vec<String>,
    pub year: Option<u64>,
    pub from: Option<u64>,
    pub to: Option<u64>,
    pub sort_by_date: bool,
    pub limit: usize,
    pub json: bool,
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

/// Fetches a file beside the index (index block, text chunk) by name.
pub type ChunkLoader = Box<dyn FnMut(&str) -> Option<Vec<u8>>>;

/// Opens the index the arguments name: a built one (`--index`), or one built in memory
/// from the site at `--root`; also returns where the files beside it come from.
pub fn open(args: &SearchArgs) -> Result<(Engine, ChunkLoader), String> {
    let built = match &args.index {
        Some(path) => {
            let (bundle, file) = read_bundle(path)?;
            let name = file.to_string_lossy();
            let engine =
                quiet_panics(|| Engine::open_named(&name, bundle)).map_err(|e| e.to_string())?;
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            return Ok((engine, Box::new(move |name| read_chunk(&dir, name))));
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
            super::bundle(&site).map_err(|d| d.message)?
        }
    };
    let engine = Engine::open(built.bundle).map_err(|e| e.to_string())?;
    let files: HashMap<String, std::sync::Arc<Vec<u8>>> = built.files.into_iter().collect();
    Ok((
        engine,
        Box::new(move |name| files.get(name).map(|b| b.to_vec())),
    ))
}

/// A file beside the bundle (index block, text chunk). The name comes from the bundle, which may be anyone's
/// file: only plain file names are read.
fn read_chunk(dir: &Path, name: &str) -> Option<Vec<u8>> {
    let plain = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-');
    plain.then(|| std::fs::read(dir.join(name)).ok()).flatten()
}

/// Reads the bundle from an output folder, its search folder, or the file itself; also
/// returns its path (the files beside it are in its folder).
fn read_bundle(path: &Path) -> Result<(Vec<u8>, PathBuf), String> {
    let candidates = [
        path.join(super::DIR).join(super::MANIFEST),
        path.join(super::MANIFEST),
    ];
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
            municipality: slugs(&args.municipality),
            auditor: slugs(&args.auditor),
            theme: slugs(&args.theme),
            kind: args.kind.clone(),
            report_type: args.report_type.clone(),
            status: args.status.clone(),
            year: args.year.into_iter().collect(),
            year_from: args.from,
            year_to: args.to,
            ..Filters::default()
        },
        sort: if args.sort_by_date {
            Sort::Date
        } else {
            Sort::Relevance
        },
        limit: args.limit,
        offset: 0,
    }
}

/// Runs the search and formats the result.
pub fn run(args: &SearchArgs, color: bool) -> Result<String, String> {
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
                (false, _) => format!(" ({})", e(&hit.item)),
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
