//! Fidelity (issue 13, point 4): an audit's text checked against the extracted text of its
//! report (`source_text`), both ways, with every problem at its file and line.
//!
//! The fixture site's `content/sub/beta.md` has a small source text beside it (with a cover
//! page and an e-mail address declared as omissions, hyphenation at line ends and a soft
//! hyphen); the five published audits have their reports' extracted texts.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_fixture, repo};
use insyn::diagnostics::Diagnostic;
use insyn::pipeline::{BuildError, BuildOptions};

const BETA: &str = "content/sub/beta.md";
const BETA_SOURCE: &str = "content/sub/beta.source.txt";

/// Replaces `from` (which must occur once) by `to` in the file `rel` under `root`.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first line of `rel` under `root` that contains `needle`.
fn line_of(root: &Path, rel: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {rel}"))
        + 1
}

/// What `insyn check` reports about `file`, one line each.
fn checked(root: &Path, file: &str) -> Vec<String> {
    let report = insyn::check::check(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    });
    report
        .problems
        .iter()
        .filter(|d| d.file == Path::new(file))
        .map(Diagnostic::to_string)
        .collect()
}

/// The fixture site with an edit to beta: what check reports about beta and its source.
fn beta_after(from: &str, to: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = copy_fixture("site");
    edit(dir.path(), BETA, from, to);
    let mut found = checked(dir.path(), BETA);
    found.extend(checked(dir.path(), BETA_SOURCE));
    (dir, found)
}

#[test]
fn the_fixture_source_text_matches_through_hyphens_and_omissions() {
    let dir = copy_fixture("site");
    assert_eq!(checked(dir.path(), BETA), Vec::<String>::new());
    assert_eq!(checked(dir.path(), BETA_SOURCE), Vec::<String>::new());
}

#[test]
fn a_changed_word_in_an_item_is_an_error_at_its_line() {
    let (dir, found) = beta_after("- IT-strategin antogs 2020.", "- IT-strategin antogs 2021.");
    let line = line_of(dir.path(), BETA, "antogs 2021");
    let at = format!(
        "{BETA}:{line}:3: error: not in the report's source text: \"IT-strategin antogs 2021.\""
    );
    assert!(found.iter().any(|f| f.starts_with(&at)), "{found:#?}");
    // The hint quotes the source text where the sentence comes from.
    assert!(
        found.iter().any(|f| f.contains("the source text reads")),
        "{found:#?}"
    );
}

#[test]
fn a_dropped_sentence_is_an_error_at_its_line_in_the_source_text() {
    let (_dir, found) = beta_after("- Följ upp strategin årligen.\n", "");
    let at = format!("{BETA_SOURCE}:16:3: error: the audit {BETA} leaves out this sentence");
    assert!(
        found
            .iter()
            .any(|f| f.starts_with(&at) && f.contains("Följ upp stra")),
        "{found:#?}"
    );
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn a_paraphrase_is_an_error_both_ways() {
    let (dir, found) = beta_after("Strategin är nu antagen.", "Strategin har nu antagits.");
    let line = line_of(dir.path(), BETA, "Strategin har nu antagits.");
    assert!(
        found.iter().any(|f| f.starts_with(&format!(
            "{BETA}:{line}:1: error: not in the report's source text"
        ))),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(&format!(
            "{BETA_SOURCE}:7:1: error: the audit {BETA} leaves out"
        ))),
        "{found:#?}"
    );
}

#[test]
fn a_changed_quote_is_an_error_at_its_field() {
    let dir = copy_fixture("site");
    edit(
        dir.path(),
        BETA,
        "follows_up: alfa\n",
        "follows_up: alfa\nassessment: { level: uppfyllt, basis: stated, quote: \"Strategin är nu helt antagen.\", note: \"Redaktionens egna ord.\" }\n",
    );
    let found = checked(dir.path(), BETA);
    let line = line_of(dir.path(), BETA, "assessment:");
    assert!(
        found
            .iter()
            .any(|f| f.starts_with(&format!("{BETA}:{line}:"))
                && f.contains("field `assessment.quote`: not in the report's source text")),
        "{found:#?}"
    );
    assert_eq!(
        found.len(),
        1,
        "the note is the editors' and not checked: {found:#?}"
    );
}

#[test]
fn editorial_notes_and_headings_are_not_checked() {
    let (_dir, found) = beta_after(
        "## Sammanfattning\n",
        "## Sammanfattning\n\n> [!NOTE]\n> Redaktionen har kortat texten.\n\n### Redaktionens rubrik {.editorial}\n",
    );
    assert_eq!(found, Vec::<String>::new());
    let (_dir, found) = beta_after(
        "## Sammanfattning\n",
        "## Sammanfattning\n\n### Redaktionens rubrik\n",
    );
    assert_eq!(
        found.len(),
        1,
        "a heading not marked editorial is the auditors': {found:#?}"
    );
}

#[test]
fn an_omission_must_name_a_passage_and_give_a_reason() {
    let (dir, found) = beta_after(
        "passage: \"Kontakt: revisor@example.se\"",
        "passage: \"Kontakt: revisor@example.com\"",
    );
    let line = line_of(dir.path(), BETA, "example.com");
    assert!(
        found.iter().any(|f| f.starts_with(&format!("{BETA}:{line}:5: error: field `omissions[1]`: the omission names nothing in the source text"))),
        "{found:#?}"
    );
    // With the omission naming nothing, the e-mail address is a sentence left out.
    assert!(
        found
            .iter()
            .any(|f| f.contains("leaves out") && f.contains("revisor@example.se")),
        "{found:#?}"
    );

    let (_dir, found) = beta_after("    reason: \"En e-postadress är borttagen.\"\n", "");
    assert!(
        found
            .iter()
            .any(|f| f.contains("field `omissions[1]`: the omission gives no `reason`")),
        "{found:#?}"
    );
    let (_dir, found) = beta_after("    to: \"2021-03-01\"\n", "");
    assert!(
        found
            .iter()
            .any(|f| f.contains("field `omissions[0]`: `from` and `to` go together")),
        "{found:#?}"
    );
}

#[test]
fn source_text_must_be_a_txt_file_in_the_audits_folder() {
    for (value, expected) in [
        ("../alfa.md", "must be a file in the audit's folder"),
        ("/etc/passwd", "must be a file in the audit's folder"),
        ("beta.md", "must be a `.txt` file"),
        (
            "saknas.source.txt",
            "the source text `saknas.source.txt` does not exist",
        ),
    ] {
        let (dir, found) = beta_after(
            "source_text: beta.source.txt",
            &format!("source_text: {value}"),
        );
        let line = line_of(dir.path(), BETA, "source_text:");
        assert!(
            found
                .iter()
                .any(|f| f.starts_with(&format!("{BETA}:{line}:"))
                    && f.contains("field `source_text`")
                    && f.contains(expected)),
            "{value}: {found:#?}"
        );
    }
    let (_dir, found) = beta_after("source_text: beta.source.txt\n", "");
    assert!(
        found
            .iter()
            .any(|f| f.contains("field `omissions`: omissions without source_text")),
        "{found:#?}"
    );
}

#[test]
fn a_build_refuses_a_drifted_text_and_publishes_no_source_text() {
    let dir = copy_fixture("site");
    let out = dir.path().join("public");
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
    };
    let report = insyn::pipeline::build(&options).expect("the fixture builds");
    assert_eq!(report.audits, 3, "a source text is not read as an audit");
    assert!(
        !common::files(&out)
            .iter()
            .any(|f| f.ends_with(".txt") && f != "robots.txt"),
        "source texts are not copied to the output"
    );
    let page = std::fs::read_to_string(out.join("granskning/beta-2021/index.html")).unwrap();
    assert!(
        page.contains("Redaktionen har utelämnat följande ur rapportens text:"),
        "{page}"
    );
    assert!(
        page.contains("<li>En e-postadress är borttagen.</li>"),
        "{page}"
    );

    edit(
        dir.path(),
        BETA,
        "Strategin är nu antagen.",
        "Strategin är antagen.",
    );
    match insyn::pipeline::build(&options) {
        Err(BuildError::Content(problems)) => {
            let errors: Vec<String> = problems
                .iter()
                .filter(|d| d.is_error())
                .map(Diagnostic::to_string)
                .collect();
            assert!(
                errors
                    .iter()
                    .any(|e| e.contains("not in the report's source text")),
                "{errors:#?}"
            );
        }
        other => panic!("the build must fail: {other:?}"),
    }
    let kept = std::fs::read_to_string(out.join("granskning/beta-2021/index.html")).unwrap();
    assert_eq!(kept, page, "the previous site stays as it was");
}

#[test]
fn insyn_check_exits_1_and_names_file_and_line() {
    let dir = copy_fixture("site");
    edit(
        dir.path(),
        BETA,
        "- IT-strategin antogs 2020.",
        "- IT-strategin antogs 2019.",
    );
    let line = line_of(dir.path(), BETA, "antogs 2019");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["check", "--root"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("{BETA}:{line}:3")), "{text}");
    assert!(
        text.contains("not in the report's source text: \"IT-strategin antogs 2019.\""),
        "{text}"
    );
}

/// Every observation and recommendation of every published audit: one word changed, the
/// audit loaded again (what `insyn check` and `insyn build` run for each file), and the
/// change reported at the item's file and line.
#[test]
fn a_one_word_edit_to_any_published_item_fails_the_check_at_its_line() {
    let root = repo();
    let config = insyn::config::Config::load(&root).expect("the site's configuration");
    let texts = insyn::translations::Translations::default();
    let mut edited = 0;
    for rel in insyn::content::find_files(&root).unwrap() {
        let text = insyn::content::read(&root, &rel).unwrap();
        let (audit, problems) =
            insyn::content::load_audit(&text, &rel, &config, &texts, Some(&root));
        let audit = audit.unwrap_or_else(|| panic!("{}: {problems:#?}", rel.display()));
        assert!(
            audit.meta.source_text.is_some(),
            "{} has a source text",
            rel.display()
        );
        for item in &audit.items {
            let changed = one_word_changed(&text, item.line, &item.text)
                .unwrap_or_else(|| panic!("{}:{}: no word to change", rel.display(), item.line));
            let (_, problems) =
                insyn::content::load_audit(&changed, &rel, &config, &texts, Some(&root));
            let reported = problems.iter().any(|d| {
                d.is_error()
                    && d.file == rel
                    && d.position.is_some_and(|p| p.line == item.line)
                    && d.message.starts_with("not in the report's source text")
            });
            assert!(
                reported,
                "{}:{} ({}): {problems:#?}",
                rel.display(),
                item.line,
                item.id
            );
            edited += 1;
        }
    }
    assert!(edited >= 190, "every item of the five audits: {edited}");
}

/// `text` with the first word of at least four letters on line `line` that the item's text
/// also has replaced by another word.
fn one_word_changed(text: &str, line: usize, item: &str) -> Option<String> {
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let target = lines.get_mut(line - 1)?;
    let word = target
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() >= 4 && item.contains(*w))?
        .to_string();
    let start = target.find(&word)?;
    let replacement = if word == "ändrat" {
        "annat"
    } else {
        "ändrat"
    };
    target.replace_range(start..start + word.len(), replacement);
    Some(lines.join("\n"))
}

#[test]
fn every_published_audit_keeps_its_source_text_beside_it() {
    let root = repo();
    for rel in insyn::content::find_files(&root).unwrap() {
        let source: PathBuf = rel.with_extension("source.txt");
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            text.contains(&format!("\nsource_text: {name}\n")),
            "{}",
            rel.display()
        );
        assert!(root.join(&source).is_file(), "{}", source.display());
    }
}
