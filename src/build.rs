//! The build pipeline: load → model → render → write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::render::{Renderer, Theme};
use crate::search;
use crate::site::Site;
use crate::site::pages::{self, Shared};

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site root (where `insyn.toml` is).
    pub root: PathBuf,
    /// Overrides `output_dir` of the configuration.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of the configuration.
    pub base_url: Option<String>,
}

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub audits: usize,
    pub pages: usize,
    pub observations: usize,
    pub recommendations: usize,
    pub elapsed: Duration,
    /// Warnings (a build with errors returns `Err`).
    pub warnings: Diagnostics,
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the site's files: nothing was written.
    Content(Diagnostics),
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

/// Loads and checks the site: the first half of a build, also used by `insyn check`.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    let config = load_config(options)?;
    let loaded = content::load(&options.root, &config);
    if loaded.problems.has_errors() {
        return Err(BuildError::Content(loaded.problems));
    }
    Ok((Site::new(config, loaded.audits), loaded.problems))
}

/// Builds the site at `options.root`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let (site, warnings) = load_site(options)?;
    let theme = Theme::load(&options.root, &site.config)?;
    let renderer = Renderer::new(&theme, &site)?;
    let output = Output::prepare(&options.root, &site.config.output_dir)?;
    // The index is built while the pages render; the search page, which names the index
    // file, comes last.
    let (bundle, pages) = rayon::join(
        || search::bundle(&site),
        || render_pages(&site, &renderer, &output),
    );
    let ((bundle, docs), mut pages) = (bundle?, pages?);
    let search_files = search::files(&site, bundle, docs);
    pages += render_search_page(&site, &renderer, &output, &search_files.manifest)?;
    for (path, bytes) in &search_files.files {
        output
            .write(path, bytes)
            .map_err(|e| Diagnostic::error(path.clone(), format!("cannot write: {e}")))?;
    }
    write_static(&theme, &output)?;
    let target = output.target().to_path_buf();
    output.commit().map_err(|e| {
        Diagnostic::error(
            target.display().to_string(),
            format!("cannot replace the output folder: {e}"),
        )
    })?;
    let (observations, recommendations) = site.item_counts();
    Ok(BuildReport {
        output: target,
        audits: site.audits.len(),
        pages,
        observations,
        recommendations,
        elapsed: started.elapsed(),
        warnings,
    })
}

/// Renders every page in parallel and writes it; returns the number of pages.
fn render_pages(site: &Site, renderer: &Renderer, output: &Output) -> Result<usize, Diagnostics> {
    let shared = Shared::new(site);
    let jobs = pages::jobs(site, &shared);
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|&job| {
            let page = pages::page(site, &shared, job);
            let html = match renderer.render(&page) {
                Ok(html) => html,
                Err(d) => return Some(d),
            };
            let file = site.urls.file_of(&page.url);
            output
                .write(&file, html.as_bytes())
                .err()
                .map(|e| Diagnostic::error(file, format!("cannot write: {e}")))
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

fn render_search_page(
    site: &Site,
    renderer: &Renderer,
    output: &Output,
    manifest: &search::Manifest,
) -> Result<usize, Diagnostics> {
    let page = pages::search_page(site, manifest);
    let html = renderer
        .render(&page)
        .map_err(|d| Diagnostics::from_iter([d]))?;
    let file = site.urls.file_of(&page.url);
    output.write(&file, html.as_bytes()).map_err(|e| {
        Diagnostics::from_iter([Diagnostic::error(file, format!("cannot write: {e}"))])
    })?;
    Ok(1)
}

fn write_static(theme: &Theme, output: &Output) -> Result<(), Diagnostic> {
    for (name, bytes) in &theme.static_files {
        output.write(name, bytes).map_err(|e| {
            Diagnostic::error(format!("static/{name}"), format!("cannot write: {e}"))
        })?;
    }
    Ok(())
}
