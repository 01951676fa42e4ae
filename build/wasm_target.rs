//! The wasm32 target that the browser's search engine is built for: whether the toolchain has
//! it, and adding it through rustup when it lacks it.
//!
//! `rust-toolchain.toml` names the target, but rustup only honours that list when it installs
//! a toolchain; a stable toolchain that is already installed without the target would make the
//! README's first command fail. Used by `build.rs`, and tested on its own by
//! `tests/wasm_target.rs` (with stand-ins for rustc and rustup).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target the engine is compiled for.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// What [`ensure`] found or did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The toolchain has the target.
    Present,
    /// It lacked the target, and rustup added it.
    Added,
    /// It lacks the target, and rustup could not add it (or there is no rustup).
    Failed,
    /// The compiler did not say where its sysroot is; the engine's build will tell.
    Unknown,
}

/// Makes sure the toolchain of the compiler `rustc` has [`TARGET`], running
/// `rustup target add` when it does not; `warn` gets each thing the user should be told.
pub fn ensure(rustc: &Path, rustup: &Path, warn: &mut dyn FnMut(String)) -> Outcome {
    let Some(sysroot) = sysroot(rustc) else {
        return Outcome::Unknown;
    };
    if has_target(&sysroot) {
        return Outcome::Present;
    }
    warn(format!(
        "the {TARGET} target is missing; adding it with rustup (rustup target add {TARGET})"
    ));
    let ran = Command::new(rustup)
        .args(["target", "add", TARGET])
        .status()
        .is_ok_and(|s| s.success());
    if ran && has_target(&sysroot) {
        return Outcome::Added;
    }
    warn(format!(
        "could not add the {TARGET} target; install it (rustup target add {TARGET}) and build again"
    ));
    Outcome::Failed
}

fn sysroot(rustc: &Path) -> Option<PathBuf> {
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

fn has_target(sysroot: &Path) -> bool {
    sysroot.join("lib").join("rustlib").join(TARGET).is_dir()
}
