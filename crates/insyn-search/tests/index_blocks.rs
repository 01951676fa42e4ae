//! The postings and positions of a large index are fetched block by block, each a range of a
//! pack: a search asks for the blocks its terms lie in (one round, typos included), and then
//! answers exactly as the whole index does.

#![cfg(feature = "write")]

use std::borrow::Cow;
use std::sync::Arc;

use insyn_search::bundle::AuditEntry;
use insyn_search::packs::PackReader;
use insyn_search::writer::{Built, IndexInput, Kind, SearchDoc, build};
use insyn_search::{Engine, Filters, Request, Response};

const WORDS: &[&str] = &[
    "kommunen",
    "informationssäkerhet",
    "styrning",
    "uppföljning",
    "systemförvaltning",
    "beställarkompetens",
    "upphandling",
    "avtal",
    "nämnden",
    "kommunstyrelsen",
    "IT-strategi",
    "dataskydd",
    "riskanalys",
    "budget",
    "projekt",
    "nyttorealisering",
    "e-tjänster",
    "samverkan",
    "arkitektur",
    "drift",
    "infrastruktur",
    "kompetens",
    "roller",
    "ansvar",
];

/// A corpus large enough for postings and positions of many blocks: 4,000 passages whose
/// words follow a fixed pseudo-random sequence, with a few thousand rare words mixed in.
fn corpus() -> IndexInput<'static> {
    let audits = (0..100)
        .map(|a| AuditEntry {
            id: format!("kommun-{a}"),
            title: format!("Granskning {a}"),
            municipality: format!("Kommun {}", a % 10),
            municipality_slug: format!("kommun-{}", a % 10),
            auditor: "Revisorerna".into(),
            auditor_key: "revisorerna".into(),
            date: format!("{}-05-01", 2005 + a % 20),
            report_type: "granskning".into(),
            url: format!("/granskning/kommun-{a}/"),
            ..AuditEntry::default()
        })
        .collect();
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let docs = (0..4000)
        .map(|n| {
            let text: Vec<String> = (0..60)
                .map(|i| match next() % 5 {
                    0 => format!("ord{}", next() % 5000),
                    _ => WORDS[(next() + i) % WORDS.len()].to_string(),
                })
                .collect();
            SearchDoc {
                audit: (n / 40) as u32,
                kind: if n % 3 == 0 {
                    Kind::Recommendation
                } else {
                    Kind::Observation
                },
                anchor: Cow::Owned(format!("rf1-o{n}")),
                text: Cow::Owned(text.join(" ")),
                themes: Cow::Owned(vec!["styrning".to_string()]),
                ..SearchDoc::default()
            }
        })
        .collect();
    IndexInput {
        audits,
        docs,
        ..IndexInput::default()
    }
}

/// The stored bytes of piece `name` of `built`'s packs.
fn stored(built: &Built, name: &str) -> Option<Vec<u8>> {
    PackReader::new(|pack| {
        built
            .packs
            .iter()
            .find(|(p, _)| p == pack)
            .map(|(_, bytes)| Arc::clone(bytes))
    })
    .stored(name)
}

fn request(q: &str) -> Request {
    Request {
        q: q.to_string(),
        ..Request::default()
    }
}

/// A response without what may differ between engines: which files are missing.
fn answer(r: &Response) -> String {
    serde_json::to_string(&(r.total, &r.hits, &r.facets, &r.corrections, r.partial)).unwrap()
}

#[test]
fn a_search_fetches_the_blocks_of_its_terms_in_one_round_and_answers_in_full() {
    let built = build(&corpus()).expect("builds");
    let whole = built.open().expect("opens");
    let mut lazy = Engine::open(built.bundle.clone()).expect("the bundle opens alone");
    let pieces = lazy.pieces();
    let blocks = pieces.iter().filter(|n| !lazy.is_text_chunk(n)).count();
    assert!(blocks >= 8, "{blocks} blocks: the corpus should need many");
    let packed: usize = built.packs.iter().map(|(_, b)| b.len()).sum();
    assert!(
        built.bundle.len() < packed,
        "most of the index is beside the bundle: {} in it, {packed} in its packs",
        built.bundle.len()
    );
    // Words, a phrase (positions), an exclusion, and typos (read as the words near them:
    // `ordx17` is near `ord17`, `ord117`, `ord217`, …, whose postings lie far apart).
    for q in [
        "informationssäkerhet",
        "\"kommunen styrning\"",
        "ord17 budget -drift",
        "upphandlnig",
        "ordx17",
    ] {
        // Each from nothing loaded, so no query profits from another's blocks.
        let mut fresh = Engine::open(built.bundle.clone()).expect("opens");
        let first = fresh.search(&request(q));
        assert!(
            first.hits.is_empty() && first.total == 0,
            "{q}: no answer before the blocks"
        );
        assert!(
            !first.missing.is_empty() && first.missing.iter().all(|n| !fresh.is_text_chunk(n)),
            "{q}: {:?}",
            first.missing
        );
        for name in &first.missing {
            fresh
                .add_stored(name, &stored(&built, name).expect("a piece"))
                .expect("a block of the index");
        }
        let second = fresh.search(&request(q));
        assert!(
            second.missing.iter().all(|n| fresh.is_text_chunk(n)),
            "{q}: the first round brought every block: {:?}",
            second.missing
        );
        let third = lazy
            .search_loading(&request(q), |n| stored(&built, n))
            .unwrap();
        assert!(third.missing.is_empty());
        assert!(third.total > 0, "{q} finds something");
        assert_eq!(answer(&third), answer(&whole.search(&request(q))), "{q}");
    }
    // Browsing by a filter alone needs the filter's postings.
    let browse = Request {
        filters: Filters {
            kind: vec!["recommendation".into()],
            ..Filters::default()
        },
        ..request("")
    };
    let browsed = lazy.search_loading(&browse, |n| stored(&built, n)).unwrap();
    assert_eq!(answer(&browsed), answer(&whole.search(&browse)));
    assert_eq!(browsed.total, 1334);
    let (all, loaded) = lazy.block_counts();
    assert_eq!(all, blocks);
    assert!(
        loaded < all,
        "these searches needed {loaded} of {all} blocks"
    );
}

#[test]
fn wrong_or_unknown_pieces_are_refused() {
    let built = build(&corpus()).expect("builds");
    let mut engine = Engine::open(built.bundle.clone()).unwrap();
    let pieces = engine.pieces();
    let mut blocks = pieces.iter().filter(|n| !engine.is_text_chunk(n));
    let (block, other) = (blocks.next().expect("a block"), blocks.next().expect("two"));
    let chunk = pieces
        .iter()
        .find(|n| engine.is_text_chunk(n))
        .expect("a chunk");
    let bytes = stored(&built, block).unwrap();
    let inflated = insyn_search::packs::inflate(&bytes).unwrap();
    assert!(
        engine.add_piece(block, &inflated[1..]).is_err(),
        "a truncated block"
    );
    assert!(
        engine.add_stored(block, &bytes[1..]).is_err(),
        "damaged stored bytes"
    );
    let elsewhere = format!("{block}0");
    assert!(
        engine.add_piece(&elsewhere, &inflated).is_err(),
        "an unknown piece"
    );
    assert!(
        engine.add_piece(chunk, &inflated).is_err(),
        "a block's bytes as a text chunk"
    );
    let error = engine.add_piece(other, &inflated).unwrap_err();
    assert!(error.damaged, "another block's bytes, well sealed: {error}");
    assert!(engine.add_piece(block, &inflated).is_ok());
    assert!(
        engine
            .add_stored(chunk, &stored(&built, chunk).unwrap())
            .is_ok()
    );
}

#[test]
fn a_full_build_spills_each_segments_packs_and_keeps_none() {
    use insyn_search::writer::{Indexer, Partition};
    use std::sync::Mutex;
    let input = corpus();
    let whole = build(&input).expect("builds");
    assert!(!whole.packs.is_empty(), "the corpus has packs to spill");
    let spilled = Mutex::new(Vec::new());
    let spill = |name: &str, bytes: &[u8]| {
        spilled
            .lock()
            .unwrap()
            .push((name.to_string(), bytes.to_vec()));
        Ok(())
    };
    let built = Indexer::full()
        .build_spilling(&input, None, Some(&spill))
        .expect("builds");
    assert!(built.packs.is_empty(), "the spilled packs are not kept");
    assert_eq!(built.bundle, whole.bundle, "the same bundle");
    let mut spilled = spilled.into_inner().unwrap();
    spilled.sort();
    let mut expected: Vec<_> = whole
        .packs
        .iter()
        .map(|(name, bytes)| (name.clone(), bytes.to_vec()))
        .collect();
    expected.sort();
    assert_eq!(spilled, expected, "every pack spilled, byte for byte");

    // An indexer that keeps its segments for the next build keeps their packs too.
    let kept = Indexer::new(Partition::Docs(1_000))
        .build_spilling(
            &input,
            None,
            Some(&|_: &str, _: &[u8]| panic!("a keeping indexer spilled")),
        )
        .expect("builds");
    assert!(!kept.packs.is_empty());
}

#[test]
fn a_failed_spill_fails_the_build_and_names_the_pack() {
    let failing = |_: &str, _: &[u8]| Err(std::io::Error::other("disk full"));
    let err = insyn_search::writer::Indexer::full()
        .build_spilling(&corpus(), None, Some(&failing))
        .err()
        .expect("the build fails");
    let message = err.to_string();
    assert!(
        message.contains("disk full") && message.contains("cannot write"),
        "{message}"
    );
}

#[test]
fn a_hyphenated_query_reads_no_positions_when_its_joined_form_is_indexed() {
    // The corpus has `IT-strategi`, so `itstrategi` is indexed: the query needs its postings
    // and, for the words anywhere, those of `it` and `strategi`, but none of their positions,
    // which a phrase of the same words reads.
    let built = build(&corpus()).expect("builds");
    let blocks = |q: &str| {
        let fresh = Engine::open(built.bundle.clone()).expect("opens");
        fresh.search(&request(q)).missing.len()
    };
    let (hyphenated, phrase) = (blocks("IT-strategi"), blocks("\"IT strategi\""));
    assert!(
        hyphenated < phrase,
        "IT-strategi needs {hyphenated} blocks, the phrase of its words {phrase}"
    );
    // It still finds every passage the phrase finds, and answers as the whole index does.
    let whole = built.open().expect("opens");
    let found = whole.search(&request("IT-strategi"));
    assert!(found.total > 0);
    assert!(found.total >= whole.search(&request("\"IT strategi\"")).total);
    let mut lazy = Engine::open(built.bundle.clone()).expect("opens");
    let lazily = lazy
        .search_loading(&request("IT-strategi"), |n| stored(&built, n))
        .unwrap();
    assert_eq!(answer(&lazily), answer(&found));
}

#[test]
fn the_first_audits_bundle_is_the_first_segments_of_the_whole_and_shares_their_packs() {
    use insyn_search::writer::Indexer;
    let input = corpus();
    // Audits 0..30 (1,200 passages) are the first; the whole is cut there too.
    let (whole, first) = Indexer::full()
        .build_with_first(&input, None, None, Some(30))
        .expect("builds");
    let first = first.expect("a first bundle");
    assert!(first.packs.is_empty(), "its packs are the whole's");
    assert_eq!(first.docs, 1_200);
    assert!(first.bundle.len() < whole.bundle.len());
    let engine = Engine::open(first.bundle.clone()).expect("opens");
    let pieces = engine.pieces();
    assert!(!pieces.is_empty());
    for name in &pieces {
        assert!(
            stored(&whole, name).is_some(),
            "{name} is in the whole's packs"
        );
    }
    // It finds exactly the first audits' passages that the whole finds.
    let audit = |id: &str| id.trim_start_matches("kommun-").parse::<usize>().unwrap();
    for q in ["\"styrning uppföljning\"", "ord17 OR ord4242 OR ord999"] {
        let all = Request {
            limit: insyn_search::engine::MAX_LIMIT,
            ..request(q)
        };
        let open = |built: &Built| {
            let mut engine = Engine::open(built.bundle.clone()).expect("opens");
            engine
                .search_loading(&all, |n| stored(&whole, n))
                .expect("answers")
        };
        let (mine, theirs) = (open(&first), open(&whole));
        assert!(
            mine.total > 0 && theirs.total <= all.limit,
            "{q}: every hit listed"
        );
        let mut expected: Vec<String> = theirs
            .hits
            .iter()
            .filter(|h| audit(&h.audit) < 30)
            .map(|h| format!("{} {}", h.audit, h.text))
            .collect();
        let mut got: Vec<String> = mine
            .hits
            .iter()
            .map(|h| format!("{} {}", h.audit, h.text))
            .collect();
        assert!(
            got.iter().all(|h| audit(&h[..h.find(' ').unwrap()]) < 30),
            "{q}"
        );
        expected.sort();
        got.sort();
        assert!(
            got == expected,
            "{q}: {} hits, of the whole's {}",
            got.len(),
            expected.len()
        );
    }
    // Without a first count, the same whole as before.
    let plain = Indexer::full().build(&input, None).expect("builds");
    let (again, none) = Indexer::full()
        .build_with_first(&input, None, None, None)
        .expect("builds");
    assert!(none.is_none());
    assert_eq!(again.bundle, plain.bundle);
}
