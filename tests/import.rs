//! `insyn import` on the command line: a generated PDF becomes a draft that `insyn check`
//! accepts with review warnings; unreadable files get a clear error and write nothing; an
//! existing audit is never overwritten.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn insyn(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// `insyn ARGS --root ROOT`, which must succeed (its stderr shown if not).
fn insyn_ok(args: &[&str], root: &Path) -> Output {
    let out = insyn(args, root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn pdf(name: &str) -> String {
    common::fixture("pdf").join(name).display().to_string()
}

#[test]
fn a_pdf_becomes_a_draft_that_check_accepts_with_review_warnings() {
    let site = common::empty_site();
    insyn_ok(&["import", &pdf("004-one-column.pdf")], site.path());
    const ID: &str = "kungsor-2020-kommunstyrelsens-styrning-av-digital-utveckling";
    assert_eq!(
        common::files(site.path()),
        [
            format!("content/kungsor/{ID}.md"),
            format!("content/kungsor/{ID}.source.txt"),
            "insyn.toml".to_string()
        ]
    );
    let md = site.path().join(format!("content/kungsor/{ID}.md"));
    let draft = std::fs::read_to_string(&md).unwrap();
    assert!(draft.contains("\ndraft: true\n"), "{draft}");
    assert!(draft.contains(&format!("source_text: {ID}.source.txt")));
    // The cover letter's request for a response, and the contents declared as an omission.
    assert!(
        draft.contains("  recipient: \"Kommunstyrelsen\"\n  due: 2021-04-30\n"),
        "{draft}"
    );
    assert!(
        draft.contains(
            "  - from: \"Innehållsförteckning 1 Sammanfattning 2\"\n    to: \"4 Slutsatser 10\"\n"
        ),
        "{draft}"
    );

    let check = insyn(&["check"], site.path());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: field `draft`: a draft"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: review: municipality read from the cover page"),
        "{stderr}"
    );

    // A plain build leaves the draft out; --drafts builds it.
    let out_dir = site.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["build", "--quiet", "--drafts", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(out_dir.join(format!("granskning/{ID}/index.html")).exists());

    // Again: a second draft beside the first, never over it.
    let again = insyn(&["import", &pdf("004-one-column.pdf")], site.path());
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains(&format!("{ID}-2.md")));
    assert_eq!(std::fs::read_to_string(&md).unwrap(), draft);
    assert!(
        site.path()
            .join(format!("content/kungsor/{ID}-2.source.txt"))
            .exists()
    );
}

/// In two columns the contents' entries wrap, and the first one's first line reads like the
/// first section's heading; the contents are still left out, declared, and found again by
/// the fidelity check.
#[test]
fn two_column_contents_are_left_out() {
    let site = common::empty_site();
    insyn_ok(&["import", &pdf("001-two-column.pdf")], site.path());
    const ID: &str = "jonkoping-2008-it-styrning-och-it-effektivitet";
    let md = site.path().join(format!("content/jonkoping/{ID}.md"));
    let draft = std::fs::read_to_string(&md).unwrap();
    assert!(
        draft.contains(
            "  - from: \"Innehållsförteckning 1. Sammanfattning\"\n    to: \"information..... 18\"\n"
        ),
        "{draft}"
    );
    let body = draft.rsplit("\n---\n").next().unwrap();
    assert!(!body.contains("Innehållsförteckning"), "{body}");
    assert!(!body.contains("....."), "{body}");
    assert!(
        body.trim_start()
            .starts_with("### 1. Sammanfattning och slutsatser"),
        "{body}"
    );
    insyn_ok(&["check"], site.path());
}

#[test]
fn the_cover_page_is_left_out_as_an_omission_and_a_cover_letter_kept() {
    let site = common::empty_site();
    insyn_ok(&["import", &pdf("000-one-column.pdf")], site.path());
    let md = site
        .path()
        .join("content/alvesta/alvesta-2017-it-verksamheten-inom-alvesta-kommun.md");
    let draft = std::fs::read_to_string(md).unwrap();
    assert!(
        draft.contains(
            "  - from: \"www.pwc.com/se Alvesta kommun\"\n    to: \"6 februari 2017 pwc\"\n    reason: \"Rapportens försättsblad är utelämnat"
        ),
        "{draft}"
    );
    let body = draft.rsplit("\n---\n").next().unwrap();
    assert!(
        body.trim_start().starts_with("### Sammanfattning"),
        "the body starts after the cover and the contents: {body}"
    );
    insyn_ok(&["check"], site.path());

    // Kungsör's report opens with the cover letter: the short lines before its contents
    // end the letter (its signature), which stays; the cover page after it, from the
    // title on, goes.
    let out = insyn(&["import", &pdf("004-one-column.pdf")], site.path());
    assert!(out.status.success());
    let md = site
        .path()
        .join("content/kungsor/kungsor-2020-kommunstyrelsens-styrning-av-digital-utveckling.md");
    let draft = std::fs::read_to_string(md).unwrap();
    assert!(
        draft.contains(
            "  - from: \"Förstudie av kommunstyrelsens styrning av digital utveckling i kommunen Rapport\"\n    to: \"Förstudie av kommunstyrelsens styrning av digital utveckling i kommunen 2020-11-25\"\n    reason: \"Rapportens försättsblad är utelämnat"
        ),
        "{draft}"
    );
    let body = draft.rsplit("\n---\n").next().unwrap();
    assert!(
        body.contains("Håkan Sundström\n\nrevisionsordförande"),
        "{body}"
    );
    assert!(!body.contains("Antal sidor"), "{body}");
    insyn_ok(&["check"], site.path());
}

#[test]
fn unreadable_files_get_a_clear_error_and_write_nothing() {
    let site = common::empty_site();
    let not_pdf = site.path().join("report.pdf");
    std::fs::write(&not_pdf, "hello").unwrap();
    let encrypted = site.path().join("encrypted.pdf");
    std::fs::write(
        &encrypted,
        "%PDF-1.4\ntrailer\n<< /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF\n",
    )
    .unwrap();
    let binary = site.path().join("report.bin");
    std::fs::write(&binary, [0u8, 159, 146, 150]).unwrap();
    for (file, expected) in [
        (pdf("damaged.pdf"), "is a damaged PDF"),
        (pdf("image-only.pdf"), "OCR is out of scope for now"),
        (not_pdf.display().to_string(), "is not a PDF"),
        (encrypted.display().to_string(), "is an encrypted PDF"),
        (
            binary.display().to_string(),
            "is neither a PDF nor UTF-8 text",
        ),
    ] {
        let out = insyn(&["import", &file], site.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(
            !site.path().join("content").exists(),
            "{file} wrote something"
        );
    }
    // An unknown firm on the command line is refused too.
    let out = insyn(
        &["import", &pdf("004-one-column.pdf"), "--auditor", "nobody"],
        site.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in insyn.toml [auditors]"));
    assert!(!site.path().join("content").exists());
}

#[test]
fn the_command_line_overrides_what_the_report_says() {
    let site = common::empty_site();
    let text = common::repo().join("content/kungsor/kungsor-2020-digital-utveckling.source.txt");
    let out = insyn_ok(
        &[
            "import",
            &text.display().to_string(),
            "--municipality",
            "Arboga",
            "--auditor",
            "EY",
        ],
        site.path(),
    );
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.contains("content/arboga/arboga-2020-"), "{path}");
    let draft = std::fs::read_to_string(&path).unwrap();
    assert!(draft.contains("municipality: \"Arboga\"\n"), "{draft}");
    assert!(draft.contains("county: \"Västmanlands län\"\n"), "{draft}");
    assert!(draft.contains("auditor: ey\n"), "{draft}");
}

#[test]
fn text_full_of_markdown_still_imports_verbatim() {
    // The repository's own docs are Markdown: links, tags, tables, code, emphasis, YAML.
    // Imported as a report's text, each must give a draft whose text is its source text's.
    let site = common::empty_site();
    for doc in [
        "README.md",
        "docs/content-format.md",
        "docs/cli.md",
        "docs/import.md",
    ] {
        let text = site.path().join(doc.replace('/', "-") + ".txt");
        std::fs::copy(common::repo().join(doc), &text).unwrap();
        let out = insyn(
            &[
                "import",
                &text.display().to_string(),
                "--municipality",
                "Ale",
                "--auditor",
                "pwc",
            ],
            site.path(),
        );
        assert!(
            out.status.success(),
            "{doc}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let check = insyn(&["check"], site.path());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(stderr.contains("Checked 4 audits"), "{stderr}");
}

#[test]
fn a_text_in_pages_loses_its_running_headers_and_page_numbers() {
    // Kungsör's source text laid out as `pdftotext` writes pages: a running header on each
    // page, a page number under it, form feeds between.
    let site = common::empty_site();
    let source = std::fs::read_to_string(
        common::repo().join("content/kungsor/kungsor-2020-digital-utveckling.source.txt"),
    )
    .unwrap();
    let blocks: Vec<&str> = source.split("\n\n").collect();
    let pages: Vec<String> = blocks
        .chunks(12)
        .enumerate()
        .map(|(n, chunk)| {
            format!(
                "Kungsörs kommun\nFörstudie digital utveckling\n\n{}\n\nSida {}\n",
                chunk.join("\n\n"),
                n + 1
            )
        })
        .collect();
    assert!(pages.len() >= 4);
    let text = site.path().join("kungsor.txt");
    std::fs::write(&text, pages.join("\u{c}")).unwrap();
    let out = insyn_ok(&["import", &text.display().to_string()], site.path());
    let draft_path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let draft = std::fs::read_to_string(&draft_path).unwrap();
    let kept = std::fs::read_to_string(draft_path.replace(".md", ".source.txt")).unwrap();
    assert!(!kept.contains("Sida 2"), "{kept}");
    assert!(!kept.contains("Förstudie digital utveckling"), "{kept}");
    // The paragraphs are the text's own, and the five conclusions are still found.
    assert!(
        kept.contains("\n\nKommunstyrelsens roll är att ha en övergripande styrning"),
        "{kept}"
    );
    let conclusions = draft
        .split("{.observations}")
        .nth(1)
        .expect("the conclusions");
    let items = conclusions
        .split("\n#")
        .next()
        .unwrap()
        .matches("\n- ")
        .count();
    assert_eq!(items, 5, "{conclusions}");
    insyn_ok(&["check"], site.path());
}
