//! The site as `insyn serve` keeps it: built into memory once, then brought up to date
//! change by change, re-rendering only what a change affects.
//!
//! - an audit edited: its own page, the listing pages whose entries or figures change, the
//!   pages of site-wide figures, and the index segment it is in; the feeds, open data and
//!   sitemap are rewritten in the background;
//! - a page template edited: the pages that template renders (all pages when a shared
//!   template such as `base.html` changes);
//! - a document template edited (`atom.xml`, `sitemap.xml`, `robots.txt`, `catalog.rdf`):
//!   the feeds, open data and sitemap, at once, so that a template that fails is reported;
//! - a static file: the static files;
//! - `insyn.toml`, a theme's `theme.toml` or an audit's source text (`.txt` under
//!   `content/`): everything.
//!
//! A change that does not build leaves the last good site in place.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use super::changes::Changes;
use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Audit;
use crate::output::MemoryOutput;
use crate::pages::{self, PageJob, Shared};
use crate::pipeline::{BuildOptions, Silent, load_config, render_page, render_pages, render_site};
use crate::render::{Documents, Renderer, Theme, documents};
use crate::search;
use crate::site::Site;
use crate::translations::Translations;
use insyn_search::writer::Indexer;

/// What a rebuild did.
#[derive(Clone, Debug, Default)]
pub struct Rebuilt {
    pub pages: usize,
    pub audits: usize,
    pub index: bool,
}

/// The in-memory site of `insyn serve`.
pub struct Dev {
    options: BuildOptions,
    config: Config,
    theme: Theme,
    /// The theme's document templates, shared with the background publishing.
    documents: Arc<Documents>,
    /// Every audit that loads, as loaded (before follow-ups update statuses), by file.
    audits: BTreeMap<PathBuf, Arc<Audit>>,
    /// The problems of files that do not load, by file.
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    site: Arc<Site>,
    /// The site's cards and listing entries, reused for audits an edit leaves alone.
    shared: Shared,
    output: Arc<MemoryOutput>,
    /// Keeps the index's segments, so an edit re-indexes only its audit's segment.
    indexer: Indexer,
    /// The feeds, data files and sitemap in the output (by path).
    published: HashSet<String>,
    /// Their regeneration after the last change, while it runs.
    publishing: Option<std::thread::JoinHandle<HashSet<String>>>,
}

impl Dev {
    /// Builds the whole site into memory.
    pub fn new(options: BuildOptions) -> Result<Dev, Diagnostics> {
        let config = load_config(&options)?;
        let theme = Theme::load(&options.root, &config)?;
        let documents = Arc::new(Documents::new(&theme)?);
        let files = content::find_files(&options.root)?;
        let mut audits = BTreeMap::new();
        let mut problems = BTreeMap::new();
        for rel in files {
            load_into(
                &options.root,
                &rel,
                (&config, &theme.translations),
                &mut audits,
                &mut problems,
            );
        }
        let site = assemble((&config, &theme.translations), &audits, &problems)?;
        let output = MemoryOutput::new();
        let mut indexer = Indexer::incremental();
        render_site(&site, &theme, &output, &Silent, &mut indexer)?;
        let renderer = Renderer::new(&theme, &site)?;
        let shared = Shared::new(&site, &renderer)?;
        // What is neither a page, a search file nor a static file was published.
        let published = output
            .paths()
            .into_iter()
            .filter(|p| {
                !p.ends_with(".html")
                    && !p.starts_with(&format!("{}/", search::DIR))
                    && !theme.static_files.contains_key(p)
            })
            .collect();
        Ok(Dev {
            options,
            config,
            theme,
            documents,
            audits,
            problems,
            site: Arc::new(site),
            shared,
            output: Arc::new(output),
            indexer,
            published,
            publishing: None,
        })
    }

    /// The last good output.
    pub fn output(&self) -> Arc<MemoryOutput> {
        Arc::clone(&self.output)
    }

    /// Brings the site up to date with `changes`. On error the last good site stays.
    pub fn apply(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        self.settle();
        if changes.everything {
            let fresh = Dev::new(self.options.clone())?;
            let audits = fresh.site.audits.len();
            *self = fresh;
            return Ok(Rebuilt {
                pages: usize::MAX,
                audits,
                index: true,
            });
        }
        let mut rebuilt = Rebuilt::default();
        if !changes.templates.is_empty() || changes.statics {
            self.theme = Theme::load(&self.options.root, &self.config)?;
            self.documents = Arc::new(Documents::new(&self.theme)?);
        }
        if !changes.content.is_empty() {
            rebuilt = self.apply_content(&changes.content)?;
        }
        if !changes.templates.is_empty() {
            rebuilt.pages += self.apply_templates(&changes.templates)?;
        }
        if changes.statics {
            let output = self.output.snapshot();
            for (name, bytes) in &self.theme.static_files {
                output
                    .write(name, bytes)
                    .map_err(|e| Diagnostic::error(name.clone(), e.to_string()))?;
            }
            self.output = Arc::new(output);
        }
        Ok(rebuilt)
    }

    fn apply_content(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Rebuilt, Diagnostics> {
        self.settle();
        let (audits, problems, mut touched) = self.reload(changed);
        let site = assemble((&self.config, &self.theme.translations), &audits, &problems)?;
        // Follow-ups show the audits they follow up, and set their statuses.
        for s in [&*self.site, &site] {
            touched.extend(related(s, &touched));
        }
        let renderer = Renderer::new(&self.theme, &site)?;
        let before = Some((&self.shared, &*self.site, &touched));
        let shared = Shared::reusing(&site, &renderer, before)?;
        let all = pages::jobs(&site);
        let before = Before::new(&self.site, &self.shared, &site, &touched);
        let jobs: Vec<PageJob> = all
            .iter()
            .copied()
            .filter(|&job| before.changed(&site, &shared, job))
            .collect();
        let output = self.output.snapshot();
        let pages = render_pages(&site, &shared, &jobs, &renderer, &output, &Silent)?;
        let search_page = match self.reindex(&site, &renderer, &output, &touched) {
            Ok(file) => file,
            Err(e) => {
                // The indexer may hold segments of this failed state: start it afresh.
                self.indexer = Indexer::incremental();
                return Err(e.into());
            }
        };
        // Pages of terms or audits that no longer exist.
        let urls = pages::urls(&site, &all);
        let mut expected: HashSet<String> = urls.iter().map(|u| site.urls.file_of(u)).collect();
        expected.insert(
            site.urls
                .file_of(&pages::page_url(&site, PageJob::NotFound)),
        );
        expected.insert(search_page);
        output.retain(|p| {
            !p.ends_with(".html") || expected.contains(p) || self.theme.static_files.contains_key(p)
        });
        let old = (
            std::mem::replace(&mut self.audits, audits),
            std::mem::replace(&mut self.site, Arc::new(site)),
            std::mem::replace(&mut self.shared, shared),
            std::mem::replace(&mut self.output, Arc::new(output)),
        );
        self.problems = problems;
        // Freeing the old site takes longer than rendering the new one's pages: not waited for.
        std::thread::spawn(move || drop(old));
        self.publish_in_background(urls);
        Ok(Rebuilt {
            pages: pages + 1,
            audits: touched.len(),
            index: true,
        })
    }

    /// The audits with `changed` files reloaded, the problems, and the ids of the audits
    /// the change touched (before and after).
    #[allow(clippy::type_complexity)]
    fn reload(
        &self,
        changed: &BTreeSet<PathBuf>,
    ) -> (
        BTreeMap<PathBuf, Arc<Audit>>,
        BTreeMap<PathBuf, Vec<Diagnostic>>,
        HashSet<String>,
    ) {
        let mut audits = self.audits.clone();
        let mut problems = self.problems.clone();
        let mut touched = HashSet::new();
        for rel in changed {
            if let Some(old) = audits.remove(rel) {
                touched.insert(old.meta.id.clone());
            }
            problems.remove(rel);
            if self.options.root.join(rel).is_file() {
                load_into(
                    &self.options.root,
                    rel,
                    (&self.config, &self.theme.translations),
                    &mut audits,
                    &mut problems,
                );
            }
            if let Some(new) = audits.get(rel) {
                touched.insert(new.meta.id.clone());
            }
        }
        (audits, problems, touched)
    }

    /// Rebuilds the index's segments of the `touched` audits and writes the search files and
    /// the search page naming them into `output`; returns the search page's file.
    fn reindex(
        &mut self,
        site: &Site,
        renderer: &Renderer,
        output: &MemoryOutput,
        touched: &HashSet<String>,
    ) -> Result<String, Diagnostic> {
        let indexes = search::build(site, &mut self.indexer, Some(touched), None)?;
        let files = search::files(site, indexes);
        // Search files are content-hashed: those of unchanged segments stay as they are.
        let current: HashSet<&str> = files.files.iter().map(|(p, _)| p.as_str()).collect();
        let dir = format!("{}/", search::DIR);
        output.retain(|p| !p.starts_with(&dir) || current.contains(p));
        for (path, bytes) in &files.files {
            if output.get(path).is_none() || path.ends_with(search::MANIFEST) {
                output
                    .write_shared(path, Arc::clone(bytes))
                    .map_err(|e| Diagnostic::error(path.clone(), e.to_string()))?;
            }
        }
        let page = pages::search_page(site, &files.manifest);
        render_page(renderer, &site.urls, &page, output)
    }

    /// Regenerates the feeds, open data and sitemap off the edit's critical path: they are
    /// written into the current output when ready (see [`Dev::settle`]).
    fn publish_in_background(&mut self, urls: Vec<String>) {
        let site = Arc::clone(&self.site);
        let documents = Arc::clone(&self.documents);
        let output = Arc::clone(&self.output);
        let before = std::mem::take(&mut self.published);
        self.publishing = Some(std::thread::spawn(move || {
            // A document template that fails on the new content leaves the files as they
            // were; a build or `insyn check` names the template.
            publish_into(&site, &documents, &urls, &output, &before).unwrap_or(before)
        }));
    }

    /// Waits until the feeds, open data and sitemap of the last change are written.
    pub fn settle(&mut self) {
        if let Some(job) = self.publishing.take() {
            self.published = job.join().unwrap_or_default();
        }
    }

    fn apply_templates(&mut self, changed: &BTreeSet<String>) -> Result<usize, Diagnostics> {
        // Document templates are rendered by the publishing, not with the pages.
        let (of_documents, changed): (BTreeSet<String>, BTreeSet<String>) = changed
            .iter()
            .cloned()
            .partition(|t| documents::is_builtin(t));
        if !of_documents.is_empty() {
            // At once rather than in the background, so that a template that fails to
            // render is reported now.
            self.settle();
            let urls = pages::urls(&self.site, &pages::jobs(&self.site));
            let (site, templates) = (&self.site, &self.documents);
            self.published = publish_into(site, templates, &urls, &self.output, &self.published)?;
        }
        if changed.is_empty() {
            return Ok(0);
        }
        let renderer = Renderer::new(&self.theme, &self.site)?;
        let shared = Shared::new(&self.site, &renderer)?;
        let all: Vec<(PageJob, &str)> = pages::jobs(&self.site)
            .into_iter()
            .map(|j| (j, j.template(&self.site)))
            .collect();
        // A page template renders its own pages; any other (base, components) renders all.
        let only_pages = changed
            .iter()
            .all(|t| all.iter().any(|(_, template)| template == t) || t == "search.html");
        let jobs: Vec<PageJob> = all
            .into_iter()
            .filter(|(_, template)| !only_pages || changed.contains(*template))
            .map(|(j, _)| j)
            .collect();
        let output = self.output.snapshot();
        let mut pages = render_pages(&self.site, &shared, &jobs, &renderer, &output, &Silent)?;
        if !only_pages || changed.contains("search.html") {
            let manifest = self.search_manifest();
            let page = pages::search_page(&self.site, &manifest);
            render_page(&renderer, &self.site.urls, &page, &output)?;
            pages += 1;
        }
        self.output = Arc::new(output);
        Ok(pages)
    }

    /// The manifest of the search files currently in the output.
    fn search_manifest(&self) -> search::Manifest {
        let path = format!("{}/{}", search::DIR, search::MANIFEST);
        self.output
            .get(&path)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
}

/// Publishes `site` with `documents` into `output` in place of the files `before` lists;
/// returns the files it published. On a failure `output` is left as it was.
fn publish_into(
    site: &Site,
    documents: &Documents,
    urls: &[String],
    output: &MemoryOutput,
    before: &HashSet<String>,
) -> Result<HashSet<String>, Diagnostic> {
    let fresh = MemoryOutput::new();
    crate::pipeline::publish(site, documents, urls, &fresh)?;
    let now: HashSet<String> = fresh.paths().into_iter().collect();
    output.retain(|p| !before.contains(p) || now.contains(p));
    for path in &now {
        if let Some(bytes) = fresh.get(path) {
            // Writing into memory cannot fail.
            let _ = output.write_shared(path, bytes);
        }
    }
    Ok(now)
}

/// Loads one audit file into the maps.
fn load_into(
    root: &Path,
    rel: &Path,
    (config, texts): (&Config, &Translations),
    audits: &mut BTreeMap<PathBuf, Arc<Audit>>,
    problems: &mut BTreeMap<PathBuf, Vec<Diagnostic>>,
) {
    let (audit, found) = match content::read(root, rel) {
        Ok(text) => content::load_audit(&text, rel, config, texts, Some(root)),
        Err(d) => (None, vec![d]),
    };
    if let Some(a) = audit {
        audits.insert(rel.to_path_buf(), Arc::new(a));
    }
    if found.iter().any(Diagnostic::is_error) {
        problems.insert(rel.to_path_buf(), found);
    }
}

/// The site from the loaded audits, or every problem there is.
fn assemble(
    (config, texts): (&Config, &Translations),
    audits: &BTreeMap<PathBuf, Arc<Audit>>,
    problems: &BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> Result<Site, Diagnostics> {
    let mut all: Vec<Arc<Audit>> = audits.values().cloned().collect();
    let mut found: Diagnostics = problems.values().flatten().cloned().collect();
    found.extend(content::check_site(&mut all, problems.is_empty()));
    if found.has_errors() {
        found.sort();
        return Err(found);
    }
    Ok(Site::new(config.clone(), texts.clone(), all))
}

/// The audits related to `ids` by follow-ups in `site`: those they follow up (whose
/// statuses they set) and those following them up (whose pages name them).
fn related(site: &Site, ids: &HashSet<String>) -> Vec<String> {
    site.audits
        .iter()
        .filter_map(|a| {
            let target = a.meta.follows_up.as_deref()?;
            if ids.contains(a.id()) {
                Some(target.to_string())
            } else if ids.contains(target) {
                Some(a.id().to_string())
            } else {
                None
            }
        })
        .collect()
}

/// The site before a change, for telling which pages the change affects.
struct Before<'a> {
    site: &'a Site,
    shared: &'a Shared,
    /// Its pages by URL.
    jobs: HashMap<String, PageJob>,
    /// For each audit of the changed site, its position before (`None`: a new audit).
    was: Vec<Option<usize>>,
    /// For each audit of the changed site, whether the change touched it.
    touched: Vec<bool>,
}

impl<'a> Before<'a> {
    fn new(
        site: &'a Site,
        shared: &'a Shared,
        now: &Site,
        touched: &HashSet<String>,
    ) -> Before<'a> {
        let jobs = pages::jobs(site)
            .into_iter()
            .map(|j| (pages::page_url(site, j), j))
            .collect();
        let position: HashMap<&str, usize> = site
            .audits
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id(), i))
            .collect();
        Before {
            site,
            shared,
            jobs,
            was: now
                .audits
                .iter()
                .map(|a| position.get(a.id()).copied())
                .collect(),
            touched: now
                .audits
                .iter()
                .map(|a| touched.contains(a.id()))
                .collect(),
        }
    }

    /// Whether page `job` of the changed site differs from before: an audit page when its
    /// audit was touched; a listing when it lists a touched audit, or lists other audits or
    /// items, or other figures, than the page at its URL did; the pages of site-wide
    /// figures always.
    fn changed(&self, site: &Site, shared: &Shared, job: PageJob) -> bool {
        match job {
            PageJob::Audit(i) => self.touched[i],
            PageJob::NotFound | PageJob::About | PageJob::Accessibility => false,
            _ => {
                let Some(now) = pages::shown(site, shared, job) else {
                    return true; // the home page, indexes, statistics: site-wide figures
                };
                let listed = now.audits.iter().chain(now.items.iter().map(|(a, _)| a));
                if listed.copied().any(|a| self.touched[a]) {
                    return true;
                }
                let then = self
                    .jobs
                    .get(&pages::page_url(site, job))
                    .and_then(|&old| pages::shown(self.site, self.shared, old));
                then.is_none_or(|then| !self.same(&then, &now))
            }
        }
    }

    /// Whether a listing page shows now what it showed before (untouched audits keep their
    /// items, so items compare by position).
    fn same(&self, then: &pages::Shown, now: &pages::Shown) -> bool {
        then.figures == now.figures
            && then.audits.len() == now.audits.len()
            && then.items.len() == now.items.len()
            && now
                .audits
                .iter()
                .zip(then.audits.iter())
                .all(|(&n, &o)| self.was[n] == Some(o))
            && now
                .items
                .iter()
                .zip(then.items)
                .all(|(&(na, ni), &(oa, oi))| ni == oi && self.was[na] == Some(oa))
    }
}
