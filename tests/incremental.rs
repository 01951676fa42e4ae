//! `insyn serve` rebuilds only what an edit affects. Whatever it skips must not matter:
//! after each edit, every page it holds must be byte for byte what a fresh build of the
//! same files gives, and its search index must find the new text.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::copy_fixture;
use insyn::pipeline::BuildOptions;
use insyn::serve::dev::{Changes, Dev};

fn dev(root: &Path) -> Dev {
    Dev::new(BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("the site builds")
}

/// Applies an edit of `rel` and checks the result against a fresh build.
fn apply_and_compare(dev: &mut Dev, root: &Path, rel: &str) {
    let changes = Changes {
        content: BTreeSet::from([PathBuf::from(rel)]),
        ..Changes::default()
    };
    apply_changes_and_compare(dev, root, &changes, rel);
}

/// Applies `changes` (an edit of `rel`) and checks the result against a fresh build.
fn apply_changes_and_compare(dev: &mut Dev, root: &Path, changes: &Changes, rel: &str) {
    dev.apply(changes).expect("the edit builds");
    dev.settle();
    let fresh = self::dev(root);
    let (ours, theirs) = (dev.output(), fresh.output());
    // The index is cut into segments differently (an edited segment keeps its place), so
    // its files, and the search page naming them, may differ; everything else may not.
    let pages = |paths: Vec<String>| -> Vec<String> {
        paths
            .into_iter()
            .filter(|p| !p.starts_with("search/") && p != "sok/index.html")
            .collect()
    };
    let (mine, fresh_paths) = (pages(ours.paths()), pages(theirs.paths()));
    assert_eq!(mine, fresh_paths, "the same files after editing {rel}");
    for path in &mine {
        assert!(
            ours.get(path) == theirs.get(path),
            "{path} differs from a fresh build after editing {rel}:\n--- incremental\n{}\n--- fresh\n{}",
            String::from_utf8_lossy(&ours.get(path).unwrap()),
            String::from_utf8_lossy(&theirs.get(path).unwrap())
        );
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} contains {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_edit_gives_what_a_fresh_build_gives() {
    let dir = copy_fixture("site");
    let root = dir.path();
    let mut dev = dev(root);
    // Text of an observation.
    edit(
        root,
        "content/alfa.md",
        "Strategin saknas.",
        "Strategin saknas helt.",
    );
    apply_and_compare(&mut dev, root, "content/alfa.md");
    // One more recommendation: the paginated listings after it shift.
    edit(
        root,
        "content/gamma.md",
        "- Inventera kompetensbehovet.",
        "- Inventera kompetensbehovet.\n- Rekrytera en IT-strateg.",
    );
    apply_and_compare(&mut dev, root, "content/gamma.md");
    // A follow-up's status: the followed-up audit's page and the register by status.
    edit(
        root,
        "content/sub/beta.md",
        "status: genomförd",
        "status: ej genomförd",
    );
    apply_and_compare(&mut dev, root, "content/sub/beta.md");
    // A date: the audit moves in every listing.
    edit(
        root,
        "content/gamma.md",
        "date: 2015-11-20",
        "date: 2022-01-10",
    );
    apply_and_compare(&mut dev, root, "content/gamma.md");
    // A theme: theme pages and comparison cells gain and lose items.
    edit(
        root,
        "content/gamma.md",
        "themes: [kompetens]",
        "themes: [styrning]",
    );
    apply_and_compare(&mut dev, root, "content/gamma.md");
    // A municipality that appears and one that goes.
    edit(
        root,
        "content/gamma.md",
        "municipality: Åre",
        "municipality: Krokom",
    );
    apply_and_compare(&mut dev, root, "content/gamma.md");
    // An audit removed, and added back.
    let gamma = std::fs::read_to_string(root.join("content/gamma.md")).unwrap();
    std::fs::remove_file(root.join("content/gamma.md")).unwrap();
    apply_and_compare(&mut dev, root, "content/gamma.md");
    std::fs::write(root.join("content/gamma.md"), gamma).unwrap();
    apply_and_compare(&mut dev, root, "content/gamma.md");
}

#[test]
fn the_rebuilt_index_finds_the_new_text_and_not_the_old() {
    let dir = copy_fixture("site");
    let root = dir.path();
    let mut dev = dev(root);
    edit(
        root,
        "content/gamma.md",
        "Ta fram en kompetensplan.",
        "Ta fram en rekryteringsplan.",
    );
    let changes = Changes {
        content: BTreeSet::from([PathBuf::from("content/gamma.md")]),
        ..Changes::default()
    };
    dev.apply(&changes).expect("the edit builds");
    let output = dev.output();
    let found = search(&output, "index", "rekryteringsplan");
    assert_eq!(found.total, 1);
    assert!(found.hits[0].text.contains("rekryteringsplan"));
    assert_eq!(search(&output, "index", "kompetensplan").total, 0);
    // Passages of the other audits are still found, with their texts.
    let other = search(&output, "index", "strategin");
    assert!(other.total > 0 && other.hits.iter().all(|h| !h.text.is_empty()));
}

#[test]
fn the_index_of_the_newest_audits_follows_a_date_edit() {
    let dir = copy_fixture("site");
    let root = dir.path();
    let config = root.join("insyn.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[search]\nrecent_audits = 2\n")).unwrap();
    let mut dev = dev(root);
    // beta (2021) and alfa (2019) are the newest; gamma (2015) is only in the index of all.
    let output = dev.output();
    assert_eq!(search(&output, "recent", "oklart").total, 1, "alfa's");
    assert_eq!(search(&output, "recent", "kompetensplan").total, 0);
    assert_eq!(search(&output, "index", "kompetensplan").total, 1);
    edit(
        root,
        "content/gamma.md",
        "date: 2015-11-20",
        "date: 2022-01-10",
    );
    apply_and_compare(&mut dev, root, "content/gamma.md");
    // Now gamma (2022) and beta are the newest, and alfa is out.
    let output = dev.output();
    assert_eq!(search(&output, "recent", "kompetensplan").total, 1);
    assert_eq!(search(&output, "recent", "oklart").total, 0);
    assert_eq!(search(&output, "index", "oklart").total, 1);
    let manifest = manifest(&output);
    assert_eq!(manifest["recent"]["audits"], 2);
    assert_eq!(manifest["recent"]["from"], "2021-03-01");
}

fn manifest(output: &insyn::output::MemoryOutput) -> serde_json::Value {
    serde_json::from_slice(&output.get("search/manifest.json").unwrap()).unwrap()
}

/// Searches the index the manifest of `output` names at `key` (`index`: of every audit;
/// `recent`: of the newest), loading every piece it needs from the output.
fn search(output: &insyn::output::MemoryOutput, key: &str, q: &str) -> insyn_search::Response {
    let manifest = manifest(output);
    let url = match key {
        "recent" => &manifest["recent"]["index"],
        _ => &manifest["index"],
    };
    let name = url.as_str().expect("the manifest names the index");
    let name = name.rsplit('/').next().unwrap();
    let bundle = output.get(&format!("search/{name}")).unwrap().to_vec();
    let mut engine = insyn_search::Engine::open(bundle).unwrap();
    let mut packs = insyn_search::packs::PackReader::new(|name| {
        output
            .get(&format!("search/{name}"))
            .map(|b| std::sync::Arc::new(b.to_vec()))
    });
    let request = insyn_search::Request {
        q: q.into(),
        ..Default::default()
    };
    engine
        .search_loading(&request, |name| packs.stored(name))
        .expect("the index is whole")
}
