//! Search relevance on the five published audits: Swedish queries a journalist or citizen
//! would type, and the passage they should find first.

mod common;

use insyn_search::engine::MAX_LIMIT;
use insyn_search::{Engine, Filters, Hit, Request, Response, Sort};

fn engine() -> &'static Engine {
    common::published_engine()
}

fn search(q: &str) -> Response {
    engine().search(&Request {
        q: q.to_string(),
        limit: 50,
        ..Request::default()
    })
}

fn ids(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| format!("{}#{}", h.audit, h.item))
        .collect()
}

fn contains_word(hit: &Hit, word: &str) -> bool {
    hit.text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

const ALVESTA: &str = "alvesta-2017-it-verksamheten";
const KUMLA: &str = "kumla-2012-it-funktionens-uppdrag";
const OREBRO: &str = "orebro-2015-it-verksamhet";
const JONKOPING: &str = "jonkoping-2008-it-styrning-och-it-effektivitet";

#[test]
fn the_expected_passage_comes_first() {
    let top = |q: &str| ids(&search(q).hits[..1])[0].clone();
    assert_eq!(top("jourverksamhet"), format!("{ALVESTA}#rf1-o9"));
    assert_eq!(
        top("systemförvaltarrollen komplex"),
        format!("{KUMLA}#rf3-r1")
    );
    // The source spells it both "Chromebooks" and "Chormebooks"; a typo finds the first.
    assert_eq!(top("Chromebooks"), top("Cromebooks"));
}

#[test]
fn inflected_forms_find_each_other() {
    let a = search("rekommendationerna");
    let b = search("rekommendation");
    assert!(a.total > 0);
    assert_eq!(ids(&a.hits), ids(&b.hits));
    // Definite and plural forms of "kommun".
    assert_eq!(
        ids(&search("kommunernas").hits),
        ids(&search("kommun").hits)
    );
}

#[test]
fn a_part_finds_the_compound_and_whole_words_rank_first() {
    let r = search("kompetens");
    let all = ids(&r.hits);
    // "beställarkompetens" in Alvesta's rf1-r1, found by its part.
    assert!(all.contains(&format!("{ALVESTA}#rf1-r1")), "{all:?}");
    let part_only = |h: &Hit| !contains_word(h, "kompetens") && !contains_word(h, "kompetensen");
    assert!(part_only(
        r.hits
            .iter()
            .find(|h| h.item == "rf1-r1" && h.audit == ALVESTA)
            .unwrap()
    ));
    // Whole-word matches rank above part matches.
    let first_part_only = r
        .hits
        .iter()
        .position(part_only)
        .expect("some part matches");
    assert!(first_part_only > 0, "a whole-word hit comes first");
    assert!(!part_only(&r.hits[0]));
    // "säkerhet" finds "informationssäkerhetspolicy".
    let s = search("säkerhet");
    assert!(s.hits.iter().any(|h| {
        h.text
            .to_lowercase()
            .contains("informationssäkerhetspolicy")
    }));
}

#[test]
fn a_head_the_corpus_never_uses_alone_finds_its_compounds() {
    // No audit says "kalkyl" alone: Swedish's lexicon splits Örebro's "lönsamhetskalkyl".
    let r = search("kalkyl");
    let all = ids(&r.hits);
    assert!(all.contains(&format!("{OREBRO}#rf7-o1")), "{all:?}");
    let hit = r
        .hits
        .iter()
        .find(|h| h.audit == OREBRO && h.item == "rf7-o1");
    assert!(hit.is_some_and(|h| h.snippet.contains("<mark>lönsamhetskalkyl</mark>")));
    // "nyttokalkyl" (`nytto-` for `nytta`), in Alvesta's rf3-r3.
    assert!(all.contains(&format!("{ALVESTA}#rf3-r3")), "{all:?}");
}

#[test]
fn strategi_finds_it_strategin() {
    // Kumla's rf1-o2 and Jönköping's o4 say "IT-strategin" and no other form of "strategi":
    // the stemmer leaves the definite "strategin" alone, the lexicon gives its base form.
    let every = engine().search(&Request {
        q: "strategi".into(),
        limit: 1000,
        ..Request::default()
    });
    let all = ids(&every.hits);
    for id in [format!("{KUMLA}#rf1-o2"), format!("{JONKOPING}#o4")] {
        assert!(all.contains(&id), "{id} not in {all:?}");
    }
}

#[test]
fn a_compound_finds_its_parts_written_apart() {
    // "IT-styrning" finds "styrning av IT".
    let r = search("IT-styrning");
    assert!(
        r.hits.iter().any(|h| h.text.contains("styrning av IT")),
        "{:#?}",
        ids(&r.hits)
    );
    // The hyphenated form itself ranks first.
    assert!(r.hits[0].text.contains("IT-styrning"), "{}", r.hits[0].text);
}

#[test]
fn hyphenated_terms_match_joined_and_split() {
    let hyphen = search("IT-säkerhet");
    let split = search("IT säkerhet");
    let joined = search("itsäkerhet");
    assert!(hyphen.total > 0 && joined.total > 0 && split.total > 0);
    let first = |r: &Response| {
        r.hits
            .iter()
            .take(3)
            .map(|h| (h.audit.clone(), h.url.clone()))
            .collect::<Vec<_>>()
    };
    let same = |a: &Hit, b: &Hit| a.audit == b.audit && a.url == b.url && a.text == b.text;
    // Every passage with "IT-säkerhet" is found by all three.
    for h in hyphen
        .hits
        .iter()
        .filter(|h| h.text.contains("IT-säkerhet "))
    {
        assert!(
            joined.hits.iter().any(|j| same(j, h)),
            "joined misses {}",
            h.url
        );
        assert!(
            split.hits.iter().any(|j| same(j, h)),
            "split misses {}",
            h.url
        );
    }
    assert!(!first(&hyphen).is_empty());
}

#[test]
fn phrases_match_exactly() {
    let r = search("\"styrning av IT\"");
    assert!(r.total >= 1);
    // The words in this order, each in any inflection ("styrningen av IT").
    for h in &r.hits {
        let text = h.text.to_lowercase();
        assert!(
            text.contains("styrning av it") || text.contains("styrningen av it"),
            "{}",
            h.text
        );
    }
    // The same words in another order are not the phrase.
    assert!(search("\"IT av styrning\"").total == 0);
}

#[test]
fn a_typo_still_finds_the_word() {
    let r = search("informationssäkerhte");
    assert!(r.total > 0);
    let corrections: Vec<(&str, &str)> = r
        .corrections
        .iter()
        .map(|c| (c.typed.as_str(), c.read.as_str()))
        .collect();
    assert_eq!(
        corrections,
        [("informationssäkerhte", "informationssäkerhet")],
        "the status names the word searched instead, as the reports write it"
    );
    assert!(r.hits[0].snippet.contains("<mark>"));
    assert!(
        r.hits
            .iter()
            .all(|h| h.text.to_lowercase().contains("informationssäkerhet"))
    );
    assert_eq!(search("systemförvaltnig").corrections.len(), 1);
}

#[test]
fn or_exclusion_and_prefix() {
    let pm3 = search("pm3").total;
    let itil = search("itil").total;
    let either = search("pm3 OR ITIL").total;
    assert!(either >= pm3.max(itil) && either <= pm3 + itil);
    let all = search("informationssäkerhet").total;
    let without = search("informationssäkerhet -policy");
    assert!(without.total < all);
    assert!(without.hits.iter().all(|h| !contains_word(h, "policy")));
    // Prefixes match indexed stems: `rekommender*` finds every word beginning `rekommend`.
    let prefix = search("rekommender*");
    assert!(
        prefix
            .hits
            .iter()
            .all(|h| h.text.to_lowercase().contains("rekommend"))
    );
    assert!(prefix.total >= 4);
    assert!(
        search("digitali*")
            .hits
            .iter()
            .any(|h| h.text.to_lowercase().contains("digitaliseringen"))
    );
}

#[test]
fn filters_restrict_and_facets_count() {
    let all = search("säkerhet");
    let kumla = engine().search(&Request {
        q: "säkerhet".into(),
        filters: Filters {
            municipality: vec!["kumla".into()],
            ..Filters::default()
        },
        limit: 100,
        ..Request::default()
    });
    assert!(kumla.total > 0 && kumla.total < all.total);
    assert!(kumla.hits.iter().all(|h| h.municipality_slug == "kumla"));
    // The municipality facet is counted as if its own filter were off.
    let m = &kumla.facets["municipality"];
    assert_eq!(m.iter().map(|v| v.count).sum::<u64>() as usize, all.total);
    assert_eq!(
        m.iter().find(|v| v.value == "kumla").unwrap().count as usize,
        kumla.total
    );
    assert_eq!(
        m.iter().find(|v| v.value == "jonkoping").unwrap().label,
        "Jönköping"
    );

    let recs = engine().search(&Request {
        q: "säkerhet".into(),
        filters: Filters {
            kind: vec!["recommendation".into()],
            year_from: Some(2010),
            year_to: Some(2016),
            ..Filters::default()
        },
        limit: 100,
        ..Request::default()
    });
    assert!(recs.total > 0);
    assert!(
        recs.hits
            .iter()
            .all(|h| h.kind == "recommendation" && (2010..=2016).contains(&h.year))
    );
    let themed = engine().search(&Request {
        q: String::new(),
        filters: Filters {
            theme: vec!["dataskydd".into()],
            auditor: vec!["pwc".into()],
            ..Filters::default()
        },
        limit: 100,
        ..Request::default()
    });
    assert!(themed.total > 0, "filters alone browse the index");
    assert!(
        themed
            .hits
            .iter()
            .all(|h| h.themes.contains(&"dataskydd".to_string()) && h.auditor_key == "pwc")
    );
}

/// Themes are counted through each audit's numbering of its theme sets and filtered through
/// the indexed theme terms: the two must agree for every theme, and every hit a theme
/// filter finds must show that theme.
#[test]
fn theme_counts_agree_with_the_theme_filter() {
    let browse = |theme: Vec<String>| {
        engine().search(&Request {
            filters: Filters {
                theme,
                ..Filters::default()
            },
            limit: MAX_LIMIT,
            ..Request::default()
        })
    };
    let counts = &browse(Vec::new()).facets["theme"];
    assert!(counts.len() > 3, "the published audits have several themes");
    for value in counts {
        let filtered = browse(vec![value.value.clone()]);
        assert_eq!(filtered.total as u64, value.count, "theme {}", value.value);
        assert!(
            filtered
                .hits
                .iter()
                .all(|h| h.themes.contains(&value.value)),
            "theme {}",
            value.value
        );
    }
}

#[test]
fn sort_by_date_puts_the_newest_first() {
    let r = engine().search(&Request {
        q: "kompetens".into(),
        sort: Sort::Date,
        limit: 100,
        ..Request::default()
    });
    let dates: Vec<&str> = r.hits.iter().map(|h| h.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn hits_link_to_the_item_anchor_and_snippets_are_escaped() {
    let r = search("jourverksamhet");
    let h = &r.hits[0];
    assert_eq!(h.url, format!("/granskning/{ALVESTA}/#rf1-o9"));
    assert_eq!(h.kind, "observation");
    assert_eq!(h.municipality, "Alvesta");
    assert_eq!(h.auditor, "PwC");
    assert!(
        h.question
            .as_deref()
            .unwrap()
            .starts_with("Är IT-leveransen")
    );
    assert!(h.snippet.contains("<mark>jourverksamhet</mark>"));
    assert!(
        !h.snippet
            .replace("<mark>", "")
            .replace("</mark>", "")
            .contains('<')
    );
}

#[test]
fn nonsense_finds_nothing_and_never_fails() {
    for q in [
        "",
        "   ",
        "\"",
        "OR",
        "-",
        "*",
        "-säkerhet",
        "\"\"",
        "((((",
        "och att i",
    ] {
        let r = search(q);
        assert_eq!(r.total, r.hits.len().max(r.total), "{q:?}");
    }
    assert_eq!(search("xyzzyplugh").total, 0);
    // Only exclusions: every passage but those.
    let everything = search("-xyzzyplugh").total;
    assert_eq!(
        search("-säkerhet").total + search("säkerhet").total,
        everything
    );
}

/// Observations and recommendations the editors chose (Kumla's and Örebro's) are a facet
/// of their own, labelled as the editors', and the hits say so.
#[test]
fn the_editors_choices_are_a_facet() {
    let request = |origin: &[&str]| Request {
        q: "kommunen".into(),
        filters: Filters {
            origin: origin.iter().map(|o| o.to_string()).collect(),
            ..Filters::default()
        },
        limit: 100,
        ..Request::default()
    };
    let all = engine().search(&request(&[]));
    let editorial = engine().search(&request(&["editorial"]));
    assert!(editorial.total > 0 && editorial.total < all.total);
    for hit in &editorial.hits {
        assert!(hit.editorial && hit.kind == "recommendation", "{hit:?}");
        assert!(hit.audit == KUMLA || hit.audit == OREBRO, "{hit:?}");
    }
    let facet = &all.facets["origin"];
    let value = |v: &str| facet.iter().find(|f| f.value == v).unwrap();
    assert_eq!(value("editorial").label, "Redaktionens urval");
    assert_eq!(value("editorial").count as usize, editorial.total);
    assert_eq!(value("report").label, "Rapportens egen");
    let report = engine().search(&request(&["report"]));
    assert!(
        report
            .hits
            .iter()
            .all(|h| !h.editorial && !h.item.is_empty())
    );
    assert_eq!(value("report").count as usize, report.total);
}
