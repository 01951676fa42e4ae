//! The `insyn` command line, run as a user would: exit codes, messages, and what happens to
//! the output folder.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{copy_fixture, files, fixture, repo};

fn insyn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run insyn")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_and_version() {
    let v = insyn(&["--version"]);
    assert!(v.status.success());
    assert!(String::from_utf8_lossy(&v.stdout).contains(env!("CARGO_PKG_VERSION")));
    let h = insyn(&["--help"]);
    assert!(h.status.success());
    let text = String::from_utf8_lossy(&h.stdout);
    for word in ["build", "init", "Markdown"] {
        assert!(text.contains(word), "--help mentions {word}: {text}");
    }
    let b = insyn(&["build", "--help"]);
    assert!(String::from_utf8_lossy(&b.stdout).contains("--base-url"));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(insyn(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(insyn(&["build", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn a_good_build_exits_with_0_and_says_what_it_did() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let o = insyn(&[
        "build",
        "--root",
        path(&fixture("site")),
        "--output",
        path(&target),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("Built 3 audits"), "{}", stderr(&o));
    assert!(target.join("index.html").is_file());
    assert!(target.join(insyn::output::MARKER).is_file());
}

#[test]
fn broken_content_reports_every_error_with_file_and_line() {
    let out = tempfile::tempdir().unwrap();
    let o = insyn(&[
        "build",
        "--root",
        path(&fixture("broken")),
        "--output",
        path(&out.path().join("public")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        "content/many-errors.md:3:1", // unknown field, with a suggestion
        "did you mean `municipality`?",
        "content/many-errors.md:4:1", // unknown firm
        "content/many-errors.md:6:7", // impossible date
        "February 2019 has 28 days",
        "content/many-errors.md:7:14", // unknown report type, with the allowed values
        "`fördjupad granskning`",
        "content/many-errors.md:8:20",  // unknown theme in a flow list
        "content/many-errors.md:13:14", // nested enum
        "questions[0].assessment.level",
        "content/many-errors.md:16:3", // item metadata for an item that does not exist
        "content/many-errors.md:19:1", // unknown question in a heading attribute
        "content/no-front-matter.md:1:1",
        "content/syntax.md:2:8", // the quote that is never closed
        "the audit id `samma` is used twice",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(err.contains("wrote nothing"));
    assert!(!out.path().join("public").exists(), "nothing written");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = copy_fixture("site");
    let target = site.path().join("public");
    let ok = insyn(&["build", "--root", path(site.path())]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before: Vec<(String, Vec<u8>)> = files(&target)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(target.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    std::fs::write(site.path().join("content/gamma.md"), "---\ntitle: [\n---\n").unwrap();
    let failed = insyn(&["build", "--root", path(site.path())]);
    assert_eq!(failed.status.code(), Some(1));
    let after: Vec<(String, Vec<u8>)> = files(&target)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(target.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert_eq!(before, after, "the published site changed");
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("insyn-staging") || n.contains("insyn-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = copy_fixture("site");
    let foreign = site.path().join("docs");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep me").unwrap();
    let o = insyn(&["build", "--root", path(site.path()), "--output", "docs"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("was not written by Insyn"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "keep me"
    );
    for bad in [".", "content", "..", "themes"] {
        let o = insyn(&["build", "--root", path(site.path()), "--output", bad]);
        assert_eq!(o.status.code(), Some(1), "--output {bad}");
    }
    assert!(site.path().join("content/alfa.md").is_file());
}

#[test]
fn base_url_can_be_overridden() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let o = insyn(&[
        "build",
        "--root",
        path(&fixture("site")),
        "--output",
        path(&target),
        "--base-url",
        "https://example.org/arkiv/",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = std::fs::read_to_string(target.join("index.html")).unwrap();
    assert!(home.contains("href=\"/arkiv/kommun/\""));
    assert!(home.contains("https://example.org/arkiv/"));
    let bad = insyn(&[
        "build",
        "--root",
        path(&fixture("site")),
        "--base-url",
        "ftp:x",
    ]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("ny");
    let o = insyn(&["init", path(&site)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("insyn.toml").is_file());
    assert!(site.join("themes/default/templates/base.html").is_file());
    let b = insyn(&["build", "--root", path(&site)]);
    assert!(b.status.success(), "{}", stderr(&b));
    let page = std::fs::read_to_string(
        site.join("public/granskning/exempelby-2024-it-styrning/index.html"),
    )
    .unwrap();
    assert!(page.contains("id=\"rf1-r1\""));
    // A second init into the same, now non-empty, folder is refused.
    assert_eq!(insyn(&["init", path(&site)]).status.code(), Some(2));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [&a, &b] {
        let o = insyn(&[
            "build",
            "--root",
            path(&repo()),
            "--output",
            path(&out.path().join("p")),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (pa, pb) = (a.path().join("p"), b.path().join("p"));
    assert_eq!(files(&pa), files(&pb));
    for f in files(&pa) {
        assert!(
            std::fs::read(pa.join(&f)).unwrap() == std::fs::read(pb.join(&f)).unwrap(),
            "{f} differs between two builds"
        );
    }
}

/// The engine every site publishes names its source files in panic messages: by paths
/// relative to the crates, not this checkout's or cargo's home, so that where it was built
/// changes neither its bytes nor what it shows.
#[test]
fn the_published_engine_names_no_path_of_the_machine_that_built_it() {
    let engine = insyn::search::ENGINE;
    let holds = |text: &str| engine.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(
        holds("insyn/crates/insyn-search/src/"),
        "the engine names its sources as remapped"
    );
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    for local in [repo(), cargo_home] {
        let local = local.display().to_string();
        assert!(!holds(&local), "the engine names {local}");
    }
}

#[test]
fn search_prints_hits_for_people_and_json_for_scripts() {
    let root = repo();
    let o = insyn(&["search", "jourverksamhet", "--root", path(&root)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("2 hits for \"jourverksamhet\""), "{text}");
    assert!(text.contains("/granskning/alvesta-2017-it-verksamheten/#rf1-o9"));
    assert!(
        text.contains("[jourverksamhet]"),
        "matches are bracketed without colour: {text}"
    );

    let o = insyn(&[
        "search",
        "säkerhet",
        "--root",
        path(&root),
        "--json",
        "--limit",
        "3",
    ]);
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON");
    let hits = hits.as_array().expect("an array of hits");
    assert_eq!(hits.len(), 3);
    for field in [
        "audit",
        "title",
        "municipality",
        "auditor",
        "year",
        "kind",
        "url",
        "text",
        "snippet",
        "score",
    ] {
        assert!(hits[0].get(field).is_some(), "hits have `{field}`");
    }
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn search_filters_and_a_built_index() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    assert!(
        insyn(&["build", "--root", path(&repo()), "--output", path(&target)])
            .status
            .success()
    );
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--index", path(&target), "--json", "--limit", "100"]);
        let o = insyn(&all);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let all = json(&["kompetens"]);
    let kumla = json(&[
        "kompetens",
        "--municipality",
        "Kumla",
        "--kind",
        "recommendation",
    ]);
    assert!(!kumla.is_empty() && kumla.len() < all.len());
    assert!(
        kumla
            .iter()
            .all(|h| h["municipality"] == "Kumla" && h["kind"] == "recommendation")
    );
    let years = json(&["kompetens", "--from", "2012", "--to", "2015"]);
    assert!(
        years
            .iter()
            .all(|h| (2012..=2015).contains(&h["year"].as_u64().unwrap()))
    );
    let year = json(&["kompetens", "--year", "2008"]);
    assert!(!year.is_empty() && year.iter().all(|h| h["year"] == 2008));
    let by_date = json(&["kompetens", "--by-date"]);
    assert_eq!(by_date[0]["date"], "2020-11-25");
    // The same index, read from the search folder or the file itself.
    let from_folder = insyn(&[
        "search",
        "kompetens",
        "--index",
        path(&target.join("search")),
        "--json",
    ]);
    assert!(from_folder.status.success());
}

#[test]
fn search_escapes_control_characters_from_content() {
    let site = copy_fixture("site");
    let audit = "---\ntitle: G\nmunicipality: Åre\nauditor: pwc\ncommissioned_by: R\ndate: 2020-01-01\nreport_type: granskning\nthemes: [styrning]\n---\n\n## Rekommendationer\n\n- Kapa \u{1b}[2J\u{1b}]0;pwned\u{7} fönstret.\n";
    std::fs::write(site.path().join("content/esc.md"), audit).unwrap();
    let o = insyn(&["search", "kapa", "--root", path(site.path())]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!text.contains(['\u{1b}', '\u{7}']), "{text:?}");
    assert!(text.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{text}");
    // JSON keeps the text as it is, escaped the JSON way.
    let o = insyn(&["search", "kapa", "--root", path(site.path()), "--json"]);
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(
        hits[0]["text"],
        "Kapa \u{1b}[2J\u{1b}]0;pwned\u{7} fönstret."
    );
    assert!(!o.stdout.contains(&0x1b));
}

#[test]
fn search_errors_are_clear() {
    let o = insyn(&["search", "x", "--index", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot read the search index"),
        "{}",
        stderr(&o)
    );
    let o = insyn(&["search", "x", "--root", path(&fixture("broken"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("has errors"));
    assert_eq!(
        insyn(&["search"]).status.code(),
        Some(2),
        "a query is required"
    );
    // `--limit 0` is a usage error, not one hit.
    let o = insyn(&["search", "x", "--limit", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--limit"), "{}", stderr(&o));
    assert_eq!(
        insyn(&["search", "x", "--year", "2010", "--from", "2009"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn check_passes_the_published_site() {
    let o = insyn(&["check", "--root", path(&repo())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("no problems"), "{}", stderr(&o));
}

#[test]
fn check_finds_broken_links_missing_sources_and_writes_nothing() {
    let site = copy_fixture("site");
    let alfa = site.path().join("content/alfa.md");
    let mut text = std::fs::read_to_string(&alfa).unwrap();
    text.push_str("\nSe [en sida som saknas](../finns-inte/) och [ett ankare](#saknas).\n");
    text = text.replace(
        "themes: [styrning, informationssakerhet]",
        "themes: [styrning, informationssakerhet]\nsource:\n  file: original/alfa.pdf",
    );
    std::fs::write(&alfa, text).unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let not_found =
        std::fs::read_to_string(repo().join("themes/default/templates/404.html")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        not_found.replace("<ul>", "<ul><li><a href=\"/insyn/ingenstans/\">x</a></li>"),
    )
    .unwrap();
    let o = insyn(&["check", "--root", path(site.path())]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        "warning: field `source.file`: the source file `original/alfa.pdf` does not exist",
        "content/alfa.md:11:9",
        "broken link `/insyn/original/alfa.pdf`",
        "broken link `../finns-inte/`",
        "broken link `#saknas`: granskning/alfa/index.html has no anchor #saknas",
        "broken link `/insyn/ingenstans/`",
        "made by a template",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    let line = std::fs::read_to_string(&alfa)
        .unwrap()
        .lines()
        .position(|l| l.contains("finns-inte"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("content/alfa.md:{line}:25")), "{err}");
    assert!(
        !err.contains("tema/"),
        "item links on theme pages point at the audit page: {err}"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn new_audit_scaffolds_a_file_that_builds_and_never_clashes() {
    let site = copy_fixture("site");
    let new = |title: &str| {
        insyn(&[
            "new",
            "audit",
            "--root",
            path(site.path()),
            "--municipality",
            "Åre",
            "--auditor",
            "KPMG",
            "--title",
            title,
            "--date",
            "2024-05-01",
        ])
    };
    let first = new("Granskning av IT-säkerheten");
    assert!(first.status.success(), "{}", stderr(&first));
    let created = String::from_utf8_lossy(&first.stdout).trim().to_string();
    assert!(
        created.ends_with("content/are/are-2024-it-sakerheten.md"),
        "{created}"
    );
    let text = std::fs::read_to_string(&created).unwrap();
    for part in [
        "auditor: kpmg",
        "## Sammanfattning",
        "## Revisionsfrågor",
        "#### Iakttagelser",
        "#### Rekommendationer",
        "# assessment:",
    ] {
        assert!(text.contains(part), "{part} in the scaffold");
    }
    let second = new("Granskning av IT-säkerheten");
    assert!(
        String::from_utf8_lossy(&second.stdout)
            .trim()
            .ends_with("are-2024-it-sakerheten-2.md")
    );
    let built = insyn(&["build", "--root", path(site.path())]);
    assert!(
        built.status.success(),
        "the scaffold builds: {}",
        stderr(&built)
    );
    let bad = insyn(&[
        "new",
        "audit",
        "--root",
        path(site.path()),
        "--municipality",
        "Åre",
        "--auditor",
        "Deloitte",
        "--title",
        "X",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("kpmg, pwc"), "{}", stderr(&bad));
}

#[test]
fn quiet_builds_print_nothing_and_logs_have_no_colour() {
    let out = tempfile::tempdir().unwrap();
    let o = insyn(&[
        "build",
        "--quiet",
        "--root",
        path(&fixture("site")),
        "--output",
        path(&out.path().join("p")),
    ]);
    assert!(o.status.success());
    assert!(o.stderr.is_empty() && o.stdout.is_empty());
    let v = insyn(&[
        "build",
        "--verbose",
        "--root",
        path(&fixture("site")),
        "--output",
        path(&out.path().join("p")),
    ]);
    assert!(stderr(&v).contains("search index"), "{}", stderr(&v));
    // Diagnostics in a pipe (not a terminal) carry no escape codes.
    let broken = insyn(&[
        "build",
        "--root",
        path(&fixture("broken")),
        "--output",
        path(&out.path().join("q")),
    ]);
    assert!(!stderr(&broken).contains('\x1b'));
    // The preview's live-reload script is never in a real build.
    let home = std::fs::read_to_string(out.path().join("p/index.html")).unwrap();
    assert!(!home.contains("__insyn"));
}

/// `insyn check --host` says what the published site would publish and whether the host
/// takes it (which limits a site breaks: `check::hosts`' unit tests).
#[test]
fn check_says_whether_a_host_takes_the_site() {
    let site = repo();
    for host in ["github-pages", "cloudflare-pages", "netlify", "s3"] {
        let o = insyn(&["check", "--root", path(&site), "--host", host]);
        let err = stderr(&o);
        assert!(o.status.success(), "{host}: {err}");
        assert!(
            err.contains("The site would publish ") && err.contains(" files; largest "),
            "{err}"
        );
        assert!(err.contains("It fits the limits of "), "{err}");
    }
    let o = insyn(&["check", "--root", path(&site), "--host", "geocities"]);
    assert_eq!(o.status.code(), Some(2));
}
