//! A segment's passages are analysed a batch at a time (16,384 passages) before tantivy's
//! writer takes them: every passage, on either side of a batch boundary, is indexed with its
//! own words.

#![cfg(feature = "write")]

use std::borrow::Cow;

use insyn_search::bundle::AuditEntry;
use insyn_search::writer::{IndexInput, Kind, SearchDoc, build};
use insyn_search::{Request, Response};

/// More passages than two batches, in one segment.
const PASSAGES: usize = 2 * 16_384 + 10;

fn corpus() -> IndexInput<'static> {
    let audits = (0..PASSAGES / 1000 + 1)
        .map(|a| AuditEntry {
            id: format!("kommun-{a}"),
            title: format!("Granskning {a}"),
            municipality: "Kommun".into(),
            municipality_slug: "kommun".into(),
            auditor: "Revisorerna".into(),
            auditor_key: "revisorerna".into(),
            date: "2020-05-01".into(),
            report_type: "granskning".into(),
            url: format!("/granskning/kommun-{a}/"),
            ..AuditEntry::default()
        })
        .collect();
    let docs = (0..PASSAGES)
        .map(|n| SearchDoc {
            audit: (n / 1000) as u32,
            kind: Kind::Observation,
            anchor: Cow::Owned(format!("p{n}")),
            text: Cow::Owned(format!("Nämnden saknar nyckel{n} i sin styrning.")),
            ..SearchDoc::default()
        })
        .collect();
    IndexInput {
        audits,
        docs,
        ..IndexInput::default()
    }
}

fn anchors(r: &Response) -> Vec<String> {
    r.hits.iter().map(|h| h.anchor.clone()).collect()
}

#[test]
fn every_passage_is_found_by_its_own_word_across_batches() {
    let built = build(&corpus()).expect("builds");
    let engine = built.open().expect("opens");
    for n in [0, 1, 16_383, 16_384, 16_385, 32_767, 32_768, PASSAGES - 1] {
        let r = engine.search(&Request {
            q: format!("nyckel{n}"),
            ..Request::default()
        });
        assert_eq!(anchors(&r), [format!("p{n}")], "nyckel{n}");
    }
    let all = engine.search(&Request {
        q: "styrning".into(),
        ..Request::default()
    });
    assert_eq!(all.total, PASSAGES, "every passage has the common word");
}
