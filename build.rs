//! Builds the WebAssembly search engine (crates/insyn-search-wasm) so the `insyn` binary can
//! ship it into every site it builds. It is rebuilt whenever the search crates change, so
//! the engine in a site always matches the source, with no manual step.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "build/wasm_target.rs"]
mod wasm_target;

use wasm_target::TARGET;
const PROFILE: &str = "wasm";

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    embed_default_theme(&root, &out);
    build_engine(&root, &out);
}

/// Writes `default_theme.rs`: every file under themes/default/, compiled into the binary.
fn embed_default_theme(root: &Path, out: &Path) {
    let theme = root.join("themes").join("default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    // Paths from CARGO_MANIFEST_DIR as the crate is compiled, not this checkout's absolute
    // path: another checkout sharing the target folder must embed its own theme.
    let mut code = String::from("&[\n");
    for rel in files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/themes/default/\", {rel:?}))),\n",
        ));
    }
    code.push(']');
    std::fs::write(out.join("default_theme.rs"), code).expect("write default_theme.rs");
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read themes/default") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).expect("under the theme");
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
    }
}

/// Adds the wasm32 target through rustup when the toolchain lacks it (see [`wasm_target`]).
fn ensure_target_installed() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    wasm_target::ensure(Path::new(&rustc), Path::new("rustup"), &mut |warning| {
        println!("cargo:warning={warning}")
    });
}

/// The registry packages of a Cargo.lock: (name, version) pairs.
fn locked_packages(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for block in text.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|line| {
                let value = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
                Some(value.trim().trim_matches('"').to_string())
            })
        };
        if let (Some(name), Some(version), Some(_)) =
            (field("name"), field("version"), field("source"))
        {
            out.push((name, version));
        }
    }
    out
}

/// Fails unless the engine's Cargo.lock pins, for every registry package it shares with the
/// root Cargo.lock, a version that the root one pins too: the browser must read indexes with
/// the tantivy that wrote them. (The engine is a workspace of its own, see its Cargo.toml.)
fn check_locks_agree(root: &Path) {
    let native = locked_packages(&root.join("Cargo.lock"));
    let engine_lock = root.join("crates/insyn-search-wasm/Cargo.lock");
    let mut differ = Vec::new();
    for (name, version) in locked_packages(&engine_lock) {
        let versions: Vec<&str> = native
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        if !versions.is_empty() && !versions.contains(&version.as_str()) {
            differ.push(format!(
                "{name} {version} (Cargo.lock: {})",
                versions.join(", ")
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "crates/insyn-search-wasm/Cargo.lock pins other versions than Cargo.lock: {}; align them, e.g. \
         cargo update --manifest-path crates/insyn-search-wasm/Cargo.toml -p NAME --precise VERSION",
        differ.join("; ")
    );
}

/// Cargo configuration that keeps this machine's paths out of the engine. Its panic
/// messages name their source files, and by absolute path (this checkout's, and cargo's
/// home for the crates it uses) the engine every site publishes would differ by where it
/// was built, and show those paths. Added to the flags in .cargo/config.toml (cargo joins
/// arrays).
fn remapped_paths(root: &Path) -> String {
    println!("cargo:rerun-if-env-changed=CARGO_HOME");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let flags: Vec<String> = [(Some(root.to_path_buf()), "insyn"), (cargo_home, "cargo")]
        .into_iter()
        .filter_map(|(from, to)| Some(format!("--remap-path-prefix={}={to}", from?.display())))
        // A TOML string: backslashes and quotes escaped.
        .map(|flag| format!("\"{}\"", flag.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("target.{TARGET}.rustflags=[{}]", flags.join(","))
}

/// Builds the search engine for wasm32 and copies it to `OUT_DIR/insyn_search.wasm`.
fn build_engine(root: &Path, out: &Path) {
    for path in [
        "crates/insyn-search/src",
        "crates/insyn-search/Cargo.toml",
        "crates/insyn-search-wasm/src",
        "crates/insyn-search-wasm/Cargo.toml",
        "crates/insyn-search-wasm/Cargo.lock",
        "crates/insyn-search-wasm/shims",
        "Cargo.lock",
        ".cargo/config.toml",
        "build/wasm_target.rs",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    ensure_target_installed();
    check_locks_agree(root);
    // A target folder of its own: the outer cargo holds the lock on target/.
    let target_dir = root.join("target").join("wasm-engine");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--locked",
            // A workspace of its own (see its Cargo.toml).
            "--manifest-path",
            "crates/insyn-search-wasm/Cargo.toml",
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .arg("--config")
        .arg(remapped_paths(root))
        // The outer build's flags are for the host; the wasm build takes its own from
        // .cargo/config.toml.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_PROFILE_RELEASE_LTO")
        // `cargo clippy` wraps rustc; the engine is linted as a workspace member instead,
        // and an unwrapped build keeps its cache valid across clippy and build runs.
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CLIPPY_ARGS")
        .status()
        .expect("run cargo to build the WebAssembly search engine");
    assert!(
        status.success(),
        "building the WebAssembly search engine failed; is the target installed? (rustup target add {TARGET})"
    );
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join("insyn_search_wasm.wasm");
    std::fs::copy(&wasm, out.join("insyn_search.wasm")).expect("copy the engine into OUT_DIR");
}
