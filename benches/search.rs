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
    let (blocks, texts): (Vec<_>, Vec<_>) = built
        .files
        .iter()
        .partition(|(name, _)| insyn_search::blocks::is_block(name));
    let size = |files: &[&(String, std::sync::Arc<Vec<u8>>)]| -> f64 {
        files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1024.0
    };
    println!(
        "index size: {} bytes ({:.1} KB) in the bundle, {:.1} KB in {} blocks beside it; \
         texts beside it: {} chunks, {:.1} KB",
        built.bundle.len(),
        built.bundle.len() as f64 / 1024.0,
        size(&blocks),
        blocks.len(),
        texts.len(),
        size(&texts)
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
