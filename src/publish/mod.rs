//! What makes the published audits reusable: feeds, open data with its catalogue, the
//! sitemap and robots.txt, schema.org metadata, and build-time charts.

pub mod charts;
pub mod data;
pub mod dcat;
pub mod feeds;
pub mod jsonld;
pub mod xml;

use crate::site::Site;
use feeds::absolute;

/// `sitemap.xml` listing `pages` (root-relative URLs).
pub fn sitemap(site: &Site, pages: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml::escape(&absolute(site, url))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; here is the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(site, &format!("{}sitemap.xml", site.urls.base()))
    )
}

/// Every publishing file: feeds, open data, sitemap (of `pages`) and robots.txt.
pub fn files(site: &Site, pages: &[String]) -> Vec<(String, Vec<u8>)> {
    let mut files = feeds::feeds(site);
    files.extend(data::files(site));
    files.push(("sitemap.xml".into(), sitemap(site, pages).into_bytes()));
    // robots.txt only works at a domain's root; a site in a sub-folder cannot set it.
    if site.urls.base() == "/" {
        files.push(("robots.txt".into(), robots(site).into_bytes()));
    }
    files
}
