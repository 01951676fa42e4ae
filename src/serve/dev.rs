//! The site as `insyn serve` keeps it: built into memory once, then brought up to date
//! change by change, re-rendering only what a change affects.
//!
//! - an audit edited: its own page, the listings it appears (or appeared) on, the index
//!   pages and the search index;
//! - a page template edited: the pages that template renders (all pages when a shared
//!   template such as `base.html` changes);
//! - a static file: the static files;
//! - `insyn.toml` or a theme's `theme.toml`: everything.
//!
//! A change that does not build leaves the last good site in place.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{BuildOptions, Silent, load_config, render_pages, render_site};
use crate::config::Config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Audit;
use crate::output::MemoryOutput;
use crate::render::{Renderer, Theme};
use crate::search;
use crate::site::Site;
use crate::site::pages::{self, PageJob, Shared};
use crate::text::slugify;

/// What changed on disk, sorted by what it affects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Audit files, relative to the root.
    pub content: BTreeSet<PathBuf>,
    /// Template names (`audit.html`).
    pub templates: BTreeSet<String>,
    pub statics: bool,
    /// `insyn.toml` or a theme's `theme.toml`: rebuild everything.
    pub everything: bool,
}

impl Changes {
    /// Classifies changed paths (absolute or relative to `root`), each with whether it is a
    /// folder that appeared or went.
    pub fn classify(root: &Path, paths: impl IntoIterator<Item = (PathBuf, bool)>) -> Changes {
        let mut changes = Changes::default();
        for (path, folder) in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = parts.last().cloned().unwrap_or_default();
            if last.starts_with('.') || last.ends_with('~') {
                continue; // editor swap and backup files
            }
            match parts.first().map(String::as_str) {
                Some(CONTENT_DIR) if last.ends_with(".md") => {
                    changes.content.insert(rel);
                }
                Some(CONTENT_DIR) if folder => {
                    // A folder appeared or went; its files are not reported one by one.
                    changes.everything = true;
                }
                Some("templates") => {
                    changes.templates.insert(parts[1..].join("/"));
                }
                Some("static") => changes.statics = true,
                Some("themes") => match parts.get(2).map(String::as_str) {
                    Some("templates") => {
                        changes.templates.insert(parts[3..].join("/"));
                    }
                    Some("static") => changes.statics = true,
                    _ => changes.everything = true,
                },
                Some(crate::config::CONFIG_FILE) => changes.everything = true,
                _ => {}
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

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
    /// Every audit that loads, as loaded (before follow-ups update statuses), by file.
    audits: BTreeMap<PathBuf, Audit>,
    /// The problems of files that do not load, by file.
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    site: Site,
    output: Arc<MemoryOutput>,
}

impl Dev {
    /// Builds the whole site into memory.
    pub fn new(options: BuildOptions) -> Result<Dev, Diagnostics> {
        let config = load_config(&options)?;
        let theme = Theme::load(&options.root, &config)?;
        let files = content::find_files(&options.root)?;
        let mut audits = BTreeMap::new();
        let mut problems = BTreeMap::new();
        for rel in files {
            load_into(&options.root, &rel, &config, &mut audits, &mut problems);
        }
        let site = assemble(&config, &audits, &problems)?;
        let output = MemoryOutput::new();
        render_site(&site, &theme, &output, &Silent)?;
        Ok(Dev {
            options,
            config,
            theme,
            audits,
            problems,
            site,
            output: Arc::new(output),
        })
    }

    /// The last good output.
    pub fn output(&self) -> Arc<MemoryOutput> {
        Arc::clone(&self.output)
    }

    /// Brings the site up to date with `changes`. On error the last good site stays.
    pub fn apply(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
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
        let mut audits = self.audits.clone();
        let mut problems = self.problems.clone();
        let mut touched: HashSet<String> = HashSet::new();
        let mut terms = Terms::default();
        for rel in changed {
            if let Some(old) = audits.remove(rel) {
                touched.insert(old.meta.id.clone());
                terms.add(&old);
            }
            problems.remove(rel);
            if self.options.root.join(rel).is_file() {
                load_into(
                    &self.options.root,
                    rel,
                    &self.config,
                    &mut audits,
                    &mut problems,
                );
            }
            if let Some(new) = audits.get(rel) {
                touched.insert(new.meta.id.clone());
                terms.add(new);
            }
        }
        let site = assemble(&self.config, &audits, &problems)?;
        let renderer = Renderer::new(&self.theme, &site)?;
        let shared = Shared::new(
            &site,
            &renderer,
            self.theme.strings(self.config.language.code()),
        )?;
        let all = pages::jobs(&site, &shared);
        let jobs: Vec<PageJob> = all
            .iter()
            .copied()
            .filter(|&job| affected(&site, job, &touched, &terms))
            .collect();
        let output = self.output.snapshot();
        let pages = render_pages(&site, &shared, &jobs, &renderer, &output, &Silent)?;
        // The search index and the search page that names it.
        let files = search::files(&site, search::bundle(&site)?);
        output.retain(|p| !p.starts_with(&format!("{}/", search::DIR)));
        for (path, bytes) in &files.files {
            output
                .write(path, bytes)
                .map_err(|e| Diagnostic::error(path.clone(), e.to_string()))?;
        }
        let search_page = pages::search_page(&site, &files.manifest);
        let html = renderer.render(&search_page)?;
        let search_file = site.urls.file_of(&search_page.url);
        output
            .write(&search_file, html.as_bytes())
            .map_err(|e| Diagnostic::error(search_file.clone(), e.to_string()))?;
        // Pages of terms or audits that no longer exist.
        let mut expected: HashSet<String> = all
            .iter()
            .map(|&j| site.urls.file_of(&pages::page_url(&site, j)))
            .collect();
        expected.insert(search_file);
        output.retain(|p| {
            !p.ends_with(".html") || expected.contains(p) || self.theme.static_files.contains_key(p)
        });
        self.audits = audits;
        self.problems = problems;
        self.site = site;
        self.output = Arc::new(output);
        Ok(Rebuilt {
            pages: pages + 1,
            audits: touched.len(),
            index: true,
        })
    }

    fn apply_templates(&mut self, changed: &BTreeSet<String>) -> Result<usize, Diagnostics> {
        let renderer = Renderer::new(&self.theme, &self.site)?;
        let shared = Shared::new(
            &self.site,
            &renderer,
            self.theme.strings(self.config.language.code()),
        )?;
        let all = pages::jobs(&self.site, &shared);
        // A page template renders its own pages; any other (base, components) renders all.
        let only_pages = changed
            .iter()
            .all(|t| all.iter().any(|j| j.template() == t) || t == "search.html");
        let jobs: Vec<PageJob> = all
            .into_iter()
            .filter(|j| !only_pages || changed.contains(j.template()))
            .collect();
        let output = self.output.snapshot();
        let mut pages = render_pages(&self.site, &shared, &jobs, &renderer, &output, &Silent)?;
        if !only_pages || changed.contains("search.html") {
            let manifest = self.search_manifest();
            let page = pages::search_page(&self.site, &manifest);
            let html = renderer.render(&page)?;
            let file = self.site.urls.file_of(&page.url);
            output
                .write(&file, html.as_bytes())
                .map_err(|e| Diagnostic::error(file, e.to_string()))?;
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
            .unwrap_or(search::Manifest {
                version: 1,
                engine: String::new(),
                index: String::new(),
                worker: String::new(),
                docs: 0,
                index_bytes: 0,
            })
    }
}

/// Loads one audit file into the maps.
fn load_into(
    root: &Path,
    rel: &Path,
    config: &Config,
    audits: &mut BTreeMap<PathBuf, Audit>,
    problems: &mut BTreeMap<PathBuf, Vec<Diagnostic>>,
) {
    let (audit, found) = match content::read(root, rel) {
        Ok(text) => content::load_audit(&text, rel, config, Some(&root.join("static"))),
        Err(d) => (None, vec![d]),
    };
    if let Some(a) = audit {
        audits.insert(rel.to_path_buf(), a);
    }
    if found.iter().any(Diagnostic::is_error) {
        problems.insert(rel.to_path_buf(), found);
    }
}

/// The site from the loaded audits, or every problem there is.
fn assemble(
    config: &Config,
    audits: &BTreeMap<PathBuf, Audit>,
    problems: &BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> Result<Site, Diagnostics> {
    let mut all: Vec<Audit> = audits.values().cloned().collect();
    let mut found: Diagnostics = problems.values().flatten().cloned().collect();
    found.extend(content::check_site(&mut all, problems.is_empty()));
    if found.has_errors() {
        found.sort();
        return Err(found);
    }
    Ok(Site::new(config.clone(), all))
}

/// The taxonomy terms changed audits belonged to, before and after the change.
#[derive(Default)]
struct Terms {
    municipalities: HashSet<String>,
    auditors: HashSet<String>,
    years: HashSet<i32>,
    themes: HashSet<String>,
}

impl Terms {
    fn add(&mut self, audit: &Audit) {
        let m = &audit.meta;
        self.municipalities.insert(slugify(&m.municipality));
        self.auditors.insert(m.auditor.clone());
        self.years.insert(m.date.year());
        self.themes.extend(m.themes.iter().cloned());
        for item in &audit.items {
            self.themes.extend(item.themes.iter().cloned());
        }
    }
}

/// Whether a page shows anything of the changed audits.
fn affected(site: &Site, job: PageJob, touched: &HashSet<String>, terms: &Terms) -> bool {
    let t = &site.taxonomies;
    match job {
        PageJob::Audit(i) => touched.contains(site.audits[i].id()),
        PageJob::NotFound => false,
        PageJob::Municipality(i, _) => terms.municipalities.contains(&t.municipalities[i].slug),
        PageJob::Auditor(i, _) => terms.auditors.contains(&t.auditors[i].key),
        PageJob::Year(i, _) => terms.years.contains(&t.years[i].year),
        PageJob::Theme(i, _) => terms.themes.contains(&t.themes[i].key),
        PageJob::RecommendationsByMunicipality(i, _) => {
            terms.municipalities.contains(&t.municipalities[i].slug)
        }
        PageJob::CompareCell(c, _) => {
            let (m, th, _) = &site.register.cells[c];
            terms.municipalities.contains(&t.municipalities[*m].slug)
                || terms.themes.contains(&t.themes[*th].key)
        }
        PageJob::About | PageJob::Accessibility => false,
        // Listings of everything, and the indexes and figures with their counts.
        PageJob::Home
        | PageJob::Audits(_)
        | PageJob::Recommendations(_)
        | PageJob::RecommendationsByStatus(..)
        | PageJob::Municipalities
        | PageJob::Auditors
        | PageJob::Themes
        | PageJob::Years
        | PageJob::Responses
        | PageJob::Statistics
        | PageJob::Compare => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified_by_what_they_affect() {
        let root = Path::new("/site");
        let files = |paths: &[&str]| -> Vec<(PathBuf, bool)> {
            paths.iter().map(|p| (PathBuf::from(p), false)).collect()
        };
        let c = Changes::classify(
            root,
            files(&[
                "/site/content/a/b.md",
                "/site/content/a/.b.md.swp",
                "/site/content/a/sedX1b2c3",
                "/site/themes/default/templates/audit.html",
                "/site/templates/base.html",
                "/site/themes/default/static/style.css",
                "/site/public/index.html",
            ]),
        );
        assert_eq!(c.content, BTreeSet::from([PathBuf::from("content/a/b.md")]));
        assert_eq!(
            c.templates,
            BTreeSet::from(["audit.html".to_string(), "base.html".to_string()])
        );
        assert!(c.statics);
        assert!(!c.everything);
        assert!(Changes::classify(root, files(&["/site/insyn.toml"])).everything);
        assert!(Changes::classify(root, files(&["/site/themes/default/theme.toml"])).everything);
        assert!(Changes::classify(root, files(&["/site/target/x"])).is_empty());
        assert!(Changes::classify(root, [(PathBuf::from("/site/content/new"), true)]).everything);
    }
}
