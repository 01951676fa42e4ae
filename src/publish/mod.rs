//! What makes the published audits reusable: feeds, open data with its catalogue, the
//! sitemap and robots.txt, schema.org metadata, and build-time charts.

pub mod data;
pub mod dcat;
pub mod feeds;
pub mod xml;

use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// `sitemap.xml` listing `pages` (root-relative URLs).
pub fn sitemap(site: &Site, pages: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml::escape(&site.urls.absolute(url))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; here is the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.urls
            .absolute(&format!("{}sitemap.xml", site.urls.base()))
    )
}

/// Where publishing files go as they are made (paths under the output).
pub trait Emit: Sync {
    /// Writes a whole file (or the first part of one).
    fn file(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Appends a part to a file begun with [`Emit::file`].
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
}

/// Writes every publishing file with `emit`: feeds, open data, sitemap (of `pages`) and
/// robots.txt.
pub fn files(site: &Site, pages: &[String], emit: &dyn Emit) -> Result<(), Diagnostic> {
    for (path, bytes) in feeds::feeds(site) {
        emit.file(&path, &bytes)?;
    }
    data::files(site, emit)?;
    emit.file("sitemap.xml", sitemap(site, pages).as_bytes())?;
    // robots.txt only works at a domain's root; a site in a sub-folder cannot set it.
    if site.urls.base() == "/" {
        emit.file("robots.txt", robots(site).as_bytes())?;
    }
    Ok(())
}
