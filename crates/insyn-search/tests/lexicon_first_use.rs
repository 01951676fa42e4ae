//! The lexicon's first use from many rayon jobs at once, as two builds in one process (tests,
//! `serve`) make it: it must load once and never wait on itself. (Loading it with parallel
//! stemming deadlocked: a worker waiting inside the load stole a job that asked for it.)

#![cfg(feature = "write")]

use std::sync::mpsc;
use std::time::Duration;

use rayon::prelude::*;

#[test]
fn first_use_from_many_rayon_jobs_does_not_deadlock() {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let found = pool.install(|| {
            (0..64)
                .into_par_iter()
                .map(|_| insyn_search::lexicon::get().contains("kalkyl"))
                .filter(|&found| found)
                .count()
        });
        done.send(found).unwrap();
    });
    let found = finished
        .recv_timeout(Duration::from_secs(120))
        .expect("the lexicon's first use finished (no deadlock)");
    assert_eq!(found, 64);
}
