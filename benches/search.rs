//! Search benchmark: index build time and size, and native query latency.
//!
//! `cargo bench --bench search [-- SITE_ROOT]` (default: this repository's site). Prints its
//! figures; scripts/bench-search adds the WebAssembly sizes and the latency in Node.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use insyn::pipeline::{BuildOptions, load_site};
use insyn_search::Request;

/// The fixed query list: plain words, inflections, compounds, phrases, a typo, filters.
pub const QUERIES: &[&str] = &[
    "informationssäkerhet",
    "säkerhet",
    "kompetens",
    "beställarkompetens",
    "IT-styrning",
    "\"styrning av IT\"",
    "rekommendationerna",
    "systemförvaltning -pm3",
    "pm3 OR ITIL",
    "digitali*",
    "upphandlig",
    "budget kommunstyrelsen",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let options = BuildOptions {
        root: root.clone(),
        ..BuildOptions::default()
    };
    let (site, _) = match load_site(&options) {
        Ok(s) => s,
        Err(e) => panic!("cannot load {}: {e:?}", root.display()),
    };
    let mut builds = Vec::new();
    let mut built = None;
    for _ in 0..5 {
        let started = Instant::now();
        built = Some(insyn::search::bundle(&site).expect("index builds"));
        builds.push(started.elapsed());
    }
    let built = built.expect("five builds");
    let docs = built.docs;
    builds.sort();
    println!(
        "site: {} ({} audits, {docs} passages)",
        root.display(),
        site.audits.len()
    );
    println!(
        "index build: median {:.1} ms (5 runs)",
        builds[2].as_secs_f64() * 1e3
    );
    // What the packs hold, as stored (compressed): index blocks and text chunks.
    let bundle_only = insyn_search::Engine::open(built.bundle.clone()).expect("opens");
    let (mut blocks, mut texts) = ((0, 0u64), (0, 0u64));
    for name in bundle_only.pieces() {
        let len = insyn_search::packs::PieceRef::parse(&name).map_or(0, |p| p.len);
        let kind = if bundle_only.is_text_chunk(&name) {
            &mut texts
        } else {
            &mut blocks
        };
        *kind = (kind.0 + 1, kind.1 + len);
    }
    let packed: usize = built.packs.iter().map(|(_, b)| b.len()).sum();
    println!(
        "index size: {} bytes ({:.1} KB) in the bundle; {} packs beside it, {:.1} KB: \
         {} index blocks ({:.1} KB stored) and {} text chunks ({:.1} KB stored)",
        built.bundle.len(),
        built.bundle.len() as f64 / 1024.0,
        built.packs.len(),
        packed as f64 / 1024.0,
        blocks.0,
        blocks.1 as f64 / 1024.0,
        texts.0,
        texts.1 as f64 / 1024.0,
    );
    let started = Instant::now();
    let engine = built.open().expect("opens");
    println!(
        "index open: {:.2} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    for round in 0..30 {
        for q in QUERIES {
            let request = Request {
                q: q.to_string(),
                limit: 20,
                ..Request::default()
            };
            let started = Instant::now();
            let r = engine.search(&request);
            let elapsed = started.elapsed();
            std::hint::black_box(r);
            if round > 0 {
                times.push(elapsed);
            }
        }
    }
    times.sort();
    println!(
        "native query latency (top 20 + count + facets + snippets, {} queries): p50 {:.3} ms, p95 {:.3} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3
    );
}
