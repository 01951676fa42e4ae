//! The pipeline: load → render → write, shared by the commands that build a site (`build`,
//! `check`, `serve` and `search`).
//!
//! [`load_site`] reads the configuration (with the command line's overrides) and the content;
//! [`render_site`] renders every page, the search files, the open data and the static files
//! into a [`Sink`]; [`build`] does both into an [`Output`] that is swapped in when complete.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use insyn_search::writer::Indexer;
use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::pages::{self, Page, PageJob, Shared};
use crate::render::{Documents, Renderer, Theme};
use crate::search;
use crate::site::Site;
use crate::site::Urls;

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site root (where `insyn.toml` is).
    pub root: PathBuf,
    /// Overrides `output_dir` of the configuration.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of the configuration.
    pub base_url: Option<String>,
    /// Builds drafts (`draft: true`) too: `insyn build --drafts`, `insyn serve`, `insyn check`.
    pub drafts: bool,
}

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub audits: usize,
    pub pages: usize,
    pub observations: usize,
    pub recommendations: usize,
    /// Bytes of the search index.
    pub index_bytes: usize,
    /// The compressed bytes the build kept in its spill file ([`crate::spill`]).
    pub spilled_bytes: u64,
    pub elapsed: Duration,
    /// Warnings (a build with errors returns `Err`).
    pub warnings: Diagnostics,
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the site's files: nothing was written.
    Content(Diagnostics),
    /// The new site could not be swapped in, nor the previous one put back where it was: the
    /// diagnostic says where it is.
    Output(Diagnostic),
}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> BuildError {
        BuildError::Content(d)
    }
}

impl From<Diagnostic> for BuildError {
    fn from(d: Diagnostic) -> BuildError {
        BuildError::Content(Diagnostics::from_iter([d]))
    }
}

/// Reads the configuration with the command line's overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        let text = format!("title = \"x\"\nbase_url = {}", toml_string(base_url));
        Config::parse(&text, Path::new("--base-url"))?;
        config.base_url.clone_from(base_url);
    }
    if let Some(output) = &options.output {
        config.output_dir.clone_from(output);
    }
    Ok(config)
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Loads and checks the site: the first half of a build, also used by `insyn search`.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    load(options).map(|(site, _, warnings)| (site, warnings))
}

/// Loads the configuration, the theme and the content. The theme comes before the content:
/// its interface texts label what the Markdown renderer writes (footnotes, notes).
pub fn load(options: &BuildOptions) -> Result<(Site, Theme, Diagnostics), BuildError> {
    let config = load_config(options)?;
    let theme = Theme::load(&options.root, &config)?;
    let spill = spill_for(&options.root, &config);
    let mut loaded = content::load(&options.root, &config, &theme.translations, &spill);
    if loaded.problems.has_errors() {
        return Err(BuildError::Content(loaded.problems));
    }
    if !options.drafts {
        // Drafts are left out, and so are their review warnings (`insyn check` lists them).
        let drafts: Vec<PathBuf> = loaded
            .audits
            .iter()
            .filter(|a| a.meta.draft)
            .map(|a| a.path.clone())
            .collect();
        loaded.audits.retain(|a| !a.meta.draft);
        loaded.problems = loaded
            .problems
            .into_iter()
            .filter(|d| d.is_error() || !drafts.contains(&d.file))
            .collect();
    }
    let site = Site::new(config, theme.translations.clone(), loaded.audits).with_spill(spill);
    Ok((site, theme, loaded.problems))
}

/// The spill file of the pieces a build reads later: beside the output folder (on the disk
/// the site is written to, and never in a folder the build publishes), else in the system's
/// temporary folder, else none (they stay in memory).
fn spill_for(root: &Path, config: &Config) -> std::sync::Arc<crate::spill::Spill> {
    let output = root.join(&config.output_dir);
    let beside = output.parent().unwrap_or(root).to_path_buf();
    crate::spill::Spill::in_first_of(&[&beside, &std::env::temp_dir()])
}

/// Where rendered files go: the staging folder of a real build, or memory (`serve`, `check`).
pub trait Sink: Sync {
    /// Writes `bytes` at `rel`, a `/`-separated path inside the site.
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Appends `bytes` to the file at `rel`, written before.
    fn append(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;
}

impl Sink for Output {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        Output::write(self, rel, bytes)
    }

    fn append(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        Output::append(self, rel, bytes)
    }
}

/// Publishing files go to a sink.
struct Publish<'a>(&'a dyn Sink);

impl crate::publish::Emit for Publish<'_> {
    fn file(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        write(self.0, path, bytes)
    }

    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.0
            .append(path, bytes)
            .map_err(|e| Diagnostic::error(path.to_string(), format!("cannot write: {e}")))
    }
}

/// Told how a render advances, to drive a progress bar.
pub trait Progress: Sync {
    fn start(&self, _pages: usize) {}
    fn page(&self) {}
    fn finish(&self) {}
    /// A stage of the build took `elapsed` (for `--verbose`).
    fn stage(&self, _name: &'static str, _elapsed: Duration) {}
}

/// Runs `f`, telling `progress` how long it took.
fn timed<T>(progress: &dyn Progress, name: &'static str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    progress.stage(name, started.elapsed());
    value
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {}

/// What rendering produced.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderStats {
    pub pages: usize,
    /// Passages in the search index.
    pub docs: usize,
    /// Bytes of the search index bundle.
    pub index_bytes: usize,
}

/// Renders a loaded site into `sink`: every page, the search files and the static files.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    progress: &dyn Progress,
    indexer: &mut Indexer,
) -> Result<RenderStats, Diagnostics> {
    let renderer = Renderer::new(theme, site)?;
    let documents = Documents::new(theme)?;
    // The index is built while the pages render; the search page, which names the index
    // file, comes last.
    let (index, pages) = rayon::join(
        || {
            // A full build's packs are written as their segments are built.
            let spill = |name: &str, bytes: &[u8]| sink.write(&search::file_in_dir(name), bytes);
            let indexes = timed(progress, "search index", || {
                search::build(site, indexer, None, Some(&spill))
            })?;
            // Written at once, so its text is not held while the pages render.
            let (index_bytes, docs) = (indexes.all.bundle.len(), indexes.all.docs);
            let files = search::files(site, indexes);
            for (path, bytes) in &files.files {
                write(sink, path, bytes)?;
            }
            Ok::<_, Diagnostic>((files.manifest, index_bytes, docs))
        },
        || {
            let shared = timed(progress, "page data", || Shared::new(site, &renderer))?;
            let jobs = pages::jobs(site);
            progress.start(jobs.len() + 1);
            let urls = pages::urls(site, &jobs);
            // Open data is written by one thread while the others render pages.
            let (published, pages) = rayon::join(
                || {
                    timed(progress, "feeds, data, sitemap", || {
                        crate::publish::files(site, &documents, &urls, &Publish(sink))
                    })
                },
                || {
                    timed(progress, "pages", || {
                        render_pages(site, &shared, &jobs, &renderer, sink, progress)
                    })
                },
            );
            published?;
            pages
        },
    );
    let ((manifest, index_bytes, docs), pages) = (index?, pages?);
    let search_page = pages::search_page(site, &manifest);
    render_page(&renderer, &site.urls, &search_page, sink)?;
    progress.page();
    write_static(theme, sink)?;
    progress.finish();
    Ok(RenderStats {
        pages: pages + 1,
        docs,
        index_bytes,
    })
}

/// Builds the site at `options.root`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with(options, &Silent)
}

/// Builds the site at `options.root`, reporting progress.
pub fn build_with(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let (site, theme, mut warnings) = timed(progress, "load", || load(options))?;
    let output = Output::prepare(&options.root, &site.config.output_dir)?;
    let target = output.target().to_path_buf();
    let warn = |message: &str| Diagnostic::warning(target.display().to_string(), message);
    warnings.extend(output.warnings().iter().map(|w| warn(w)));
    let stats = render_site(&site, &theme, &output, progress, &mut Indexer::full())?;
    match timed(progress, "commit", || output.commit()) {
        Ok(left) => warnings.extend(left.as_deref().map(warn)),
        Err(e) => {
            let problem = Diagnostic::error(
                target.display().to_string(),
                format!("cannot replace the output folder: {}", e.message),
            );
            return Err(if e.previous_intact {
                problem.into()
            } else {
                BuildError::Output(problem)
            });
        }
    }
    let counts = site.item_counts();
    let (observations, recommendations) = (counts.observations, counts.recommendations);
    let audits = site.audits.len();
    let spilled_bytes = site.spill.len();
    // Freeing a large site takes a moment the build does not need to wait for.
    std::thread::spawn(move || drop(site));
    Ok(BuildReport {
        output: target,
        audits,
        pages: stats.pages,
        observations,
        recommendations,
        index_bytes: stats.index_bytes,
        spilled_bytes,
        elapsed: started.elapsed(),
        warnings,
    })
}

/// Renders `jobs` in parallel into `sink`; returns how many pages were written.
pub fn render_pages(
    site: &Site,
    shared: &Shared,
    jobs: &[PageJob],
    renderer: &Renderer,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<usize, Diagnostics> {
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|&job| {
            let page = pages::page(site, shared, job);
            let result = render_page(renderer, &site.urls, &page, sink).err();
            progress.page();
            result
        })
        .collect();
    if problems.is_empty() {
        Ok(jobs.len())
    } else {
        let mut problems = Diagnostics::from_iter(problems);
        problems.sort();
        Err(problems)
    }
}

/// Renders `page` into `sink`; returns the file it wrote.
pub fn render_page(
    renderer: &Renderer,
    urls: &Urls,
    page: &Page,
    sink: &dyn Sink,
) -> Result<String, Diagnostic> {
    let html = renderer.render(page)?;
    let file = urls.file_of(&page.url);
    write(sink, &file, &html)?;
    Ok(file)
}

fn write(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    sink.write(path, bytes)
        .map_err(|e| Diagnostic::error(path.to_string(), format!("cannot write: {e}")))
}

fn write_static(theme: &Theme, sink: &dyn Sink) -> Result<(), Diagnostic> {
    for (name, bytes) in &theme.static_files {
        write(sink, name, bytes)?;
    }
    Ok(())
}

impl Sink for crate::output::MemoryOutput {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        crate::output::MemoryOutput::write(self, rel, bytes)
    }

    fn append(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        crate::output::MemoryOutput::append(self, rel, bytes)
    }
}

/// Publishing into `sink` with the document templates `documents`, for `insyn serve`'s
/// background regeneration.
pub fn publish(
    site: &Site,
    documents: &Documents,
    pages: &[String],
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    crate::publish::files(site, documents, pages, &Publish(sink))
}
