//! `insyn serve`'s incremental rebuild: the time from an edit of one audit to the rebuilt
//! page, its listings and the search index, on a site held in memory.
//!
//! `cargo bench --bench rebuild -- SITE_ROOT` (e.g. a corpus from `examples/gen_corpus.rs`).
//! The site is copied to a temporary folder first; one audit there is edited several times
//! (a sentence appended to an observation) and each rebuild is timed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use insyn::pipeline::BuildOptions;

// As the `insyn` binary does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use insyn::serve::dev::{Changes, Dev};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("a readable site");
        let rel = entry.path().strip_prefix(from).expect("under the root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("a writable temporary folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("a writable temporary folder");
        }
    }
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let temp = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&root.join("content"), &temp.path().join("content"));
    std::fs::copy(root.join("insyn.toml"), temp.path().join("insyn.toml")).expect("insyn.toml");
    if root.join("themes").is_dir() {
        copy_dir(&root.join("themes"), &temp.path().join("themes"));
    }
    let options = BuildOptions {
        root: temp.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let started = Instant::now();
    let mut dev = Dev::new(options).expect("the site builds");
    println!(
        "serve: first build into memory {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    // The middle audit (by path), so listings before and after it exist.
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(temp.path().join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let target = files[files.len() / 2].clone();
    let rel = target
        .strip_prefix(temp.path())
        .expect("under the root")
        .to_path_buf();
    let original = std::fs::read_to_string(&target).expect("the audit reads");
    let mut times: Vec<Duration> = Vec::new();
    let mut published: Vec<Duration> = Vec::new();
    for round in 0..7 {
        // Append a sentence to the first observation: text, snippets and the index change.
        let edited = original.replacen(
            "\n- ",
            &format!("\n- Tillägg {round} om informationssäkerhet. "),
            1,
        );
        std::fs::write(&target, edited).expect("the audit writes");
        let changes = Changes {
            content: BTreeSet::from([rel.clone()]),
            ..Changes::default()
        };
        // Edits come at a person's pace: the previous edit's feeds and data are written.
        dev.settle();
        let started = Instant::now();
        let rebuilt = dev.apply(&changes).expect("the edit builds");
        times.push(started.elapsed());
        dev.settle();
        published.push(started.elapsed());
        if round == 0 {
            println!(
                "serve: an edit of {} re-rendered {} pages (index rebuilt: {})",
                rel.display(),
                rebuilt.pages,
                rebuilt.index
            );
        }
    }
    let ms = |mut t: Vec<Duration>| {
        t.sort();
        (
            t[t.len() / 2].as_secs_f64() * 1e3,
            t[t.len() - 1].as_secs_f64() * 1e3,
        )
    };
    let (median, worst) = ms(times);
    println!(
        "serve: edit → page, listings and index ready: median {median:.1} ms, worst {worst:.1} ms (7 edits)"
    );
    let (median, worst) = ms(published);
    println!(
        "serve: edit → feeds, open data and sitemap also rewritten (in the background): median {median:.0} ms, worst {worst:.0} ms"
    );
}
