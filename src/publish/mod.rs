//! What makes the published audits reusable: feeds, open data with its catalogue, the
//! sitemap and robots.txt, schema.org metadata, and build-time charts.
//!
//! The feeds, the catalogue, the sitemap and robots.txt are documents: this module decides
//! which there are and computes their values; their markup is a template
//! ([`crate::render::documents`]) that a theme or a site can override.

pub mod data;
pub mod dcat;
pub mod feeds;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::render::{Document, Documents};
use crate::site::Site;

/// The context of `sitemap.xml`.
#[derive(Serialize)]
struct SitemapContext {
    /// Every page's absolute URL.
    urls: Vec<String>,
}

/// The context of `robots.txt`.
#[derive(Serialize)]
struct RobotsContext {
    /// The sitemap's absolute URL.
    sitemap: String,
}

/// `sitemap.xml` listing `pages` (root-relative URLs).
pub fn sitemap(site: &Site, pages: &[String]) -> Document {
    let urls = pages.iter().map(|url| site.urls.absolute(url)).collect();
    Document::new(
        "sitemap.xml".into(),
        "sitemap.xml",
        &SitemapContext { urls },
    )
}

/// `robots.txt`: everything may be crawled; here is the sitemap. None when the site is in a
/// sub-folder: robots.txt only works at a domain's root.
pub fn robots(site: &Site) -> Option<Document> {
    let urls = &site.urls;
    (urls.base() == "/").then(|| {
        let sitemap = urls.absolute(&format!("{}sitemap.xml", urls.base()));
        Document::new(
            "robots.txt".into(),
            "robots.txt",
            &RobotsContext { sitemap },
        )
    })
}

/// Every document a site publishes, given its `pages` (root-relative URLs): the feeds, the
/// catalogue, the sitemap and robots.txt. Made one at a time, as they are rendered.
pub fn documents<'a>(site: &'a Site, pages: &[String]) -> impl Iterator<Item = Document> + 'a {
    let sitemap = sitemap(site, pages);
    feeds::feeds(site)
        .chain(std::iter::once_with(|| dcat::catalog(site)))
        .chain([sitemap])
        .chain(robots(site))
}

/// Where publishing files go as they are made (paths under the output).
pub trait Emit: Sync {
    /// Writes a whole file (or the first part of one).
    fn file(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Appends a part to a file begun with [`Emit::file`].
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// Writes every publishing file with `emit`: the documents (rendered with `templates`) and
/// the open data.
pub fn files(
    site: &Site,
    templates: &Documents,
    pages: &[String],
    emit: &dyn Emit,
) -> Result<(), Diagnostic> {
    let mut catalog = Vec::new();
    for document in documents(site, pages) {
        let bytes = templates.render(&document)?;
        emit.file(&document.path, &bytes)?;
        if document.template == dcat::CATALOG {
            catalog = bytes;
        }
    }
    // The bulk download holds the catalogue as published.
    data::files(site, &catalog, emit)
}
