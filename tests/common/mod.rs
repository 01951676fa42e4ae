//! Helpers shared by the integration tests: building a site into a temporary folder and
//! reading what came out.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use insyn::pipeline::{BuildOptions, BuildReport, build};

/// The index of the published site (`content/`), built in memory once per test binary.
pub fn published_engine() -> &'static insyn_search::Engine {
    static ENGINE: std::sync::OnceLock<insyn_search::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let options = BuildOptions {
            root: repo(),
            ..BuildOptions::default()
        };
        let (site, _) = insyn::pipeline::load_site(&options).expect("the published site loads");
        let built = insyn::search::bundle(&site).expect("the index builds");
        built.open().expect("the index opens")
    })
}

/// The repository root (where the real `content/` is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Copies a fixture site to a temporary folder so a test can change it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture(name);
    for f in files(&from) {
        let to = dir.path().join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), to).unwrap();
    }
    dir
}

/// A site with the repository's configuration and no audits.
pub fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("insyn.toml"), dir.path().join("insyn.toml")).unwrap();
    dir
}

/// A built site: its output folder (deleted on drop when temporary) and the build's report.
pub struct Built {
    _dir: Option<tempfile::TempDir>,
    pub out: PathBuf,
    pub report: BuildReport,
}

impl Built {
    /// The text of `rel` in the output (e.g. `kommun/alvesta/index.html`).
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// The text of dataset file `name` (e.g. `recommendations.csv`) in the bulk zip.
    pub fn data(&self, name: &str) -> String {
        data_file(&self.out, name)
    }
}

/// The text of dataset file `name` in the bulk zip of the site built into `out`: the
/// datasets are published zipped only.
pub fn data_file(out: &Path, name: &str) -> String {
    zip_entry(&out.join("data/insyn-data.zip"), name)
}

/// The text of dataset file `name` in the zip at `path`.
pub fn zip_entry(path: &Path, name: &str) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name(&format!("insyn-data/{name}"))
            .unwrap_or_else(|e| panic!("{name} in the zip: {e}")),
        &mut text,
    )
    .unwrap();
    text
}

/// Builds the site at `root` into a fresh temporary folder.
pub fn build_site(root: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    Built {
        report: build_into(root, &out),
        _dir: Some(dir),
        out,
    }
}

/// Builds the site at `root` for a `static` that a test binary's tests share. A static is
/// never dropped, so a temporary folder would be left behind after every run: the output
/// goes to `<test binary>-<label>` in Cargo's folder for tests' files (under `target/`)
/// instead, replacing the previous run's.
pub fn build_shared_site(root: &Path, label: &str) -> Built {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}-{label}", env!("CARGO_CRATE_NAME")))
        .join("public");
    if out.exists() {
        std::fs::remove_dir_all(&out).unwrap();
    }
    Built {
        report: build_into(root, &out),
        _dir: None,
        out,
    }
}

fn build_into(root: &Path, out: &Path) -> BuildReport {
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: None,
        drafts: false,
    })
    .unwrap_or_else(|e| panic!("build of {} failed: {e:?}", root.display()))
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The values of `attr="…"` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// How often `needle` occurs in `haystack`.
/// The part of `html` from the first `start` up to the next `end` (panics when either is
/// missing): one element of a page, for assertions about it alone.
pub fn from_to<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &html[at..];
    &rest[..rest
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"))]
}

pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Internal links of the built site that lead nowhere: `(page, href)` for every `href`
/// under `base_path` whose file or `#anchor` does not exist.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<(String, String)> {
    let pages: Vec<String> = files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        ids.insert(
            page.clone(),
            attr_values(&html, "id")
                .into_iter()
                .map(String::from)
                .collect(),
        );
    }
    let mut broken = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for href in attr_values(&html, "href") {
            let href = href.replace("&amp;", "&");
            let (path, anchor) = match href.split_once('#') {
                Some((p, a)) => (p.to_string(), Some(a.to_string())),
                None => (href.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(rel) = path.strip_prefix(base_path) {
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            } else {
                continue; // external, or not under the site
            };
            let ok = out.join(&target).is_file()
                && anchor
                    .as_ref()
                    .is_none_or(|a| ids.get(&target).is_some_and(|set| set.contains(a)));
            if !ok {
                broken.push((page.clone(), href.clone()));
            }
        }
    }
    broken
}

/// A minimal RFC 4180 reader for the round trip.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// Pages of the built site at `out` where the mark of a derived assessment level (`*`) and
/// its visible key disagree: a page showing the mark must say in visible text what it means
/// (a tooltip shows on no touch screen), and a page without it must not carry the key.
pub fn derived_legend_problems(out: &Path) -> Vec<String> {
    // A badge's mark, followed by its words for screen readers (the legend's and the
    // basis's marks are followed by their text).
    const BADGE: &str =
        "class=\"derived-mark\" aria-hidden=\"true\">*</span><span class=\"visually-hidden\">";
    const LEGEND: &str = "<p class=\"derived-legend\"><span class=\"derived-mark\" aria-hidden=\"true\">*</span> Redaktionens tolkning av revisorernas ord";
    const BASIS: &str = "<p class=\"basis\"><span class=\"derived-mark\" aria-hidden=\"true\">*</span> Nivån är redaktionens tolkning";
    let mut problems = Vec::new();
    for page in files(out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        let badges = count(&html, BADGE);
        let keys = count(&html, LEGEND) + count(&html, BASIS);
        if badges > 0 && keys == 0 {
            problems.push(format!("{page}: {badges} derived marks and no legend"));
        }
        if badges == 0 && html.contains("derived-legend") {
            problems.push(format!("{page}: a legend and no derived mark"));
        }
    }
    problems
}
