//! Arbitrary query strings never panic and always give a well-formed response.

mod common;

use std::sync::OnceLock;

use insyn::pipeline::{BuildOptions, load_site};
use insyn_search::{Engine, Filters, Request};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let options = BuildOptions {
            root: common::fixture("site"),
            ..BuildOptions::default()
        };
        let (site, _) = load_site(&options).expect("the fixture site loads");
        insyn::search::bundle(&site)
            .expect("index")
            .open()
            .expect("opens")
    })
}

/// Query-like text: words, Swedish letters, operators and junk.
fn query() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("styrning".to_string()),
        Just("IT-säkerhet".to_string()),
        Just("OR".to_string()),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("*".to_string()),
        "[a-zåäöA-ZÅÄÖ0-9]{1,12}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(atom, 0..12).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn queries_never_panic(q in query(), limit in 0usize..5000, offset in 0usize..100, year in proptest::option::of(0u64..3000)) {
        let r = engine().search(&Request {
            q,
            limit,
            offset,
            filters: Filters { year_from: year, ..Filters::default() },
            ..Request::default()
        });
        prop_assert!(r.hits.len() <= r.total);
        prop_assert!(r.hits.len() <= limit.max(1));
        for h in &r.hits {
            prop_assert!(h.url.starts_with("/insyn/granskning/"));
        }
    }

    #[test]
    fn any_unicode_never_panics(q in "\\PC*") {
        let _ = engine().search(&Request { q, ..Request::default() });
    }

    #[test]
    fn malformed_request_json_is_rejected_without_panicking(json in "\\PC{0,60}") {
        let _ = serde_json::from_str::<Request>(&json);
    }
}
