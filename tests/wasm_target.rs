//! The README's first command on a machine whose toolchain lacks the wasm32 target (issue 11):
//! `build.rs` adds the target through rustup and says so. Stand-in `rustc` and `rustup`
//! programs play a toolchain without the target, so the test runs the same code as the build
//! script without touching the real toolchain.

#![cfg(unix)]

#[path = "../build/wasm_target.rs"]
mod wasm_target;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use wasm_target::{Outcome, TARGET, ensure};

/// A toolchain in `dir`: a sysroot without the target, a `rustc` that prints it, and a
/// `rustup` that logs its arguments and, if `works`, installs the target.
struct Toolchain {
    sysroot: PathBuf,
    rustc: PathBuf,
    rustup: PathBuf,
    log: PathBuf,
    /// One toolchain at a time: a script being written while another test forks is held
    /// open in the child, and running it then fails with "text file busy" (ETXTBSY).
    _serial: MutexGuard<'static, ()>,
}

fn script(path: &Path, body: &str) {
    fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Held by every test that writes or runs programs (see [`Toolchain::_serial`]).
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn toolchain(dir: &Path, works: bool) -> Toolchain {
    let serial = serial();
    let sysroot = dir.join("sysroot");
    fs::create_dir_all(sysroot.join("lib/rustlib/x86_64-unknown-linux-gnu")).unwrap();
    let (rustc, rustup, log) = (
        dir.join("rustc"),
        dir.join("rustup"),
        dir.join("rustup.log"),
    );
    script(&rustc, &format!("echo '{}'", sysroot.display()));
    let install = if works {
        format!("mkdir -p '{}/lib/rustlib/'\"$3\"", sysroot.display())
    } else {
        "echo 'error: no network' >&2; exit 1".to_string()
    };
    script(
        &rustup,
        &format!("echo \"$@\" >> '{}'\n{install}", log.display()),
    );
    Toolchain {
        sysroot,
        rustc,
        rustup,
        log,
        _serial: serial,
    }
}

fn run(t: &Toolchain) -> (Outcome, Vec<String>) {
    let mut warnings = Vec::new();
    let outcome = ensure(&t.rustc, &t.rustup, &mut |w| warnings.push(w));
    (outcome, warnings)
}

#[test]
fn a_missing_target_is_added_with_rustup_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let t = toolchain(dir.path(), true);
    let (outcome, warnings) = run(&t);
    assert_eq!(outcome, Outcome::Added);
    assert_eq!(
        fs::read_to_string(&t.log).unwrap(),
        format!("target add {TARGET}\n")
    );
    assert!(t.sysroot.join("lib/rustlib").join(TARGET).is_dir());
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("adding it with rustup"),
        "{warnings:?}"
    );
    // The next build finds it and runs nothing.
    let (outcome, warnings) = run(&t);
    assert_eq!(outcome, Outcome::Present);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(fs::read_to_string(&t.log).unwrap().lines().count(), 1);
}

#[test]
fn a_target_rustup_cannot_add_is_reported_with_the_command_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let t = toolchain(dir.path(), false);
    let (outcome, warnings) = run(&t);
    assert_eq!(outcome, Outcome::Failed);
    assert!(
        warnings
            .last()
            .is_some_and(|w| w.contains(&format!("rustup target add {TARGET}"))),
        "{warnings:?}"
    );
}

#[test]
fn no_rustup_and_no_rustc_are_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let t = toolchain(dir.path(), true);
    let missing = dir.path().join("no-such-program");
    let mut warnings = Vec::new();
    assert_eq!(
        ensure(&t.rustc, &missing, &mut |w| warnings.push(w)),
        Outcome::Failed
    );
    assert_eq!(
        ensure(&missing, &t.rustup, &mut |w| warnings.push(w)),
        Outcome::Unknown
    );
}

#[test]
fn the_real_toolchain_has_the_target_after_a_build() {
    // This test binary was built, so build.rs ran `ensure` on this toolchain.
    let _serial = serial();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut warnings = Vec::new();
    let outcome = ensure(Path::new(&rustc), Path::new("rustup"), &mut |w| {
        warnings.push(w)
    });
    assert!(
        matches!(outcome, Outcome::Present | Outcome::Unknown),
        "{outcome:?}: {warnings:?}"
    );
}
