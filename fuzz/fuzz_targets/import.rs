//! `insyn import`'s text path: whatever a report's text holds (pages, lists, headings,
//! numbers, any characters), reading its structure and composing a draft never panics.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use insyn::config::Config;
use insyn::import::{Import, compose, text_of};
use libfuzzer_sys::fuzz_target;

/// The repository's own configuration (its firms and themes), loaded once.
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).expect("insyn.toml")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let import = Import {
        root: PathBuf::from("."),
        file: PathBuf::from("report.txt"),
        municipality: None,
        auditor: None,
    };
    let _ = compose(&text_of(text.to_string()), &import, config());
});
