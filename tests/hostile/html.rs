//! Hostile input: raw HTML in items and body text, and CSV formula injection.

use super::*;

/// Elements that would swallow or garble the rest of a page (issue 11, defect 4), and tags
/// that would re-nest the wrapper markup around an item.
const BREAKERS: &[&str] = &[
    "<style>",
    "<textarea>",
    "<title>",
    "<xmp>",
    "<noscript>",
    "<iframe>",
    "<plaintext>",
    "<b>",
    "</div>",
    "</li></ul><div>",
];

/// An audit whose first observation ends in `tag`, followed by more items and text.
fn breaking(tag: &str) -> String {
    audit(
        &[],
        &format!(
            "## Iakttagelser\n\n- Observation ett. {tag}\n- Observation två.\n\n## Rekommendationer\n\n- Rekommendation ett.\n\nSista stycket.\n"
        ),
    )
}

/// Fields that a spreadsheet would run as formulas, in the front matter and items.
fn formulas() -> String {
    audit(
        &[
            (
                "title",
                Some("\"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\""),
            ),
            ("commissioned_by", Some("\"+cmd|' /C calc'!A0\"")),
            ("items", Some("{ o1: { addressee: \"=HYPERLINK(1)\" } }")),
        ],
        "## Iakttagelser\n\n- =1+1\n- +SUM(A1)\n- -2+3\n- @SUM(1)\n- \tTabb\n",
    )
}

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = BREAKERS
        .iter()
        .map(|tag| {
            safe(
                "raw HTML that would break the page, in an item",
                one(breaking(tag)),
            )
        })
        .collect();
    cases.push(safe(
        "a style element in body text and in a footnote",
        one(audit(
            &[],
            "Ett <style> stycke.[^a]\n\nNästa stycke.\n\n[^a]: Not <textarea> här.\n\nEfter noten.\n",
        )),
    ));
    cases.push(safe(
        "CSV formula characters in exported fields",
        one(formulas()),
    ));
    cases
}

/// The audit pages of a site built from `audits` (one file each, `content/a<n>.md`), in
/// order, and what `check` says of it.
fn built(audits: &[String]) -> (Vec<String>, Vec<insyn::diagnostics::Diagnostic>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::copy(
        common::fixture("site").join("insyn.toml"),
        root.join("insyn.toml"),
    )
    .unwrap();
    for (n, markdown) in audits.iter().enumerate() {
        write(&root, &format!("content/a{n}.md"), markdown);
    }
    let options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
        drafts: false,
    };
    build(&options).unwrap_or_else(|e| panic!("{audits:?}: {e:?}"));
    let pages = (0..audits.len())
        .map(|n| {
            let page = common::files(&root.join("public"))
                .into_iter()
                .find(|f| f.starts_with("granskning/") && f.ends_with(&format!("a{n}/index.html")))
                .expect("an audit page");
            fs::read_to_string(root.join("public").join(page)).unwrap()
        })
        .collect();
    let checked = insyn::check::check(&options);
    (pages, checked.problems.iter().cloned().collect())
}

#[test]
fn raw_html_in_an_item_stays_in_the_item_and_check_names_its_line() {
    let audits: Vec<String> = BREAKERS.iter().map(|tag| breaking(tag)).collect();
    let (pages, problems) = built(&audits);
    let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
    for (n, (tag, html)) in BREAKERS.iter().zip(&pages).enumerate() {
        let main = &html[html.find("<main").unwrap()..];
        // Everything after the item is still markup the browser renders, in its place.
        for later in [
            "<li id=\"o2\" class=\"item observation\"><div class=\"item-text\">Observation två.</div>",
            "<li id=\"r1\" class=\"item recommendation\"><div class=\"item-text\">Rekommendation ett.</div>",
            "<p>Sista stycket.</p>",
            "</main>",
        ] {
            assert!(main.contains(later), "{tag}: `{later}` is missing:\n{main}");
        }
        let first = &main[main.find("<li id=\"o1\"").unwrap()..main.find("<li id=\"o2\"").unwrap()];
        assert!(
            first.contains("Observation ett.") && first.ends_with("</li>\n"),
            "{tag}: {first}"
        );
        let name = tag.trim_start_matches("</").trim_start_matches('<');
        let name = &name[..name.find('>').unwrap()];
        if ["b", "div", "li"].contains(&name) {
            // Kept only balanced, inside the item.
            for n in ["b", "div", "li"] {
                let (open, close) = (format!("<{n}"), format!("</{n}>"));
                assert_eq!(
                    common::count(first, &open),
                    common::count(first, &close),
                    "{tag}: {first}"
                );
            }
        } else {
            assert!(!first.contains(&format!("<{name}")), "{tag}: {first}");
        }
        // `check` fails, at the item's line, naming the element.
        let file = format!("content/a{n}.md");
        assert!(
            problems.iter().any(|d| d.is_error()
                && d.file == Path::new(&file)
                && d.position.map(|p| (p.line, p.column)) == Some((13, 20))
                && d.message.contains(name)),
            "{tag}: check said {found:#?}"
        );
    }
}

#[test]
fn balanced_harmless_html_in_an_item_passes_check() {
    let (pages, problems) = built(&[audit(
        &[],
        "## Iakttagelser\n\n- Observation <b>fet</b> och<br>ny rad.\n",
    )]);
    let html = &pages[0];
    assert!(
        html.contains("Observation <b>fet</b> och<br>ny rad."),
        "{html}"
    );
    assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
}

#[test]
fn raw_text_elements_in_body_text_stay_in_their_paragraph() {
    let (pages, problems) = built(&[audit(
        &[],
        "Ett <style> stycke.[^a]\n\nNästa stycke.\n\n[^a]: Not <textarea> här.\n\nEfter noten.\n",
    )]);
    let html = &pages[0];
    assert!(html.contains("<p>Nästa stycke.</p>"), "{html}");
    assert!(html.contains("<p>Efter noten.</p>"), "{html}");
    assert!(
        html.contains("Not  här.") || html.contains("Not här."),
        "{html}"
    );
    assert!(
        problems
            .iter()
            .any(|d| d.is_error() && d.message.contains("<style>")),
        "{problems:?}"
    );
}

#[test]
fn no_csv_cell_starts_a_formula_and_json_keeps_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::copy(
        common::fixture("site").join("insyn.toml"),
        root.join("insyn.toml"),
    )
    .unwrap();
    write(&root, "content/a.md", formulas());
    let options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
        drafts: false,
    };
    build(&options).unwrap_or_else(|e| panic!("{e:?}"));
    let csv = common::parse_csv(&common::data_file(&root.join("public"), "observations.csv"));
    let cells: Vec<&String> = csv.iter().flatten().collect();
    for start in ['=', '+', '-', '@', '\t', '\r'] {
        assert!(
            cells.iter().all(|c| !c.starts_with(start)),
            "a cell starts with {start:?}: {csv:?}"
        );
    }
    for text in ["'=1+1", "'+SUM(A1)", "'-2+3", "'@SUM(1)", "'=HYPERLINK(1)"] {
        assert!(cells.iter().any(|c| *c == text), "{text} missing: {csv:?}");
    }
    let json = common::data_file(&root.join("public"), "observations.json");
    assert!(json.contains("\"text\":\"=1+1\""), "{json}");
}
