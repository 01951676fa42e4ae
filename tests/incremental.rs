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
    let manifest: serde_json::Value =
        serde_json::from_slice(&output.get("search/manifest.json").unwrap()).unwrap();
    let index = manifest["index"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    let bundle = output.get(&format!("search/{index}")).unwrap().to_vec();
    let mut engine = insyn_search::Engine::open(bundle).unwrap();
    let mut packs = insyn_search::packs::PackReader::new(|name| {
        output
            .get(&format!("search/{name}"))
            .map(|b| std::sync::Arc::new(b.to_vec()))
    });
    let mut search = |engine: &mut insyn_search::Engine, q: &str| {
        engine
            .search_loading(
                &insyn_search::Request {
                    q: q.into(),
                    ..Default::default()
                },
                |name| packs.stored(name),
            )
            .expect("the index is whole")
    };
    let found = search(&mut engine, "rekryteringsplan");
    assert_eq!(found.total, 1);
    assert!(found.hits[0].text.contains("rekryteringsplan"));
    assert_eq!(search(&mut engine, "kompetensplan").total, 0);
    // Passages of the other audits are still found, with their texts.
    let other = search(&mut engine, "strategin");
    assert!(other.total > 0 && other.hits.iter().all(|h| !h.text.is_empty()));
}

#[test]
fn an_edited_document_template_republishes_and_a_broken_one_keeps_the_last_good_files() {
    let dir = copy_fixture("site");
    let root = dir.path();
    let mut dev = dev(root);
    let feed = |dev: &Dev| dev.output().get("atom.xml").map(|b| b.to_vec());
    let built_in = feed(&dev).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let own = "<feed n=\"{{ entries | length }}\"/>\n";
    std::fs::write(root.join("templates/atom.xml"), own).unwrap();
    let changes = Changes {
        templates: BTreeSet::from(["atom.xml".to_string()]),
        ..Changes::default()
    };
    apply_changes_and_compare(&mut dev, root, &changes, "templates/atom.xml");
    assert_eq!(feed(&dev).unwrap(), b"<feed n=\"3\"/>\n");
    // One that does not compile, and one that does not render: errors naming the template,
    // and the last good feeds stay.
    for broken in ["{% for entry in entries %}", "{{ no_such_variable }}"] {
        std::fs::write(root.join("templates/atom.xml"), broken).unwrap();
        let problems = dev
            .apply(&changes)
            .expect_err("a broken template does not build");
        assert!(
            problems
                .iter()
                .any(|d| d.file == Path::new("templates/atom.xml")),
            "{problems:?}"
        );
        dev.settle();
        assert_eq!(feed(&dev).unwrap(), b"<feed n=\"3\"/>\n");
    }
    std::fs::remove_file(root.join("templates/atom.xml")).unwrap();
    apply_changes_and_compare(&mut dev, root, &changes, "templates/atom.xml");
    assert_eq!(feed(&dev).unwrap(), built_in);
}
