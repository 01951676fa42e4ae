//! Publishing outputs: feeds, sitemap, open data with its schemas and catalogue, JSON-LD,
//! the recommendation register with follow-up statuses, the boards' responses, statistics,
//! comparisons, and the public-sector pages.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::{build_shared_site, build_site, count, files, fixture, repo};

fn site() -> &'static common::Built {
    static SITE: OnceLock<common::Built> = OnceLock::new();
    SITE.get_or_init(|| build_shared_site(&fixture("site"), "fixture"))
}

fn published() -> &'static common::Built {
    static SITE: OnceLock<common::Built> = OnceLock::new();
    SITE.get_or_init(|| build_shared_site(&repo(), "published"))
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not valid XML: {e}\n{text}"))
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

#[test]
fn feeds_are_valid_atom_with_the_right_entries() {
    let site = site();
    let all = site.read("atom.xml");
    let doc = xml(&all);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(entries.len(), 3);
    // Newest first, with permalinks as ids.
    let id = |e: &roxmltree::Node<'_, '_>| {
        e.children()
            .find(|n| n.has_tag_name((ATOM, "id")))
            .unwrap()
            .text()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        id(&entries[0]),
        "https://test.example.se/insyn/granskning/beta-2021/"
    );
    for e in &entries {
        for tag in ["title", "id", "updated", "author", "summary", "link"] {
            assert!(
                e.children().any(|n| n.has_tag_name((ATOM, tag))),
                "entry has {tag}"
            );
        }
    }
    // One feed per municipality, firm and theme, listing only theirs.
    let are = xml(&site.read("kommun/are/atom.xml"))
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .count();
    assert_eq!(are, 1);
    for f in [
        "revisionsbyra/pwc/atom.xml",
        "tema/kompetens/atom.xml",
        "kommun/ostersund/atom.xml",
    ] {
        xml(&site.read(f));
    }
    // Autodiscovery: every page has the site feed; term pages their own.
    assert!(site.read("index.html").contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Testsajt: Alla granskningar\" href=\"/insyn/atom.xml\">"));
    assert!(
        site.read("kommun/are/index.html")
            .contains("href=\"/insyn/kommun/are/atom.xml\"")
    );
}

#[test]
fn the_sitemap_lists_every_page_with_absolute_urls() {
    let site = site();
    let text = site.read("sitemap.xml");
    let doc = xml(&text);
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages = files(&site.out)
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        .count();
    assert_eq!(locs.len(), pages, "every page but 404.html");
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://test.example.se/insyn/"))
    );
    assert!(locs.contains(&"https://test.example.se/insyn/granskning/alfa/".to_string()));
    // robots.txt only at a domain's root: the fixture lives under /insyn/.
    assert!(!site.exists("robots.txt"));
    let robots = published().read("robots.txt");
    assert!(robots.contains("Sitemap: https://insyn.example.se/sitemap.xml"));
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(schema).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

#[test]
fn open_data_round_trips_and_validates_against_its_schemas() {
    for site in [site(), published()] {
        let item_schema = validator(&site.read("data/schema/item.schema.json"));
        let audit_schema = validator(&site.read("data/schema/audit.schema.json"));
        let audits: Vec<serde_json::Value> =
            serde_json::from_str(&site.data("audits.json")).unwrap();
        assert_eq!(audits.len(), site.report.audits);
        for a in &audits {
            let errors: Vec<String> = audit_schema.iter_errors(a).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", a["id"]);
        }
        for (kind, total) in [
            ("observations", site.report.observations),
            ("recommendations", site.report.recommendations),
        ] {
            let json: Vec<serde_json::Value> =
                serde_json::from_str(&site.data(&format!("{kind}.json"))).unwrap();
            assert_eq!(json.len(), total, "{kind}");
            for r in &json {
                let errors: Vec<String> =
                    item_schema.iter_errors(r).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "{}: {errors:?}", r["id"]);
            }
            // The CSV holds exactly the same records.
            let csv = common::parse_csv(&site.data(&format!("{kind}.csv")));
            let header = &csv[0];
            assert_eq!(csv.len() - 1, json.len());
            for (row, record) in csv[1..].iter().zip(&json) {
                let from_csv: BTreeMap<&str, &str> = header
                    .iter()
                    .map(String::as_str)
                    .zip(row.iter().map(String::as_str))
                    .collect();
                for (key, value) in record.as_object().unwrap() {
                    let expected = match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    assert_eq!(
                        from_csv[key.as_str()],
                        expected,
                        "{kind} {} {key}",
                        record["id"]
                    );
                }
            }
            // Stable ids and permalinks.
            let ids: std::collections::BTreeSet<&str> =
                json.iter().map(|r| r["id"].as_str().unwrap()).collect();
            assert_eq!(ids.len(), json.len(), "ids are unique");
        }
    }
    let recs: Vec<serde_json::Value> =
        serde_json::from_str(&published().data("recommendations.json")).unwrap();
    let r = recs
        .iter()
        .find(|r| r["id"] == "alvesta-2017-it-verksamheten#rf3-r1")
        .unwrap();
    assert_eq!(
        r["url"],
        "https://insyn.example.se/granskning/alvesta-2017-it-verksamheten/#rf3-r1"
    );
}

#[test]
fn the_bulk_download_holds_every_record_once() {
    let bytes = std::fs::read(site().out.join("data/insyn-data.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    for f in [
        "audits.json",
        "observations.csv",
        "recommendations.csv",
        "schema/item.schema.json",
        "catalog.rdf",
    ] {
        assert!(
            names.contains(&format!("insyn-data/{f}")),
            "{f} in {names:?}"
        );
    }
    // The datasets are published zipped only, in both formats; beside the zip only the
    // catalogue and the schemas.
    for f in ["recommendations.json", "observations.json"] {
        assert!(names.contains(&format!("insyn-data/{f}")), "{f}");
    }
    let mut loose: Vec<String> = std::fs::read_dir(site().out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    loose.sort();
    assert_eq!(loose, ["catalog.rdf", "insyn-data.zip", "schema"]);
    // Every recommendation once in each format.
    let csv = common::parse_csv(&site().data("recommendations.csv"));
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&site().data("recommendations.json")).unwrap();
    assert_eq!(csv.len() - 1, json.len());
    assert_eq!(json.len(), site().report.recommendations);
}

#[test]
fn the_dcat_catalogue_describes_every_dataset() {
    let site = site();
    let text = site.read("data/catalog.rdf");
    let doc = xml(&text);
    let dcat = "http://www.w3.org/ns/dcat#";
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name((dcat, "Dataset")))
            .count(),
        3
    );
    let downloads: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((dcat, "downloadURL")))
        .map(|n| n.attribute((rdf, "resource")).unwrap())
        .collect();
    assert_eq!(downloads.len(), 5);
    for url in downloads {
        let file = url.strip_prefix("https://test.example.se/insyn/").unwrap();
        assert!(site.exists(file), "{file} exists");
    }
    assert!(text.contains("<foaf:name>Testutgivaren</foaf:name>"));
    assert!(text.contains("mailto:test@example.se"));
}

/// The `field` of each record in a dataset's JSON (`[` and `]` around a record a line).
fn field_of_records(json: &str, field: &str) -> Vec<String> {
    let records: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    records.iter().map(|r| r[field].to_string()).collect()
}

#[test]
fn split_by_year_the_bulk_download_is_a_zip_a_year_holding_that_years_records() {
    let dir = common::copy_fixture("site");
    let config = dir.path().join("insyn.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[open_data]\nsplit = \"year\"\n")).unwrap();
    let split = build_site(dir.path());
    let whole = site();
    let audits: Vec<serde_json::Value> = serde_json::from_str(&whole.data("audits.json")).unwrap();
    let mut years: Vec<i64> = audits.iter().map(|a| a["year"].as_i64().unwrap()).collect();
    years.dedup();
    assert!(
        years.len() > 1,
        "the fixture's audits span years: {years:?}"
    );
    let zips: Vec<String> = years
        .iter()
        .map(|y| format!("insyn-data-{y}.zip"))
        .collect();
    let mut loose: Vec<String> = std::fs::read_dir(split.out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    loose.sort();
    let mut expected = zips.clone();
    expected.extend(["catalog.rdf".to_string(), "schema".to_string()]);
    expected.sort();
    assert_eq!(loose, expected, "no insyn-data.zip, a zip a year");
    // Each year's zip holds that year's records, and together every record once.
    for dataset in ["audits.json", "observations.json", "recommendations.json"] {
        let mut together = Vec::new();
        for (zip, year) in zips.iter().zip(&years) {
            let json = common::zip_entry(&split.out.join("data").join(zip), dataset);
            assert!(
                field_of_records(&json, "year")
                    .iter()
                    .all(|y| *y == year.to_string()),
                "{zip} {dataset}"
            );
            together.extend(field_of_records(&json, "id"));
        }
        assert_eq!(
            together,
            field_of_records(&whole.data(dataset), "id"),
            "{dataset}"
        );
    }
    let csv = common::zip_entry(
        &split.out.join("data").join(&zips[0]),
        "recommendations.csv",
    );
    assert!(csv.starts_with("id,audit,item,kind,"));
    // The about page links each year's zip, the catalogue has each as a distribution.
    let about = split.read("om/index.html");
    let catalog = split.read("data/catalog.rdf");
    for (zip, year) in zips.iter().zip(&years) {
        assert!(
            about.contains(&format!("href=\"/insyn/data/{zip}\">{year}</a>")),
            "{zip}"
        );
        let url = format!("https://test.example.se/insyn/data/{zip}");
        assert!(catalog.contains(&format!("<dct:hasPart rdf:resource=\"{url}\"/>")));
        assert_eq!(
            catalog
                .matches(&format!("<dcat:downloadURL rdf:resource=\"{url}\"/>"))
                .count(),
            5
        );
    }
    assert!(!about.contains("insyn-data.zip") && !catalog.contains("insyn-data.zip"));
    xml(&catalog);
}

#[test]
fn audit_pages_carry_json_ld_and_open_graph() {
    let html = site().read("granskning/alfa/index.html");
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["datePublished"], "2019-05-02");
    assert_eq!(ld["author"]["name"], "Öhrlings PricewaterhouseCoopers AB");
    assert_eq!(ld["about"]["@type"], "GovernmentOrganization");
    assert_eq!(ld["about"]["name"], "Östersund");
    assert_eq!(ld["url"], "https://test.example.se/insyn/granskning/alfa/");
    for meta in [
        "og:title\" content=\"Granskning av IT-styrningen\"",
        "og:type\" content=\"article\"",
        "og:url\" content=\"https://test.example.se/insyn/granskning/alfa/\"",
        "og:locale\" content=\"sv_SE\"",
    ] {
        assert!(html.contains(meta), "{meta}");
    }
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://test.example.se/insyn/granskning/alfa/\">"
    ));
}

#[test]
fn statuses_show_on_the_audit_and_in_the_register_after_follow_up() {
    let site = site();
    let alfa = site.read("granskning/alfa/index.html");
    // The follow-up (beta) set rf1-r1 to genomförd; the audit's own metadata stays.
    let item = &alfa[alfa.find("id=\"rf1-r1\"").unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(
        item.contains("<span class=\"status status-genomford\">Genomförd</span> 2021-02-01"),
        "{item}"
    );
    assert!(item.contains("Mottagare: Kommunstyrelsen") && item.contains("Prioritet: hög"));
    // The page says once how to cite an item, with an example and the pattern the theme's
    // script fills in for every item (tests/e2e/journeys.test.js); no item repeats it.
    assert!(alfa.contains("<p class=\"cite\"><code>PwC (2019). Granskning av IT-styrningen, iakttagelse rf1-o1. https://test.example.se/insyn/granskning/alfa/#rf1-o1</code></p>"));
    assert!(alfa.contains("data-pattern=\"PwC (2019). Granskning av IT-styrningen, {kind} {id}{origin}. https://test.example.se/insyn/granskning/alfa/#{id}\""));
    assert!(alfa.contains("data-editorial=\" (redaktionens urval)\""));
    assert_eq!(count(&alfa, "<details class=\"cite\">"), 0);
    assert!(alfa.contains("/insyn/cite.js?v="));
    // The register without JavaScript: alfa's year lists it with its status.
    let year = site.read("rekommendationer/2019/index.html");
    let entry = common::from_to(&year, "Kommunstyrelsen bör anta en IT-strategi.", "</li>");
    assert!(
        entry.contains("<span class=\"status status-genomford\">Genomförd</span>"),
        "{entry}"
    );
    // The overview counts by year and status; "no status" is named by the theme's status_none.
    let overview = site.read("rekommendationer/index.html");
    let row = |year: &str| -> Vec<String> {
        let at = overview
            .find(&format!(">{year}</a></th>"))
            .expect("year row");
        let row = &overview[at..at + overview[at..].find("</tr>").unwrap()];
        row.split("<td class=\"num\">")
            .skip(1)
            .map(|c| c[..c.find('<').unwrap()].to_string())
            .collect()
    };
    // Recommendations, then öppen, åtgärd beslutad, genomförd, ej genomförd, none given.
    assert_eq!(row("2019"), ["1", "0", "0", "1", "0", "0"]);
    assert_eq!(row("2015"), ["3", "0", "0", "0", "0", "3"]);
    assert!(overview.contains(">Uppgift saknas</th>"));
    // The status filters lead to the search, spaces encoded.
    assert!(overview.contains("?typ=rekommendation&amp;status=åtgärd+beslutad\""));
}

/// The fixture site (built as of 2020-01-01) with a response of each status: alfa's was
/// due 2019-09-30 and nothing is recorded; beta's came, with a link; gamma's is due after the
/// build date; delta's did not come, as a source says.
fn responses_site() -> &'static common::Built {
    static SITE: OnceLock<common::Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = common::copy_fixture("site");
        let content = dir.path().join("content");
        edit(&content.join("sub/beta.md"), "follows_up: alfa\n", "follows_up: alfa\nresponse: { recipient: Kommunstyrelsen, due: 2021-06-30, received: 2021-06-12, url: https://example.se/ks-svar.pdf }\n");
        edit(&content.join("gamma.md"), "themes: [kompetens]\n", "themes: [kompetens]\nresponse: { recipient: Nämnden, due: 2020-03-31 }\n");
        std::fs::write(
            content.join("delta.md"),
            "---\ntitle: \"IT-säkerhet\"\nmunicipality: Åre\nauditor: kpmg\ncommissioned_by: \"Revisorerna i Åre\"\ndate: 2018-05-02\nreport_type: granskning\nthemes: [informationssakerhet]\nresponse:\n  recipient: Kommunstyrelsen\n  due: 2018-09-30\n  not_received:\n    source: \"Revisionsberättelse 2018, avsnitt 4\"\n    url: https://example.se/revisionsberattelse-2018.pdf\n    date: 2019-04-15\n---\n\n## Sammanfattning\n\nSäkerheten brister.\n",
        )
        .unwrap();
        build_shared_site(dir.path(), "responses")
    })
}

fn edit(file: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has {from:?}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// The part of `html` from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[test]
fn a_passed_due_date_without_a_record_is_not_recorded_never_overdue() {
    // build_date = 2020-01-01 in the fixture: alfa's response was due 2019-09-30.
    let html = site().read("svar/index.html");
    assert!(html.contains("Per <time datetime=\"2020-01-01\">1 januari 2020</time>"));
    let unknown = section(&html, "response-not_recorded-h");
    assert!(unknown.contains(">Uppgift om svar saknas</h2>"));
    assert!(unknown.contains("ingen uppgift om huruvida svar har kommit in"));
    assert!(unknown.contains("Granskning av IT-styrningen"));
    assert!(unknown.contains("<time datetime=\"2019-09-30\">30 september 2019</time>"));
    for page in [html.as_str(), &site().read("granskning/alfa/index.html")] {
        let lower = page.to_lowercase();
        for word in [
            "försen",
            "overdue",
            "inget svar har kommit in",
            "dagar",
            "<td>93</td>",
        ] {
            assert!(!lower.contains(word), "{word:?} on a page of an unknown");
        }
    }
    let audit = site().read("granskning/alfa/index.html");
    assert!(audit.contains(
        "<dd class=\"response-status response-not_recorded\">Uppgift om svar saknas (per <time datetime=\"2020-01-01\">1 januari 2020</time>)</dd>"
    ));
    // The published site: Kungsör's response was due 2021-04-30; nothing says none came.
    let svar = published().read("svar/index.html");
    let unknown = section(&svar, "response-not_recorded-h");
    assert!(unknown.contains("Förstudie av kommunstyrelsens styrning"));
    assert!(!svar.contains("response-not_received-h"));
    assert!(!svar.to_lowercase().contains("försen"));
    let kungsor = published().read("granskning/kungsor-2020-digital-utveckling/index.html");
    assert!(kungsor.contains("Uppgift om svar saknas"));
    assert!(!kungsor.to_lowercase().contains("försen"));
}

#[test]
fn each_response_status_shows_what_is_known_of_it() {
    let site = responses_site();
    let html = site.read("svar/index.html");
    // In this order: not received, not recorded, pending, received.
    let at = |id: &str| html.find(&format!("id=\"{id}\"")).unwrap();
    assert!(at("response-not_received-h") < at("response-not_recorded-h"));
    assert!(at("response-not_recorded-h") < at("response-pending-h"));
    assert!(at("response-pending-h") < at("response-received-h"));

    let pending = section(&html, "response-pending-h");
    assert!(pending.contains(">Svar inväntas</h2>"));
    assert!(pending.contains("Kompetens inom IT"));
    assert!(pending.contains("<time datetime=\"2020-03-31\">31 mars 2020</time>"));

    let received = section(&html, "response-received-h");
    assert!(received.contains(">Svar har kommit in</h2>"));
    assert!(received.contains("Uppföljning av IT-styrningen"));
    assert!(received.contains("<time datetime=\"2021-06-12\">12 juni 2021</time>"));
    assert!(received.contains("<a href=\"https://example.se/ks-svar.pdf\">Läs svaret</a>"));

    let not_received = section(&html, "response-not_received-h");
    assert!(not_received.contains(">Inget svar har kommit in</h2>"));
    assert!(not_received.contains(
        "<a href=\"https://example.se/revisionsberattelse-2018.pdf\">Revisionsberättelse 2018, avsnitt 4</a> (<time datetime=\"2019-04-15\">15 april 2019</time>)"
    ));
    assert!(!html.contains("dagar"), "no count of days, for any status");

    // The audit pages say the same.
    let gamma = site.read("granskning/gamma/index.html");
    assert!(gamma.contains("response-pending\">Svar inväntas (per <time datetime=\"2020-01-01\">"));
    let beta = site.read("granskning/beta-2021/index.html");
    assert!(beta.contains("response-received\">Svar har kommit in</dd>"));
    assert!(beta.contains("<dd><time datetime=\"2021-06-12\">12 juni 2021</time></dd>"));
    assert!(beta.contains("<a href=\"https://example.se/ks-svar.pdf\">Läs svaret</a>"));
    let delta = site.read("granskning/delta/index.html");
    assert!(delta.contains("response-not_received\">Inget svar har kommit in</dd>"));
    assert!(delta.contains("<dt>Källa</dt><dd><a href=\"https://example.se/revisionsberattelse-2018.pdf\">Revisionsberättelse 2018, avsnitt 4</a>"));
}

#[test]
fn the_open_data_carries_each_response_status() {
    let site = responses_site();
    let audit_schema = validator(&site.read("data/schema/audit.schema.json"));
    let item_schema = validator(&site.read("data/schema/item.schema.json"));
    let audits: Vec<serde_json::Value> = serde_json::from_str(&site.data("audits.json")).unwrap();
    let status = |id: &str| {
        let a = audits.iter().find(|a| a["id"] == id).unwrap();
        let errors: Vec<String> = audit_schema.iter_errors(a).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{id}: {errors:?}");
        a["response"].clone()
    };
    assert_eq!(status("alfa")["status"], "not_recorded");
    assert_eq!(status("alfa")["status_as_of"], "2020-01-01");
    assert_eq!(status("gamma")["status"], "pending");
    assert_eq!(status("beta-2021")["status"], "received");
    assert_eq!(status("beta-2021")["received"], "2021-06-12");
    let delta = status("delta");
    assert_eq!(delta["status"], "not_received");
    assert_eq!(
        delta["not_received"]["source"],
        "Revisionsberättelse 2018, avsnitt 4"
    );
    assert_eq!(delta["not_received"]["date"], "2019-04-15");
    // A status outside the four fails the schema.
    let mut wrong = status("alfa");
    wrong["status"] = "overdue".into();
    let mut audit = audits.iter().find(|a| a["id"] == "alfa").unwrap().clone();
    audit["response"] = wrong;
    assert!(!audit_schema.is_valid(&audit));

    // The item files: the audit's response status in every record, in the CSV too.
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&site.data("recommendations.json")).unwrap();
    let csv = common::parse_csv(&site.data("recommendations.csv"));
    let column = csv[0].iter().position(|c| c == "response_status").unwrap();
    assert_eq!(column, csv[0].len() - 1, "a new column comes last");
    for (row, record) in csv[1..].iter().zip(&json) {
        assert!(item_schema.is_valid(record), "{}", record["id"]);
        let expected = match record["audit"].as_str().unwrap() {
            "alfa" => "not_recorded",
            "beta-2021" => "received",
            "gamma" => "pending",
            other => panic!("no recommendations expected in {other}"),
        };
        assert_eq!(record["response_status"], expected);
        assert_eq!(row[column], expected);
    }
}

#[test]
fn not_received_needs_a_source_and_contradictions_fail() {
    let dir = common::copy_fixture("site");
    let content = dir.path().join("content");
    // alfa.md: `response:` is line 23, `not_received:` line 26.
    edit(
        &content.join("alfa.md"),
        "  due: 2019-09-30\n",
        "  due: 2019-09-30\n  not_received:\n    date: 2019-12-01\n",
    );
    edit(
        &content.join("gamma.md"),
        "themes: [kompetens]\n",
        "themes: [kompetens]\nresponse:\n  received: 2016-01-10\n  not_received: { source: \"Protokoll\" }\n",
    );
    edit(
        &content.join("sub/beta.md"),
        "follows_up: alfa\n",
        "follows_up: alfa\nresponse:\n  url: https://example.se/svar.pdf\n",
    );
    let err = insyn::pipeline::build(&insyn::pipeline::BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(dir.path().join("public")),
        base_url: None,
        drafts: false,
    })
    .expect_err("the build fails");
    let insyn::pipeline::BuildError::Content(diagnostics) = err else {
        panic!("content errors expected");
    };
    let found = |file: &str, field: &str| {
        diagnostics
            .iter()
            .find(|d| d.file.ends_with(file) && d.field.as_deref() == Some(field))
            .unwrap_or_else(|| panic!("no error on {file} {field}: {diagnostics:?}"))
            .clone()
    };
    let missing = found("alfa.md", "response.not_received.source");
    assert_eq!(missing.position.map(|p| p.line), Some(26), "{missing}");
    assert!(missing.message.contains("without a `source`"), "{missing}");
    assert!(missing.hint.as_deref().unwrap().contains("source:"));
    let both = found("gamma.md", "response.not_received");
    assert_eq!(both.position.map(|p| p.line), Some(11), "{both}");
    assert!(both.message.contains("together with `received`"), "{both}");
    let link = found("beta.md", "response.url");
    assert_eq!(link.position.map(|p| p.line), Some(12), "{link}");
    assert!(link.to_string().contains("received"), "{link}");
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn statistics_and_comparisons_need_no_javascript() {
    let site = site();
    let stats = site.read("statistik/index.html");
    assert!(
        stats.contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\"per-year-caption\"")
    );
    assert!(stats.contains("id=\"per-year-caption\""));
    assert!(
        stats.contains("50 %"),
        "1 of 2 recommendations in Östersund implemented"
    );
    let compare = site.read("jamfor/index.html");
    assert!(compare.contains("<caption id=\"compare-caption\">"));
    // A cell leads to the municipality's audits under the theme, on its own page.
    assert!(compare.contains("href=\"/insyn/kommun/ostersund/#tema-styrning\""));
    let ostersund = site.read("kommun/ostersund/index.html");
    let cell = common::from_to(&ostersund, "id=\"tema-styrning\"", "</section>");
    assert!(cell.contains("/insyn/granskning/alfa/"), "{cell}");
    assert!(cell.contains("/insyn/granskning/beta-2021/"), "{cell}");
}

#[test]
fn public_sector_pages_from_configuration() {
    let site = site();
    let a11y = site.read("tillganglighet/index.html");
    assert!(a11y.contains("Webbplatsen är helt förenlig med lagen"));
    assert!(a11y.contains("https://www.digg.se/tdosanmalan"));
    assert!(a11y.contains("<time datetime=\"2019-12-01\">1 december 2019</time>"));
    assert!(a11y.contains("mailto:test@example.se"));
    let published_a11y = published().read("tillganglighet/index.html");
    assert!(published_a11y.contains("delvis förenlig"));
    assert!(published_a11y.contains("Sökfunktionen kräver JavaScript."));
    let about = site.read("om/index.html");
    assert!(about.contains("Testutgivaren") && about.contains("data/catalog.rdf"));
    // Linked from every page's footer.
    for f in files(&site.out).iter().filter(|f| f.ends_with(".html")) {
        let html = site.read(f);
        assert!(html.contains("href=\"/insyn/tillganglighet/\""), "{f}");
        assert!(html.contains("href=\"/insyn/om/\""), "{f}");
    }
}

#[test]
fn the_search_filters_recommendations_by_status() {
    let out = site().out.to_str().unwrap().to_string();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args([
            "search",
            "",
            "--index",
            &out,
            "--status",
            "genomförd",
            "--json",
        ])
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["item"], "rf1-r1");
    assert_eq!(hits[0]["status"], "genomförd");
}

/// Writes `text` at `rel` under `root`, making its folders.
fn write(root: &std::path::Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Builds the site at `root` with `base_url`; the output folder and the result.
fn build_at(
    root: &std::path::Path,
    base_url: Option<&str>,
) -> (
    std::path::PathBuf,
    Result<insyn::pipeline::BuildReport, insyn::pipeline::BuildError>,
) {
    let out = root.join("public");
    let result = insyn::pipeline::build(&insyn::pipeline::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.clone()),
        base_url: base_url.map(str::to_string),
        drafts: false,
    });
    (out, result)
}

#[test]
fn a_sites_atom_xml_overrides_the_built_in_and_sees_the_documented_context() {
    let dir = common::copy_fixture("site");
    let root = dir.path();
    // A title that needs escaping: the override's values are escaped for XML, URLs are not
    // touched (tera's HTML escaping would write `/` as `&#x2F;`).
    let config = std::fs::read_to_string(root.join("insyn.toml")).unwrap();
    std::fs::write(
        root.join("insyn.toml"),
        config.replacen("title = \"Testsajt\"", "title = \"Test & 'sajt'\"", 1),
    )
    .unwrap();
    write(
        root,
        "templates/atom.xml",
        "<feed title=\"{{ feed.title }}\" url=\"{{ feed.url }}\" page=\"{{ feed.page }}\" updated=\"{{ feed.updated }}\" author=\"{{ feed.author }}\" lang=\"{{ feed.language }}\" themes=\"{{ feed.themes }}\">\n\
         {%- for entry in entries %}\n\
         <e url=\"{{ entry.url }}\" date=\"{{ entry.date }}\" by=\"{{ entry.author }}\" in=\"{{ entry.municipality }}\">{{ entry.title }}|{% for theme in entry.themes %}{{ theme.key }}={{ theme.label }};{% endfor %}|{{ entry.summary }}</e>\n\
         {%- endfor %}\n</feed>\n",
    );
    let built = build_site(root);
    let are = built.read("kommun/are/atom.xml");
    xml(&are);
    let base = "https://test.example.se/insyn/";
    for expected in [
        "title=\"Test &amp; &apos;sajt&apos; – Åre\"".to_string(),
        format!("url=\"{base}kommun/are/atom.xml\" page=\"{base}kommun/are/\""),
        "updated=\"2015-11-20\" author=\"Testutgivaren\" lang=\"sv\"".to_string(),
        format!("themes=\"{base}tema/\""),
        "date=\"2015-11-20\" by=\"KPMG\" in=\"Åre\">Kompetens inom IT|kompetens=Kompetens;|Kompetensen räcker inte.</e>".to_string(),
    ] {
        assert!(are.contains(&expected), "missing {expected} in:\n{are}");
    }
    assert_eq!(count(&are, "<e "), 1);
    assert_eq!(count(&built.read("atom.xml"), "<e "), 3);
    // The override replaces the built-in only: the other documents are as before.
    xml(&built.read("sitemap.xml"));
    assert!(built.read("sitemap.xml").contains("<url><loc>"));
}

#[test]
fn a_theme_overrides_the_built_ins_and_the_sites_templates_override_the_theme() {
    let dir = common::copy_fixture("site");
    let root = dir.path();
    let theme = repo().join("themes/default");
    for f in files(&theme) {
        write(
            root,
            &format!("themes/default/{f}"),
            &std::fs::read_to_string(theme.join(&f)).unwrap(),
        );
    }
    write(
        root,
        "themes/default/templates/robots.txt",
        "theme: {{ sitemap }}\n",
    );
    write(root, "themes/default/templates/sitemap.xml", "<theme/>\n");
    write(
        root,
        "templates/sitemap.xml",
        "<urls n=\"{{ urls | length }}\">{% for url in urls %}<u>{{ url }}</u>{% endfor %}</urls>\n",
    );
    let (out, result) = build_at(root, Some("https://insyn.example.se/"));
    result.expect("the site builds");
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    assert_eq!(
        read("robots.txt"),
        "theme: https://insyn.example.se/sitemap.xml\n"
    );
    let sitemap = read("sitemap.xml");
    xml(&sitemap);
    assert!(sitemap.starts_with("<urls n=\""), "{sitemap}");
    assert!(sitemap.contains("<u>https://insyn.example.se/granskning/alfa/</u>"));
}

#[test]
fn a_broken_override_is_an_error_naming_its_template() {
    for (name, source) in [
        // Does not compile: a loop without its end.
        ("atom.xml", "{% for entry in entries %}{{ entry.title }}"),
        // Compiles, but fails to render: there is no such field.
        ("catalog.rdf", "<x>{{ catalog.no_such_field }}</x>"),
        ("robots.txt", "Sitemap: {{ sitemap_url }}\n"),
    ] {
        let dir = common::copy_fixture("site");
        write(dir.path(), &format!("templates/{name}"), source);
        let (out, result) = build_at(dir.path(), Some("https://insyn.example.se/"));
        let Err(insyn::pipeline::BuildError::Content(problems)) = result else {
            panic!("a broken templates/{name} must fail the build");
        };
        let files: Vec<String> = problems
            .iter()
            .map(|d| d.file.display().to_string())
            .collect();
        assert_eq!(files, [format!("templates/{name}")], "{problems:?}");
        assert!(!out.exists(), "a failed build writes nothing");
    }
}
