//! A small fixture site exercising every feature of the content format, built and inspected,
//! with a snapshot of each page type.

mod common;

use common::{attr_values, broken_links, build_shared_site, count, files, fixture};
use std::sync::OnceLock;

fn site() -> &'static common::Built {
    static SITE: OnceLock<common::Built> = OnceLock::new();
    SITE.get_or_init(|| build_shared_site(&fixture("site"), "fixture"))
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
    // paginate_by = 2: the three recommendations of 2015 on two pages of the register.
    assert!(site.exists("rekommendationer/2015/sida/2/index.html"));
    assert!(!site.exists("rekommendationer/2015/sida/3/index.html"));
    let first = site.read("rekommendationer/2015/index.html");
    assert!(first.contains("rel=\"next\""));
    assert!(first.contains("aria-current=\"page\""));
    assert_eq!(count(&first, "class=\"item-entry item-recommendation\""), 2);
    // The overview links every year with recommendations, newest first, and counts them all.
    let overview = site.read("rekommendationer/index.html");
    let years: Vec<usize> = ["2021", "2019", "2015"]
        .iter()
        .map(|y| {
            overview
                .find(&format!("href=\"/insyn/rekommendationer/{y}/\""))
                .unwrap_or_else(|| panic!("{y} linked"))
        })
        .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "newest year first");
    assert!(overview.contains("<td class=\"num\">5</td>"), "the total");
    // Each recommendation is listed on exactly one register page.
    let listed: usize = files(&site.out)
        .iter()
        .filter(|f| f.starts_with("rekommendationer/"))
        .map(|f| count(&site.read(f), "class=\"item-entry item-recommendation\""))
        .sum();
    assert_eq!(listed, 5);
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
fn theme_pages_list_the_audits_filed_under_them() {
    let cards = |page: &str| -> Vec<String> {
        let html = site().read(page);
        html.split("class=\"card-title\"><a href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    // Question themes decide the items' themes, and so which audits a theme lists.
    assert_eq!(
        cards("tema/informationssakerhet/index.html"),
        ["/insyn/granskning/alfa/"]
    );
    assert_eq!(
        cards("tema/styrning/index.html"),
        ["/insyn/granskning/beta-2021/", "/insyn/granskning/alfa/"]
    );
    // The comparison grid's cells lead to the municipality's audits under the theme.
    let compare = site().read("jamfor/index.html");
    assert!(compare.contains("href=\"/insyn/kommun/ostersund/#tema-informationssakerhet\""));
    let ostersund = site().read("kommun/ostersund/index.html");
    let section = common::from_to(&ostersund, "id=\"tema-informationssakerhet\"", "</section>");
    assert!(
        section.contains("href=\"/insyn/granskning/alfa/\""),
        "{section}"
    );
    assert!(!section.contains("beta-2021"), "{section}");
    // No page per grid cell any more.
    assert!(
        !files(&site().out)
            .iter()
            .any(|f| f.starts_with("jamfor/") && f != "jamfor/index.html")
    );
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
        ("register", "rekommendationer/index.html"),
        ("recommendations", "rekommendationer/2015/index.html"),
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

#[test]
fn bodies_passages_and_entries_are_read_back_from_the_spill_file_which_leaves_nothing_behind() {
    let built = site();
    // Every audit's body, passages and register entries went through the file …
    assert!(
        built.report.spilled_bytes > 1000,
        "spilled {} bytes",
        built.report.spilled_bytes
    );
    // … and came back whole: the pages hold them (checked in detail by the tests above).
    let page = built.read("granskning/alfa/index.html");
    assert!(page.contains("id=\"rf1-r1\""), "{page}");
    let register = built.read("rekommendationer/2019/index.html");
    assert!(register.contains("/granskning/alfa/#rf1-r1"), "{register}");
    // The file had no name: beside the output there is only the output.
    let beside: Vec<String> = std::fs::read_dir(built.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"]);
}
