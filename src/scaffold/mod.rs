//! `insyn init`: a new site that builds as it is; `insyn new audit`: a new audit in a site.

pub mod new_audit;

use std::fs;
use std::path::Path;

use crate::render::default_theme;

/// The configuration of a new site.
const CONFIG: &str = include_str!("insyn.toml");
/// An example audit (a fictitious municipality) showing every front-matter field.
const EXAMPLE: &str = include_str!("example.md");

/// Creates a site in `dir`: `insyn.toml`, `content/` with one example audit, and the default
/// theme under `themes/default/` (ready to be edited).
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .map_err(|e| format!("cannot read the folder: {e}"))?;
        if !empty {
            return Err("the folder exists and is not empty; choose a new folder".to_string());
        }
    }
    let write = |rel: &str, bytes: &[u8]| -> Result<(), String> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("insyn.toml", CONFIG.as_bytes())?;
    write(
        "content/exempelby/exempelby-2024-it-styrning.md",
        EXAMPLE.as_bytes(),
    )?;
    for (path, bytes) in default_theme::files() {
        write(&format!("themes/default/{path}"), bytes)?;
    }
    Ok(())
}
