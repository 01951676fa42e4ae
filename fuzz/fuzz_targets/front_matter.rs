//! Whole audit files (front matter and body) from arbitrary bytes: they must load or be
//! refused with diagnostics, never panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use insyn::config::Config;
use libfuzzer_sys::fuzz_target;

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(include_str!("../../tests/fixtures/site/insyn.toml"), Path::new("insyn.toml"))
            .expect("the fixture configuration is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let rel = Path::new("content/fuzz.md");
    if let Ok(text) = insyn::content::decode(data, rel) {
        let (audit, problems) = insyn::content::load_audit(
            &text,
            rel,
            config(),
            &insyn::translations::Translations::default(),
            None,
        );
        // A file either loads or says why not.
        assert!(audit.is_some() || problems.iter().any(|d| d.is_error()));
    }
});
