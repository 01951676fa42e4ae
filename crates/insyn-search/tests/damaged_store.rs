//! Doc stores whose lengths tantivy would trust: the fuzz target's reproducers
//! (`fuzz/seeds/index/crash-*.bin`, bundles opened below their checksum) made tantivy ask
//! for 2^56 bytes or more, an abort that no `catch_unwind` catches. The loader rejects them
//! as damage before tantivy sees them, and still opens the real bundle they came from.

use std::path::Path;

use insyn_search::Engine;

fn seed(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds/index")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn damaged_doc_stores_are_damage_not_an_abort() {
    assert!(
        Engine::open(seed("site.bin")).is_ok(),
        "the real bundle opens"
    );
    for name in ["crash-store-range.bin", "crash-skip-index-count.bin"] {
        let error = Engine::open(seed(name)).err().expect(name);
        assert!(error.damaged, "{name}: {error}");
        println!("{name}: {error}");
    }
}
