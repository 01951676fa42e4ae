//! Writing the site without ever losing the previous one.
//!
//! A build writes into a staging folder beside the output folder and swaps it in only when
//! every page is written. A failed or interrupted build leaves the published site as it
//! was. Insyn only ever replaces a folder that carries its marker file, so pointing
//! `--output` at the wrong folder cannot delete someone's work.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The file that marks a folder as Insyn output.
pub const MARKER: &str = ".insyn-output";

/// An output folder being written.
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

/// Folders of the site root that the output may never be, nor be inside.
const SOURCE_DIRS: &[&str] = &["content", "themes", "templates", "static"];

impl Output {
    /// Checks that `target` is a safe place for output and creates a staging folder beside it.
    pub fn prepare(root: &Path, target: &Path) -> Result<Output, Diagnostic> {
        let target = absolute(&root.join(target));
        let root = absolute(root);
        let refuse = |why: String| {
            Diagnostic::error(target.display().to_string(), why)
                .hint("choose an output folder of its own, e.g. --output public")
        };
        if root.starts_with(&target) {
            return Err(refuse(
                "the output folder would contain the site itself".into(),
            ));
        }
        for dir in SOURCE_DIRS {
            if target.starts_with(root.join(dir)) {
                return Err(refuse(format!(
                    "the output folder is inside the site's {dir}/ folder"
                )));
            }
        }
        if target.exists() {
            if !target.is_dir() {
                return Err(refuse("the output path exists and is not a folder".into()));
            }
            let empty = fs::read_dir(&target)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty && !target.join(MARKER).is_file() {
                return Err(refuse(format!(
                    "the folder exists, is not empty and was not written by Insyn (it has no {MARKER} file), so Insyn will not replace it"
                )));
            }
        }
        let parent = target
            .parent()
            .ok_or_else(|| refuse("the output folder has no parent".into()))?;
        let name = target
            .file_name()
            .ok_or_else(|| refuse("the output path has no folder name".into()))?
            .to_string_lossy()
            .into_owned();
        let staging = parent.join(format!(".{name}.insyn-staging-{}", std::process::id()));
        let io_error = |e: io::Error| refuse(format!("cannot create {}: {e}", staging.display()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error)?;
        }
        fs::create_dir_all(&staging).map_err(io_error)?;
        fs::write(
            staging.join(MARKER),
            "This folder was written by Insyn; the next build replaces it.\n",
        )
        .map_err(io_error)?;
        Ok(Output {
            target,
            staging,
            committed: false,
        })
    }

    /// The final output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` at `rel` (a `/`-separated path) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.staging.join(safe_relative(rel)?);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, bytes)
    }

    /// Appends `bytes` to the file at `rel` in the staging folder.
    pub fn append(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.staging.join(safe_relative(rel)?);
        let mut file = fs::OpenOptions::new().append(true).open(path)?;
        io::Write::write_all(&mut file, bytes)
    }

    /// Swaps the staging folder in place of the output folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.staging.with_file_name(
            self.staging
                .file_name()
                .map(|n| n.to_string_lossy().replace("staging", "old"))
                .unwrap_or_else(|| "old".into()),
        );
        if self.target.exists() {
            fs::rename(&self.target, &old)?;
            if let Err(e) = fs::rename(&self.staging, &self.target) {
                // Put the previous site back before reporting.
                let _ = fs::rename(&old, &self.target);
                return Err(e);
            }
            self.committed = true;
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&self.staging, &self.target)?;
            self.committed = true;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// `rel` as a path that cannot leave the folder it is joined to.
fn safe_relative(rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel);
    let ok = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(path.to_path_buf())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel}"),
        ))
    }
}

/// An absolute, lexically normalised path (without resolving links, which may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve links in the existing part, so `public -> content` is seen for what it is.
    match fs::canonicalize(&out) {
        Ok(real) => real,
        Err(_) => match (out.parent().map(fs::canonicalize), out.file_name()) {
            (Some(Ok(parent)), Some(name)) => parent.join(name),
            _ => out,
        },
    }
}

/// Output kept in memory: what `insyn serve` serves and `insyn check` inspects.
#[derive(Debug, Default)]
pub struct MemoryOutput {
    files: std::sync::RwLock<std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>>,
}

impl MemoryOutput {
    pub fn new() -> MemoryOutput {
        MemoryOutput::default()
    }

    /// Writes `bytes` at `rel` (checked like a real output path).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        safe_relative(rel)?;
        self.files
            .write()
            .map_err(|_| io::Error::other("output lock poisoned"))?
            .insert(rel.to_string(), std::sync::Arc::new(bytes.to_vec()));
        Ok(())
    }

    /// Appends `bytes` to the file at `rel`.
    pub fn append(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        safe_relative(rel)?;
        let mut files = self
            .files
            .write()
            .map_err(|_| io::Error::other("output lock poisoned"))?;
        let file = files
            .get_mut(rel)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, rel.to_string()))?;
        std::sync::Arc::make_mut(file).extend_from_slice(bytes);
        Ok(())
    }

    /// Writes shared `bytes` at `rel` without copying them.
    pub fn write_shared(&self, rel: &str, bytes: std::sync::Arc<Vec<u8>>) -> io::Result<()> {
        safe_relative(rel)?;
        self.files
            .write()
            .map_err(|_| io::Error::other("output lock poisoned"))?
            .insert(rel.to_string(), bytes);
        Ok(())
    }

    /// The file at `rel`, if written.
    pub fn get(&self, rel: &str) -> Option<std::sync::Arc<Vec<u8>>> {
        self.files.read().ok()?.get(rel).cloned()
    }

    /// Every path written, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.files
            .read()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Keeps only the files for which `keep` says so.
    pub fn retain(&self, keep: impl Fn(&str) -> bool) {
        if let Ok(mut files) = self.files.write() {
            files.retain(|k, _| keep(k));
        }
    }

    /// A copy sharing the file contents (cheap: contents are reference-counted).
    pub fn snapshot(&self) -> MemoryOutput {
        MemoryOutput {
            files: std::sync::RwLock::new(self.files.read().map(|f| f.clone()).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_cannot_escape() {
        assert!(safe_relative("kommun/a/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/../../x").is_err());
        assert!(safe_relative("").is_err());
    }

    #[test]
    fn swaps_in_and_keeps_the_old_site_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::prepare(dir.path(), Path::new("public")).unwrap();
        out.write("index.html", b"v1").unwrap();
        out.commit().unwrap();
        assert_eq!(
            fs::read(dir.path().join("public/index.html")).unwrap(),
            b"v1"
        );

        // A build that is dropped before commit leaves v1 in place and no staging folder.
        let out = Output::prepare(dir.path(), Path::new("public")).unwrap();
        out.write("index.html", b"half").unwrap();
        drop(out);
        assert_eq!(
            fs::read(dir.path().join("public/index.html")).unwrap(),
            b"v1"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn refuses_foreign_and_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("mine")).unwrap();
        fs::write(dir.path().join("mine/thesis.docx"), b"precious").unwrap();
        assert!(Output::prepare(dir.path(), Path::new("mine")).is_err());
        assert!(Output::prepare(dir.path(), Path::new("content")).is_err());
        assert!(Output::prepare(dir.path(), Path::new("content/x")).is_err());
        assert!(Output::prepare(dir.path(), Path::new(".")).is_err());
        assert!(Output::prepare(dir.path(), Path::new("..")).is_err());
        assert!(dir.path().join("mine/thesis.docx").exists());
    }
}
