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
    /// Leftovers of interrupted builds that could not be removed.
    swept: Vec<String>,
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
        if target.parent().is_none() || target.file_name().is_none() {
            return Err(refuse("the output path has no folder name".into()));
        }
        let swept = sweep(&target);
        let staging = sibling(&target, "staging", std::process::id());
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
            swept,
        })
    }

    /// The final output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Warnings about leftovers of interrupted builds that could not be removed.
    pub fn warnings(&self) -> &[String] {
        &self.swept
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

    /// Swaps the staging folder in place of the output folder. `Ok(Some(warning))` when the
    /// new site is in place but the previous one could not be removed.
    pub fn commit(self) -> Result<Option<String>, CommitError> {
        self.commit_with(&|_| Ok(()))
    }

    /// [`Output::commit`], with `fault` run before each step: tests make steps fail with it,
    /// as a read-only or busy folder would, even when they run as root.
    #[doc(hidden)]
    pub fn commit_with(
        mut self,
        fault: &dyn Fn(Step) -> io::Result<()>,
    ) -> Result<Option<String>, CommitError> {
        let run = |step, op: &dyn Fn() -> io::Result<()>| fault(step).and_then(|()| op());
        let (target, staging) = (self.target.clone(), self.staging.clone());
        let intact = |what: &str, e: io::Error| CommitError {
            message: format!("{what}: {e}; the previous site is unchanged"),
            previous_intact: true,
        };
        if !target.exists() {
            run(Step::SwapIn, &|| fs::rename(&staging, &target))
                .map_err(|e| intact("cannot move the new site into place", e))?;
            self.committed = true;
            return Ok(None);
        }
        let old = sibling(&target, "old", std::process::id());
        // A folder with this process's id was left by an earlier process that had the id.
        remove_if_ours(&old);
        run(Step::SetAside, &|| fs::rename(&target, &old))
            .map_err(|e| intact("cannot move the previous site aside", e))?;
        if let Err(e) = run(Step::SwapIn, &|| fs::rename(&staging, &target)) {
            return Err(match run(Step::PutBack, &|| fs::rename(&old, &target)) {
                Ok(()) => intact("cannot move the new site into place", e),
                Err(back) => CommitError {
                    message: format!(
                        "cannot move the new site into place ({e}) nor the previous site back ({back}); the previous site is intact at {}: move it back to {}",
                        old.display(),
                        target.display()
                    ),
                    previous_intact: false,
                },
            });
        }
        self.committed = true;
        // The new site is in place: a previous site that will not go is only a leftover.
        Ok(run(Step::RemoveOld, &|| fs::remove_dir_all(&old))
            .err()
            .map(|e| {
                format!(
                    "the new site is in place, but the previous one, moved to {}, cannot be removed ({e}); a later build tries again, or remove it yourself",
                    old.display()
                )
            }))
    }
}

/// A step of [`Output::commit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The previous site is renamed aside.
    SetAside,
    /// The new site is renamed into place.
    SwapIn,
    /// After a failed swap, the previous site is renamed back.
    PutBack,
    /// The previous site, set aside, is removed.
    RemoveOld,
}

/// Why the new site could not be swapped in.
#[derive(Debug)]
pub struct CommitError {
    /// What failed and where the previous site is.
    pub message: String,
    /// Whether the previous site is still at the output folder, as it was.
    pub previous_intact: bool,
}

/// `.{name}.insyn-{kind}-{pid}` beside `target`: a build's staging or set-aside folder.
fn sibling(target: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.insyn-{kind}-{pid}"))
}

/// Removes `dir` if it is a folder Insyn wrote (carries the marker) or an empty one; never
/// follows a link. Returns what removing it failed with.
fn remove_if_ours(dir: &Path) -> Option<io::Error> {
    let is_dir = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    let empty = || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if is_dir && (dir.join(MARKER).is_file() || empty()) {
        fs::remove_dir_all(dir).err()
    } else {
        None
    }
}

/// Removes the staging and set-aside folders of `target` left by builds that were killed:
/// those whose process is certainly gone. Returns a warning for each that would not go.
fn sweep(target: &Path) -> Vec<String> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let prefix = format!(".{}.insyn-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = ["staging-", "old-"]
            .iter()
            .find_map(|kind| rest.strip_prefix(kind)?.parse::<u32>().ok());
        if !pid.is_some_and(|p| p != std::process::id() && process_gone(p)) {
            continue;
        }
        if let Some(e) = remove_if_ours(&entry.path()) {
            warnings.push(format!(
                "cannot remove {}, left by an interrupted build: {e}",
                entry.path().display()
            ));
        }
    }
    warnings
}

/// Whether no process has id `pid`. Where that cannot be known, the process may be running.
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    cfg!(target_os = "linux") && proc.join("self").exists() && !proc.join(pid.to_string()).exists()
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

    /// A site root with a published v1, and a v2 ready to be swapped in.
    fn v1_then_v2() -> (tempfile::TempDir, Output) {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::prepare(dir.path(), Path::new("public")).unwrap();
        out.write("index.html", b"v1").unwrap();
        out.commit().unwrap();
        let out = Output::prepare(dir.path(), Path::new("public")).unwrap();
        out.write("index.html", b"v2").unwrap();
        (dir, out)
    }

    fn failing(steps: &'static [Step]) -> impl Fn(Step) -> io::Result<()> {
        move |step| match steps.contains(&step) {
            true => Err(io::Error::from(io::ErrorKind::PermissionDenied)),
            false => Ok(()),
        }
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_previous_site_that_cannot_be_moved_stays_and_nothing_is_left() {
        for steps in [&[Step::SetAside][..], &[Step::SwapIn]] {
            let (dir, out) = v1_then_v2();
            let e = out.commit_with(&failing(steps)).unwrap_err();
            assert!(e.previous_intact, "{steps:?}");
            assert!(e.message.contains("the previous site is unchanged"));
            assert_eq!(
                fs::read(dir.path().join("public/index.html")).unwrap(),
                b"v1"
            );
            assert_eq!(entries(dir.path()), ["public"], "{steps:?}");
        }
    }

    #[test]
    fn a_previous_site_that_cannot_be_removed_leaves_the_new_site_in_place() {
        let (dir, out) = v1_then_v2();
        let warning = out.commit_with(&failing(&[Step::RemoveOld])).unwrap();
        assert_eq!(
            fs::read(dir.path().join("public/index.html")).unwrap(),
            b"v2"
        );
        let old = sibling(&dir.path().join("public"), "old", std::process::id());
        assert!(warning.unwrap().contains(&old.display().to_string()));
        // The next build removes the leftover.
        let out = Output::prepare(dir.path(), Path::new("public")).unwrap();
        out.commit().unwrap();
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn a_previous_site_that_cannot_be_put_back_is_said_to_be_where_it_is() {
        let (dir, out) = v1_then_v2();
        let e = out
            .commit_with(&failing(&[Step::SwapIn, Step::PutBack]))
            .unwrap_err();
        assert!(!e.previous_intact);
        let old = sibling(&dir.path().join("public"), "old", std::process::id());
        assert!(
            e.message.contains(&old.display().to_string()),
            "{}",
            e.message
        );
        assert_eq!(fs::read(old.join("index.html")).unwrap(), b"v1");
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
