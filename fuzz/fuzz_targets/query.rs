//! Search queries: any string is read leniently and answered without panicking.
#![no_main]

use std::sync::OnceLock;

use insyn_search::bundle::AuditEntry;
use insyn_search::writer::{IndexInput, Kind, SearchDoc, build};
use insyn_search::{Engine, Request};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let texts = [
            "Det saknas en informationssäkerhetspolicy och IT-säkerheten är bristfällig.",
            "Kommunstyrelsen bör stärka beställarkompetensen i verksamheterna.",
            "Styrning av IT sker genom pm3 och ITIL.",
        ];
        let input = IndexInput {
            audits: vec![AuditEntry {
                id: "a".into(),
                url: "/granskning/a/".into(),
                date: "2020-01-01".into(),
                municipality_slug: "are".into(),
                ..AuditEntry::default()
            }],
            labels: Default::default(),
            docs: texts
                .iter()
                .enumerate()
                .map(|(i, t)| SearchDoc {
                    audit: 0,
                    kind: if i % 2 == 0 { Kind::Observation } else { Kind::Recommendation },
                    anchor: format!("o{i}").into(),
                    section: "".into(),
                    editorial: false,
                    question: "".into(),
                    text: (*t).into(),
                    themes: vec!["styrning".to_string()].into(),
                    status: None,
                    masked: Vec::new(),
                })
                .collect(),
        };
        build(&input).expect("index").open().expect("opens")
    })
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data).into_owned();
    let response = engine().search(&Request { q, limit: 5, ..Request::default() });
    assert!(response.hits.len() <= response.total);
});
