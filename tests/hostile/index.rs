//! Hostile input: a damaged search index: checksums, clear errors, the loader fuzzed.

use std::collections::BTreeSet;
use std::process::Command;

use super::*;
use common::{build_site, fixture};

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    Vec::new()
}

/// `insyn search` on the site in `out`: its exit code and stderr.
fn search(out: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["search", "--index"])
        .arg(out)
        .args(args)
        .output()
        .expect("insyn runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// Every file of the index (bundle, packs of blocks and text chunks), damaged one byte at a
/// time at several offsets, gives the clear error naming the file and exit code 1 when a
/// search reads it (the bundle always), never a panic.
#[test]
fn a_damaged_index_gives_a_clear_error() {
    let site = build_site(&fixture("site"));
    let dir = site.out.join("search");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".bin"))
        .collect();
    names.sort();
    let mut refused = BTreeSet::new();
    // The loader fuzz target's seed: this small real bundle (see `scripts/fuzz-seeds`).
    if let Some(seeds) = std::env::var_os("INSYN_FUZZ_SEEDS").map(PathBuf::from) {
        let index = names.iter().find(|n| n.starts_with("index.")).unwrap();
        write(&seeds, "index/site.bin", fs::read(dir.join(index)).unwrap());
    }
    assert!(names.iter().any(|n| n.starts_with("index.")));
    assert!(names.iter().any(|n| n.starts_with("pack.")));
    for name in &names {
        let path = dir.join(name);
        let whole = fs::read(&path).unwrap();
        for at in [0, 5, 100, 5737, whole.len() / 2, whole.len() - 1] {
            let mut bytes = whole.clone();
            bytes[at % whole.len()] ^= 0xff;
            fs::write(&path, &bytes).unwrap();
            // A browse by kind reads the chunks of its hits; a word reads postings blocks.
            for args in [
                &["säkerhet"][..],
                &["", "--kind", "observation", "--limit", "50"],
            ] {
                let (code, stderr) = search(&site.out, args);
                if code == Some(0) && !name.starts_with("index.") {
                    continue; // a file this search does not read
                }
                assert_eq!(code, Some(1), "{name} at {at}: {stderr}");
                refused.insert(name.split('.').next().unwrap_or_default().to_string());
                assert!(
                    stderr.contains("the search index is damaged")
                        && stderr.contains(name.as_str())
                        && stderr.contains("rebuild the site")
                        && !stderr.contains("panicked"),
                    "{name} at {at}: {stderr}"
                );
            }
        }
        fs::write(&path, &whole).unwrap();
    }
    assert_eq!(
        refused.into_iter().collect::<Vec<_>>(),
        ["index", "pack"],
        "damage of every kind of file was found"
    );
    let (code, stderr) = search(&site.out, &["säkerhet"]);
    assert_eq!(code, Some(0), "the restored index works: {stderr}");
}

/// Damage that passes the checksum (a file renamed, so its name holds no hash) still gives
/// an error or an answer, never a panic.
#[test]
fn a_damaged_index_without_a_hashed_name_never_panics() {
    let site = build_site(&fixture("site"));
    let dir = site.out.join("search");
    let index = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("index.")
        })
        .unwrap();
    let whole = fs::read(&index).unwrap();
    let plain = dir.join("plain.bin");
    for at in (0..whole.len()).step_by(whole.len() / 60 + 1) {
        let mut bytes = whole.clone();
        bytes[at] ^= 0xff;
        fs::write(&plain, &bytes).unwrap();
        let (code, stderr) = search(&plain, &["säkerhet"]);
        assert!(
            matches!(code, Some(0 | 1)) && !stderr.contains("panicked"),
            "offset {at}: {code:?} {stderr}"
        );
    }
}
