//! The preview behind `insyn serve`: build into memory, serve on loopback, rebuild what
//! changes, reload pages.

pub mod changes;
pub mod dev;
pub mod http;

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diagnostics::{self, Diagnostics};
use crate::output::MemoryOutput;
use crate::pipeline::BuildOptions;
use dev::{Changes, Dev};

/// Renders diagnostics as plain text (for the terminal and the browser overlay).
fn describe(problems: &Diagnostics, root: &Path, color: bool) -> String {
    let mut buffer = Vec::new();
    diagnostics::render(problems, root, color, &mut buffer);
    String::from_utf8_lossy(&buffer).into_owned()
}

/// Serves the site at `root` on `address` (port 0 picks a free one) until the process is
/// stopped, opening it in the browser if `open`. A site that does not build is served as an
/// error page until it does, so the errors returned are the machine's: the address cannot be
/// listened on, or the site's files cannot be watched.
pub fn serve(root: &Path, address: SocketAddr, open: bool, color: bool) -> Result<(), String> {
    let listener = TcpListener::bind(address).map_err(|e| {
        format!(
            "cannot listen on {address}: {e}{}",
            if e.kind() == std::io::ErrorKind::AddrInUse {
                " (try another --port)"
            } else {
                ""
            }
        )
    })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{address}/");
    let build = BuildOptions {
        root: root.to_path_buf(),
        output: None,
        base_url: Some(url.clone()),
        drafts: true,
    };
    let started = Instant::now();
    // A site that does not build yet is served as an error page until it does.
    let (mut dev, output, error) = match Dev::new(build.clone()) {
        Ok(dev) => {
            let output = dev.output();
            (Some(dev), output, None)
        }
        Err(problems) => {
            let _ = write!(std::io::stderr(), "{}", describe(&problems, root, color));
            let text = describe(&problems, root, false);
            (None, Arc::new(error_page(&text)), Some(text))
        }
    };
    // Watch before announcing the address, so no edit after the announcement is missed.
    let (mut watcher, rx) = watcher(root)?;
    let state = http::State::new(output);
    if let Some(text) = error {
        state.fail(text);
    }
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || http::run(listener, state));
    }
    say(format_args!(
        "Serving {} at {url} (built in {} ms; Ctrl-C to stop)",
        root.display(),
        started.elapsed().as_millis()
    ));
    let _ = std::io::stdout().flush();
    if open {
        open_browser(&url);
    }
    let mut site = Site {
        root,
        build: &build,
        dev: &mut dev,
        state: &state,
        color,
    };
    site.watch(rx, &mut watcher);
    Ok(())
}

/// Prints a line; a closed standard output (a detached terminal) must not stop the server.
fn say(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// A page standing in for a site that does not build yet.
fn error_page(text: &str) -> MemoryOutput {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>The site does not build</title></head>\n<body><main><h1>The site does not build yet</h1><pre>{escaped}</pre><p>This page reloads when the problems are fixed.</p></main></body></html>\n"
    );
    let output = MemoryOutput::new();
    for file in ["index.html", "404.html"] {
        let _ = output.write(file, html.as_bytes());
    }
    output
}

/// The site's folders that are watched with all they hold.
const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];

/// The folders and files whose changes matter.
fn watched(root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for dir in SOURCE_DIRS {
        let p = root.join(dir);
        if p.is_dir() {
            paths.push((p, RecursiveMode::Recursive));
        }
    }
    paths
}

type Changed = Vec<(PathBuf, bool)>;

/// Starts watching the site's files; changed paths arrive on the receiver, each with whether
/// it is a folder that appeared or went.
fn watcher(root: &Path) -> Result<(notify::RecommendedWatcher, mpsc::Receiver<Changed>), String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reads (the build's own) are not changes.
        if let Ok(event) = event
            && !event.kind.is_access()
            && !event.kind.is_other()
        {
            use notify::event::{CreateKind, EventKind, RemoveKind};
            let folder = matches!(
                event.kind,
                EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder)
            );
            let _ = tx.send(
                event
                    .paths
                    .into_iter()
                    .map(|p| (p, folder))
                    .collect::<Vec<_>>(),
            );
        }
    })
    .map_err(|e| format!("cannot watch the site's files: {e}"))?;
    for (path, mode) in watched(root) {
        watcher
            .watch(&path, mode)
            .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
    }
    Ok((watcher, rx))
}

/// What the rebuild loop works on.
struct Site<'a> {
    root: &'a Path,
    build: &'a BuildOptions,
    dev: &'a mut Option<Dev>,
    state: &'a http::State,
    color: bool,
}

impl Site<'_> {
    /// Rebuilds on every change until the watcher stops.
    fn watch(&mut self, rx: mpsc::Receiver<Changed>, watcher: &mut impl Watcher) {
        let root = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.to_path_buf());
        while let Ok(first) = rx.recv() {
            // Editors write in bursts: gather what arrives within a moment.
            let mut paths = first;
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(30)) {
                paths.extend(more);
            }
            rewatch(&root, &paths, watcher);
            let changes = Changes::classify(&root, paths);
            if !changes.is_empty() {
                self.rebuild(&changes, &root);
            }
            let _ = std::io::stdout().flush();
        }
    }

    fn rebuild(&mut self, changes: &Changes, root: &Path) {
        let started = Instant::now();
        let result = match self.dev.as_mut() {
            Some(dev) => dev.apply(changes).map(|r| (r, dev.output())),
            None => Dev::new(self.build.clone()).map(|fresh| {
                let output = fresh.output();
                *self.dev = Some(fresh);
                let everything = dev::Rebuilt {
                    pages: usize::MAX,
                    audits: 0,
                    index: true,
                };
                (everything, output)
            }),
        };
        match result {
            Ok((rebuilt, output)) => {
                self.state.publish(output);
                let pages = if rebuilt.pages == usize::MAX {
                    "all".to_string()
                } else {
                    rebuilt.pages.to_string()
                };
                say(format_args!(
                    "Rebuilt in {} ms: {pages} pages{}",
                    started.elapsed().as_millis(),
                    if rebuilt.index { ", search index" } else { "" }
                ));
            }
            Err(problems) => {
                let text = describe(&problems, root, self.color);
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{text}");
                let _ = writeln!(err, "The site still serves the last good build.");
                self.state.fail(describe(&problems, root, false));
            }
        }
    }
}

/// Watches again each source folder that `paths` say appeared, moved or went. The watch of a
/// folder ends when it is removed or moved away, and a folder put back (copied or moved) is a
/// new one to the watcher: without this, no later edit in it would be seen.
fn rewatch(root: &Path, paths: &Changed, watcher: &mut impl Watcher) {
    for (path, _) in paths {
        let top = path.parent() == Some(root)
            && path
                .file_name()
                .is_some_and(|n| SOURCE_DIRS.iter().any(|d| n == *d));
        if top && path.is_dir() {
            // Gone again by now: its next appearance comes with an event of its own.
            let _ = watcher.unwatch(path);
            if let Err(e) = watcher.watch(path, RecursiveMode::Recursive) {
                let _ = writeln!(
                    std::io::stderr(),
                    "cannot watch {} again: {e}; restart `insyn serve` to see its changes",
                    path.display()
                );
            }
        }
    }
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
