//! A small fixture site exercising every feature of the content format, built and inspected,
//! with a snapshot of each page type.

mod common;

use common::{attr_values, broken_links, build_site, count, files, fixture};
use std::sync::OnceLock;

fn site() -> &'static common::Built {
    static SITE: OnceLock<common::Built> = OnceLock::new();
    SITE.get_or_init(|| build_site(&fixture("site")))
}

#[test]
fn items_get_ids_from_their_sections() {
    let html = site().read("granskning/alfa/index.html");
    let ids = attr_values(&html, "id");
    for id in ["rf1-o1", "rf1-o2", "rf1-r1", "rf2-o1", "rf2-o2", "rf2-o3"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // Items outside questions: o1, r1 (and the file name is the id when none is given).
    let beta = site().read("granskning/beta-2021/index.html");
    assert!(beta.contains("<li id=\"o1\" class=\"item observation\">"));
    assert!(beta.contains("<li id=\"r1\" class=\"item recommendation\">"));
}

#[test]
fn raw_html_is_sanitised() {
    let html = site().read("granskning/alfa/index.html");
    assert!(!html.contains("<script>alert"), "script survived");
    assert!(!html.contains("onclick"), "event handler survived");
    assert!(html.contains("<b>fetstil</b>"));
}

#[test]
fn markdown_extensions_render() {
    let html = site().read("granskning/alfa/index.html");
    assert!(html.contains("<table>"), "tables");
    assert!(html.contains("class=\"footnotes\""), "footnotes");
    assert!(html.contains("Redaktionell anmärkning"), "editorial notes");
    assert!(html.contains("<sup class=\"footnote-ref\"><a href=\"#fn-1\""));
}

#[test]
fn follow_ups_update_statuses_and_link_both_ways() {
    let site = site();
    let alfa = site.read("granskning/alfa/index.html");
    assert!(
        alfa.contains("href=\"/insyn/granskning/beta-2021/\""),
        "followed up by"
    );
    let beta = site.read("granskning/beta-2021/index.html");
    assert!(
        beta.contains("href=\"/insyn/granskning/alfa/\""),
        "follows up"
    );
    // The recommendation's status comes from the later follow-up.
    let recs: String = files(&site.out)
        .iter()
        .filter(|f| f.starts_with("rekommendationer/"))
        .map(|f| site.read(f))
        .collect();
    assert!(
        recs.contains("status-genomford"),
        "status updated by follows_up"
    );
    assert!(!recs.contains("status-oppen"));
}

#[test]
fn listings_paginate_and_sort() {
    let site = site();
    // paginate_by = 2: five recommendations on three pages.
    assert!(site.exists("rekommendationer/sida/3/index.html"));
    assert!(!site.exists("rekommendationer/sida/4/index.html"));
    let first = site.read("rekommendationer/index.html");
    assert!(first.contains("rel=\"next\""));
    assert!(first.contains("aria-current=\"page\""));
    // Newest first.
    let audits = site.read("granskning/index.html");
    assert!(
        audits.find("Uppföljning av IT-styrningen") < audits.find("Granskning av IT-styrningen")
    );
    // Åre before Östersund (å before ö), both after z-less names.
    let kommuner = site.read("kommun/index.html");
    assert!(kommuner.find(">Åre<") < kommuner.find(">Östersund<"));
    assert!(site.exists("kommun/ostersund/index.html"));
    assert!(site.exists("kommun/are/index.html"));
}

#[test]
fn theme_pages_list_items_filed_under_them() {
    let html = site().read("tema/kompetens/index.html");
    assert_eq!(count(&html, "class=\"item-entry item-recommendation\""), 2);
    let page2 = site().read("tema/kompetens/sida/2/index.html");
    assert_eq!(count(&page2, "class=\"item-entry item-recommendation\""), 1);
    // Question themes decide the items' themes.
    let sak = site().read("tema/informationssakerhet/index.html");
    assert!(sak.contains("Riskanalyser görs inte."));
    assert!(!sak.contains("Strategin saknas."));
}

#[test]
fn links_resolve_under_a_base_path() {
    let broken = broken_links(&site().out, "/insyn/");
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Replaces cache-busting hashes (`?v=1a2b3c4d`) so a stylesheet change does not change
/// every snapshot: what the snapshots guard is the markup.
fn without_asset_hashes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("?v=") {
        out.push_str(&rest[..i]);
        out.push_str("?v=HASH");
        let after = &rest[i + 3..];
        rest = &after[after
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(after.len())..];
    }
    out.push_str(rest);
    out
}

/// One snapshot per page type: a change to the theme or the renderer shows up as a diff.
#[test]
fn page_type_snapshots() {
    let site = site();
    for (name, page) in [
        ("home", "index.html"),
        ("audit", "granskning/alfa/index.html"),
        ("audits", "granskning/index.html"),
        ("municipalities", "kommun/index.html"),
        ("municipality", "kommun/ostersund/index.html"),
        ("auditors", "revisionsbyra/index.html"),
        ("auditor", "revisionsbyra/pwc/index.html"),
        ("themes", "tema/index.html"),
        ("theme", "tema/styrning/index.html"),
        ("years", "ar/index.html"),
        ("year", "ar/2019/index.html"),
        ("recommendations", "rekommendationer/index.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(name, without_asset_hashes(&site.read(page)));
    }
}

#[test]
fn derived_levels_carry_a_visible_legend() {
    let site = site();
    let problems = common::derived_legend_problems(&site.out);
    assert!(problems.is_empty(), "{problems:#?}");
    // alfa's level is derived: every list of cards showing it says once, after the list,
    // what the mark means.
    let legend = "<p class=\"derived-legend\"><span class=\"derived-mark\" aria-hidden=\"true\">*</span> Redaktionens tolkning av revisorernas ord: revisorerna har inte själva angett nivån.</p>";
    for page in [
        "index.html",
        "granskning/index.html",
        "kommun/ostersund/index.html",
    ] {
        let html = site.read(page);
        assert_eq!(count(&html, legend), 1, "{page}");
        let list_end = html.find("</ol>").unwrap();
        assert!(
            html.find(legend).unwrap() > list_end,
            "{page}: after the list"
        );
    }
    // Åre's audits have no derived level, and no legend.
    let are = site.read("kommun/are/index.html");
    assert!(are.contains("card-list"));
    assert!(!are.contains("derived-legend"));
    assert!(!are.contains("redaktionens tolkning"));
    // The audit page says it beside the overall level.
    let alfa = site.read("granskning/alfa/index.html");
    assert!(alfa.contains("<p class=\"basis\"><span class=\"derived-mark\" aria-hidden=\"true\">*</span> Nivån är redaktionens tolkning av revisorernas ord"));
}
