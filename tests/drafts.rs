//! Drafts (`draft: true`): left out of a plain `insyn build`, built by `insyn build --drafts`
//! and `insyn serve`, and listed by `insyn check` as needing review, with the review markers
//! of their front matter as warnings at their lines.

mod common;

use std::path::Path;
use std::process::Command;

use common::copy_fixture;
use insyn::pipeline::{BuildOptions, build};
use insyn::serve::dev::Dev;

const GAMMA: &str = "content/gamma.md";
const GAMMA_PAGE: &str = "granskning/gamma/index.html";

/// The fixture site with gamma made a draft with one review marker.
fn site_with_draft() -> tempfile::TempDir {
    let dir = copy_fixture("site");
    let path = dir.path().join(GAMMA);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("---\n", "---\ndraft: true\n", 1).replacen(
        "municipality: Åre\n",
        "municipality: Åre # review: municipality guessed from the title page\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    dir
}

fn build_into(root: &Path, drafts: bool) -> (tempfile::TempDir, usize) {
    let out = tempfile::tempdir().unwrap();
    let report = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("public")),
        base_url: None,
        drafts,
    })
    .expect("the site builds");
    // A build that leaves the draft out does not warn about it either.
    let about_gamma = report
        .warnings
        .iter()
        .filter(|d| d.file.ends_with("gamma.md"))
        .count();
    assert_eq!(about_gamma, if drafts { 2 } else { 0 });
    (out, report.audits)
}

#[test]
fn a_plain_build_leaves_drafts_out_and_drafts_builds_them() {
    let dir = site_with_draft();
    let (plain, audits) = build_into(dir.path(), false);
    assert_eq!(audits, 2, "the draft is not built");
    let public = plain.path().join("public");
    assert!(!public.join(GAMMA_PAGE).exists());
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        !home.contains("Kompetens inom IT"),
        "no listing names the draft"
    );
    assert!(
        !common::data_file(&public, "audits.json").contains("gamma"),
        "the open data leaves the draft out"
    );

    let (with_drafts, audits) = build_into(dir.path(), true);
    assert_eq!(audits, 3);
    let public = with_drafts.path().join("public");
    let draft_page = std::fs::read_to_string(public.join(GAMMA_PAGE)).unwrap();
    assert!(
        draft_page.contains(r#"class="notice draft-notice" role="note""#)
            && draft_page.contains("Utkast."),
        "a built draft's page says it is a draft"
    );
    let published = std::fs::read_to_string(public.join("granskning/alfa/index.html")).unwrap();
    assert!(
        !published.contains("draft-notice"),
        "a published audit's page does not"
    );
}

#[test]
fn serve_builds_drafts() {
    let dir = site_with_draft();
    let dev = Dev::new(BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    })
    .expect("the site builds");
    assert!(dev.output().get(GAMMA_PAGE).is_some());
}

#[test]
fn check_lists_drafts_and_review_markers_as_warnings_in_order() {
    let dir = site_with_draft();
    let report = insyn::check::check(&BuildOptions {
        root: dir.path().to_path_buf(),
        ..BuildOptions::default()
    });
    assert!(
        !report
            .problems
            .iter()
            .any(|d| d.is_error() && d.file.ends_with("gamma.md")),
        "{:?}",
        report.problems
    );
    assert_eq!(report.audits, 3, "check looks at drafts too");
    let warnings: Vec<String> = report
        .problems
        .iter()
        .filter(|d| d.file.ends_with("gamma.md"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("content/gamma.md:2:1: warning: field `draft`: a draft"),
        "{warnings:#?}"
    );
    assert!(
        warnings[1].starts_with(
            "content/gamma.md:4:19: warning: review: municipality guessed from the title page"
        ),
        "{warnings:#?}"
    );

    // The command line prints them (the fixture's other audits have problems of their own).
    let out = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("municipality guessed from the title page"),
        "{stderr}"
    );
}

#[test]
fn build_drafts_on_the_command_line() {
    let dir = site_with_draft();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["build", "--quiet", "--drafts", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(out.path().join("public"))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(out.path().join("public").join(GAMMA_PAGE).exists());
}
