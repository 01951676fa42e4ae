//! `insyn init`: a new site that builds as it is; `insyn new audit`: a new audit in a site.

pub mod new_audit;

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::render::default_theme;

/// The configuration of a new site.
const CONFIG: &str = include_str!("insyn.toml");
/// An example audit (a fictitious municipality) showing every front-matter field.
const EXAMPLE: &str = include_str!("example.md");
/// A GitHub Actions workflow that checks the site and publishes it on GitHub Pages.
pub const WORKFLOW: &str = include_str!("publish.yml");
/// Where [`init`] writes [`WORKFLOW`], relative to the site.
pub const WORKFLOW_PATH: &str = ".github/workflows/publish.yml";

/// Creates a site in `dir`: `insyn.toml`, `content/` with one example audit, the default
/// theme under `themes/default/` (ready to be edited) and the GitHub Actions workflow that
/// publishes it on GitHub Pages. `dir` must not exist or be empty, and no file is ever
/// overwritten.
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
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("insyn.toml", CONFIG.as_bytes())?;
    write(
        "content/exempelby/exempelby-2024-it-styrning.md",
        EXAMPLE.as_bytes(),
    )?;
    for (path, bytes) in default_theme::files() {
        write(&format!("themes/default/{path}"), bytes)?;
    }
    write(WORKFLOW_PATH, WORKFLOW.as_bytes())?;
    Ok(())
}
