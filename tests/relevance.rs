//! Search relevance, measured: the judged queries of `tests/relevance/queries.toml` (their
//! format is described at the top of that file) run against the index of the published site,
//! built in memory as `tests/search.rs` builds it. The test prints top-1 accuracy and MRR@10
//! per category and every miss, and fails when either falls below its floor.
//!
//! Run it with `cargo test --release --test relevance -- --nocapture` to see the table.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use insyn_search::{Engine, Hit, Request};
use serde::Deserialize;

/// Share of queries whose expected passage comes first. Set just below what the engine
/// measures; raise it as search improves.
const TOP1_FLOOR: f64 = 0.90;
/// Mean reciprocal rank of the expected passage within the first ten hits (0 when absent).
const MRR_FLOOR: f64 = 0.92;

/// How many hits each query looks at.
const DEPTH: usize = 10;

const QUERIES: &str = "tests/relevance/queries.toml";

const CATEGORIES: &[&str] = &[
    "plain",
    "inflection",
    "part",
    "compound",
    "hyphen",
    "typo",
    "phrase",
    "short",
    "body",
    "question",
    "diacritics",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryFile {
    query: Vec<Judged>,
}

/// One judged query.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Judged {
    q: String,
    audit: String,
    anchor: String,
    #[serde(default)]
    also: Vec<String>,
    category: String,
    why: String,
}

impl Judged {
    fn expects(&self, audit: &str, anchor: &str) -> bool {
        audit == self.audit && (anchor == self.anchor || self.also.iter().any(|a| a == anchor))
    }

    fn expected(&self) -> String {
        let mut s = format!("{}#{}", self.audit, self.anchor);
        for a in &self.also {
            s.push_str(" | #");
            s.push_str(a);
        }
        s
    }
}

fn judged() -> &'static [Judged] {
    static JUDGED: OnceLock<Vec<Judged>> = OnceLock::new();
    JUDGED.get_or_init(|| {
        let path = common::repo().join(QUERIES);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: QueryFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.query
    })
}

fn engine() -> &'static Engine {
    common::published_engine()
}

/// A hit's anchor: its URL's fragment, or its item id; empty when it has neither (a summary
/// links to the top of its audit page).
fn anchor(hit: &Hit) -> &str {
    match hit.url.split_once('#') {
        Some((_, fragment)) if !fragment.is_empty() => fragment,
        _ => &hit.item,
    }
}

/// What a query found.
struct Outcome<'a> {
    judged: &'a Judged,
    /// 1-based rank of the first expected hit within [`DEPTH`], if any.
    rank: Option<usize>,
    /// The first hit as `audit#anchor`, with the start of its text.
    first: Option<(String, String)>,
}

impl Outcome<'_> {
    fn reciprocal_rank(&self) -> f64 {
        self.rank.map_or(0.0, |r| 1.0 / r as f64)
    }
}

fn run(judged: &Judged) -> Outcome<'_> {
    let response = engine().search(&Request {
        q: judged.q.clone(),
        limit: DEPTH,
        ..Request::default()
    });
    let hits = &response.hits[..response.hits.len().min(DEPTH)];
    let rank = hits
        .iter()
        .position(|h| judged.expects(&h.audit, anchor(h)))
        .map(|i| i + 1);
    let first = hits.first().map(|h| {
        let text: String = h.text.chars().take(70).collect();
        (format!("{}#{}", h.audit, anchor(h)), text)
    });
    Outcome {
        judged,
        rank,
        first,
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    top1: usize,
    rr: f64,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        self.n += 1;
        self.top1 += usize::from(o.rank == Some(1));
        self.rr += o.reciprocal_rank();
    }

    fn top1(&self) -> f64 {
        self.top1 as f64 / self.n.max(1) as f64
    }

    fn mrr(&self) -> f64 {
        self.rr / self.n.max(1) as f64
    }
}

#[test]
fn the_query_file_is_well_formed() {
    let judged = judged();
    assert!(
        judged.len() >= 80,
        "{} queries; at least 80 expected",
        judged.len()
    );
    let mut seen = BTreeSet::new();
    for j in judged {
        assert!(!j.q.trim().is_empty(), "an empty query");
        assert!(seen.insert(&j.q), "query {:?} is judged twice", j.q);
        assert!(
            CATEGORIES.contains(&j.category.as_str()),
            "query {:?}: unknown category {:?} (known: {CATEGORIES:?})",
            j.q,
            j.category
        );
        assert!(!j.why.trim().is_empty(), "query {:?} has no `why`", j.q);
        assert!(
            !j.anchor.is_empty() && !j.also.contains(&j.anchor),
            "{:?}",
            j.q
        );
    }
    for c in CATEGORIES {
        let n = judged.iter().filter(|j| j.category == *c).count();
        assert!(n >= 5, "category {c} has {n} queries; at least 5 expected");
    }
}

/// Every expected anchor is an `id` on its audit's page, so a renamed heading cannot silently
/// turn a query into a miss.
#[test]
fn every_expected_anchor_is_on_its_audit_page() {
    let built = common::build_site(&common::repo());
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    for j in judged() {
        let page_ids = ids.entry(&j.audit).or_insert_with(|| {
            let rel = format!("granskning/{}/index.html", j.audit);
            assert!(built.exists(&rel), "query {:?}: no audit {}", j.q, j.audit);
            common::attr_values(&built.read(&rel), "id")
                .into_iter()
                .map(String::from)
                .collect()
        });
        for a in std::iter::once(&j.anchor).chain(&j.also) {
            if !page_ids.contains(a) {
                missing.push(format!("{:?}: #{a} on {}", j.q, j.audit));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "anchors not on their pages:\n{missing:#?}"
    );
}

#[test]
fn relevance_stays_above_its_floors() {
    let outcomes: Vec<Outcome> = judged().iter().map(run).collect();

    let mut total = Tally::default();
    let mut by_category: BTreeMap<&str, Tally> = BTreeMap::new();
    for o in &outcomes {
        total.add(o);
        by_category
            .entry(o.judged.category.as_str())
            .or_default()
            .add(o);
    }

    println!("\nSearch relevance: {} judged queries ({QUERIES})", total.n);
    println!(
        "{:<12} {:>4} {:>6} {:>7} {:>7}",
        "category", "n", "top-1", "top-1%", "MRR@10"
    );
    for c in CATEGORIES {
        if let Some(t) = by_category.get(c) {
            println!(
                "{:<12} {:>4} {:>6} {:>6.1}% {:>7.3}",
                c,
                t.n,
                t.top1,
                100.0 * t.top1(),
                t.mrr()
            );
        }
    }
    println!(
        "{:<12} {:>4} {:>6} {:>6.1}% {:>7.3}",
        "all",
        total.n,
        total.top1,
        100.0 * total.top1(),
        total.mrr()
    );

    let misses: Vec<&Outcome> = outcomes.iter().filter(|o| o.rank != Some(1)).collect();
    println!("\nMisses ({}):", misses.len());
    for o in &misses {
        let rank = o
            .rank
            .map_or_else(|| "not in top 10".to_string(), |r| format!("rank {r}"));
        let first = o.first.as_ref().map_or_else(
            || "nothing".to_string(),
            |(id, text)| format!("{id} «{text}»"),
        );
        println!(
            "  [{}] {:?} ({rank})\n      expected {}\n      first    {first}",
            o.judged.category,
            o.judged.q,
            o.judged.expected()
        );
    }
    println!();

    assert!(
        total.top1() >= TOP1_FLOOR,
        "top-1 accuracy {:.3} fell below its floor {TOP1_FLOOR}",
        total.top1()
    );
    assert!(
        total.mrr() >= MRR_FLOOR,
        "MRR@10 {:.3} fell below its floor {MRR_FLOOR}",
        total.mrr()
    );
}
