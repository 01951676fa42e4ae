//! Tests of the whole walk: items, headings, footnotes, passages and safety together.

use super::*;

/// The labels the renderer writes, as a theme gives them.
fn texts() -> &'static Translations {
    static TEXTS: std::sync::OnceLock<Translations> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        let sv = [
            ("footnotes", "Fotnoter"),
            ("footnote_back", "Tillbaka till texten"),
            ("editorial_note", "Redaktionell anmärkning"),
            ("note", "Anmärkning"),
            ("permalink_observation", "Permalänk till iakttagelse"),
            ("permalink_recommendation", "Permalänk till rekommendation"),
        ];
        let sv = sv.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Translations::new([("sv".to_string(), sv.collect())].into())
    })
}

fn cx(questions: &[String]) -> BodyContext<'_> {
    BodyContext {
        file: Path::new("a.md"),
        first_line: 1,
        questions,
        allow_html: false,
        language: Language::Sv,
        texts: texts(),
    }
}

fn ids(r: &Rendered) -> Vec<&str> {
    r.items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn list_items_in_named_sections_are_items() {
    let q = vec!["rf1".to_string(), "rf2".to_string()];
    let md = "## Revisionsfråga 1 {#rf1}\n\nFråga?\n\n### Iakttagelser\n\nIntro.\n\n- A\n- B\n\n### Rekommendationer\n\n- C\n\n## Revisionsfråga 2 {#rf2}\n\n### Observationer\n\n- D\n\n## Övrigt\n\n- not an item\n";
    let r = render(md, &cx(&q));
    assert_eq!(ids(&r), ["rf1-o1", "rf1-o2", "rf1-r1", "rf2-o1"]);
    assert_eq!(r.items[0].text, "A");
    assert_eq!(r.items[2].kind, ItemKind::Recommendation);
    assert!(
        r.body
            .html
            .text()
            .contains("<li id=\"rf1-o1\" class=\"item observation\">")
    );
    assert!(r.body.html.text().contains("href=\"#rf1-r1\""));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn paragraphs_are_items_when_a_section_has_no_list() {
    let q = vec!["rf1".to_string()];
    let md = "### Finns en strategi? {#rf1 .observations}\n\nFörsta.\n\nAndra.\n\n> [!NOTE]\n> Redaktionellt.\n";
    let r = render(md, &cx(&q));
    assert_eq!(ids(&r), ["rf1-o1", "rf1-o2"]);
    assert!(
        r.body
            .html
            .text()
            .contains("<div id=\"rf1-o2\" class=\"item observation\">")
    );
    assert!(r.body.html.text().contains("Redaktionell anmärkning"));
}

#[test]
fn items_outside_questions_and_by_attribute() {
    let q = vec!["rf3".to_string()];
    let md = "## Väsentliga iakttagelser\n\n- X\n\n## 11. IT {question=rf3}\n\n### Kommentar {.recommendations}\n\n- Y\n";
    let r = render(md, &cx(&q));
    assert_eq!(ids(&r), ["o1", "rf3-r1"]);
    assert_eq!(r.items[1].question.as_deref(), Some("rf3"));
}

#[test]
fn unknown_question_attribute_is_an_error_with_a_line() {
    let md = "intro\n\n## A {question=rf9}\n";
    let r = render(md, &cx(&[]));
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].position.unwrap().line, 3);
}

#[test]
fn nested_lists_belong_to_their_item() {
    let md = "## Rekommendationer\n\n- A\n  - A1\n  - A2\n- B\n";
    let r = render(md, &cx(&[]));
    assert_eq!(ids(&r), ["r1", "r2"]);
    assert_eq!(r.items[0].text, "A A1 A2");
}

#[test]
fn footnotes_are_numbered_and_collected() {
    let md = "Text[^a] och[^b] igen[^a].\n\n[^a]: Första.\n[^b]: Andra.\n";
    let r = render(md, &cx(&[]));
    let html = &r.body.html.text();
    assert!(
        html.contains("<a href=\"#fn-a\" id=\"ref-fn-a\">1</a>"),
        "{html}"
    );
    assert!(html.contains("id=\"ref-fn-a-2\""), "{html}");
    assert!(html.contains("<li id=\"fn-b\">"), "{html}");
}

#[test]
fn raw_html_and_script_urls_are_neutralised() {
    let md = "Hej <script>alert(1)</script> [x](javascript:alert(1)) <b onclick=\"x()\">b</b>\n";
    let r = render(md, &cx(&[]));
    assert!(
        !r.body.html.text().contains("<script"),
        "{}",
        r.body.html.text()
    );
    assert!(
        !r.body.html.text().contains("javascript:"),
        "{}",
        r.body.html.text()
    );
    assert!(
        !r.body.html.text().contains("onclick"),
        "{}",
        r.body.html.text()
    );
}

#[test]
fn h1_in_the_body_is_demoted() {
    let r = render("# Titel\n\n## Under\n", &cx(&[]));
    assert!(
        r.body.html.text().contains("<h2 id=\"titel\">"),
        "{}",
        r.body.html.text()
    );
    assert!(r.body.html.text().contains("<h3 id=\"under\">"));
}

#[test]
fn heading_ids_cannot_inject_markup() {
    let r = render("## A {#x\"onmouseover=alert(1)}\n", &cx(&[]));
    assert_eq!(r.problems.len(), 1);
    assert!(
        !r.body.html.text().contains("onmouseover"),
        "{}",
        r.body.html.text()
    );
}

#[test]
fn duplicate_anchors_are_reported() {
    let r = render("## A {#x}\n\n## B {#x}\n", &cx(&[]));
    assert_eq!(r.problems.len(), 1);
}

#[test]
fn every_text_outside_items_is_a_passage_of_its_section() {
    let md = "Inledning.\n\n## Sammanfattning\n\nKort.\n\n## 3.3 Drift {#drift}\n\nEtt stycke[^k].\n\n- Punkt\n  - Underpunkt\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n> [!NOTE]\n> Redaktionens ord.\n\n### Iakttagelser\n\n- Ett fynd.\n\n[^k]: Källa.\n";
    let r = render(md, &cx(&[]));
    let passages = r.body.passages.get();
    let seen: Vec<(&str, &str, &str, bool, bool)> = passages
        .iter()
        .map(|p| {
            let f = p.flags;
            (
                p.text.as_str(),
                p.anchor.as_str(),
                p.section.as_str(),
                f.summary,
                f.editorial,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Inledning.", "", "", false, false),
            ("Kort.", "sammanfattning", "Sammanfattning", true, false),
            ("Ett stycke.", "drift", "3.3 Drift", false, false),
            ("Punkt Underpunkt", "drift", "3.3 Drift", false, false),
            ("A | B", "drift", "3.3 Drift", false, false),
            ("1 | 2", "drift", "3.3 Drift", false, false),
            ("Redaktionens ord.", "drift", "3.3 Drift", false, true),
            ("Källa.", "fn-k", "Fotnoter", false, false),
        ],
        "the item ({:?}) is not a passage of its own here",
        r.items[0].text
    );
}

#[test]
fn summary_text_is_collected() {
    let r = render(
        "## Sammanfattning\n\nEtt.\n\n- Två\n\n## Annat\n\nTre.\n",
        &cx(&[]),
    );
    assert_eq!(r.body.summary, "Ett.\nTvå");
}

#[test]
fn the_reports_quote_marks_and_dashes_are_kept() {
    let md = "## Iakttagelser\n\n- Den s.k. \"IT-strategin\" -- se 'bilaga' ...\n";
    let r = render(md, &cx(&[]));
    assert_eq!(
        r.items[0].text,
        "Den s.k. \"IT-strategin\" -- se 'bilaga' ..."
    );
    let html = r.body.html.text();
    assert!(
        html.contains("&quot;IT-strategin&quot; -- se 'bilaga' ...")
            || html.contains("\"IT-strategin\" -- se 'bilaga' ..."),
        "{html}"
    );
}
