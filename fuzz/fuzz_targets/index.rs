//! The index loader: any bytes as an index bundle are opened and searched without a panic in
//! Insyn's code.
//!
//! The bytes go to [`Engine::open`], below the checksum of the bundle's name (which would
//! reject almost every mutation); the seeds are real small bundles (`scripts/fuzz-seeds`).
//! Tantivy (and the crates it reads with, e.g. ownedbytes) panics on some damaged files,
//! which the engine catches and reports as damage (natively); panics located in a
//! dependency or the standard library (e.g. tantivy's allocation of a damaged length) are
//! tolerated here; a panic located in Insyn's own code (its indexing, `unwrap`s and
//! `expect`s report their own location) is a finding.
#![no_main]

use std::sync::Once;

use insyn_search::{Engine, Filters, Request};
use libfuzzer_sys::fuzz_target;

/// Aborts (a crash for the fuzzer) on panics located in Insyn's code, as libfuzzer-sys's
/// own hook does on every panic.
fn abort_on_own_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map_or("", |l| l.file());
            let elsewhere = file.contains("/.cargo/registry/") || file.starts_with("/rustc/");
            if !elsewhere {
                default(info);
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    abort_on_own_panics();
    let Ok(mut engine) = Engine::open(data.to_vec()) else {
        return;
    };
    let requests = [
        Request {
            q: "säkerhet".into(),
            limit: 5,
            ..Request::default()
        },
        Request {
            filters: Filters {
                kind: vec!["observation".into()],
                ..Filters::default()
            },
            limit: 5,
            ..Request::default()
        },
    ];
    for request in &requests {
        // Files beside the bundle are never there: the engine must cope with their absence.
        let _ = engine.search_loading(request, |_| None);
    }
});
