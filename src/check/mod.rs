//! `insyn check`: everything a build would find, and the links a build would write, without
//! writing anything.
//!
//! The site is loaded and validated as a build does, rendered into memory, and every
//! internal link and anchor of every page — those in audits and those templates make — is
//! followed. A broken link in an audit is reported at its line in the Markdown file.

pub mod hosts;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::MemoryOutput;
use crate::pipeline::{BuildError, BuildOptions, Silent, load, render_site};
use crate::site::{Site, urls};
use hosts::Footprint;

/// What a check found, and how much it looked at.
pub struct CheckReport {
    pub problems: Diagnostics,
    pub audits: usize,
    pub pages: usize,
    pub links: usize,
    /// What the site would publish (empty when it did not render).
    pub footprint: Footprint,
}

/// Checks the site at `options.root`, drafts included (each one is reported as needing
/// review).
pub fn check(options: &BuildOptions) -> CheckReport {
    let options = &BuildOptions {
        drafts: true,
        ..options.clone()
    };
    let mut report = CheckReport {
        problems: Diagnostics::new(),
        audits: 0,
        pages: 0,
        links: 0,
        footprint: Footprint::default(),
    };
    // On errors, links to audits that failed to load would all look broken: report the
    // cause only.
    let (site, theme) = match load(options) {
        Ok((site, theme, warnings)) => {
            report.problems = warnings;
            (site, theme)
        }
        Err(BuildError::Content(problems)) => {
            report.problems = problems;
            return report;
        }
        Err(BuildError::Output(problem)) => {
            report.problems.push(problem);
            return report;
        }
    };
    report.audits = site.audits.len();
    let memory = MemoryOutput::new();
    if let Err(d) = render_site(
        &site,
        &theme,
        &memory,
        &Silent,
        &mut insyn_search::writer::Indexer::full(),
    ) {
        report.problems.extend(d);
        return report;
    }
    report.footprint = Footprint::of_memory(&memory);
    let (mut broken, pages, links) = broken_links(&memory, site.urls.base());
    report.pages = pages;
    report.links = links;
    // One report per broken target: an item's link also shows on listing pages, but it was
    // written once, in its audit.
    let audit_pages = format!("{}/", urls::AUDITS);
    broken.sort_by_key(|b| {
        (
            b.target.clone(),
            !b.page.starts_with(&audit_pages),
            b.page.clone(),
        )
    });
    broken.dedup_by(|b, a| b.target == a.target);
    for link in broken {
        report.problems.push(locate(&options.root, &site, &link));
    }
    // Last, so that what a build can make safe does not stop the link check above.
    report.problems = std::mem::take(&mut report.problems).for_check();
    report.problems.sort();
    report
}

/// A link that leads nowhere.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page it is on (path in the output).
    pub page: String,
    /// The link as written.
    pub href: String,
    /// Why: no such page, or no such anchor on it.
    pub reason: String,
    /// Where it leads: the output file and the anchor.
    pub target: String,
}

/// Values of `attr="…"` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The output file a page URL path is served from.
fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Resolves `href` on `page` (an output path) to a path under the base, or `None` for
/// external links and links outside the site.
fn resolve(page: &str, href: &str, base: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    if lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
        || href.starts_with("//")
    {
        return None;
    }
    let path = href.split(['?', '#']).next().unwrap_or("");
    let joined = if path.is_empty() {
        return Some(page.to_string());
    } else if let Some(abs) = path.strip_prefix('/') {
        let rooted = format!("/{abs}");
        rooted.strip_prefix(base)?.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if joined.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(file_of(&out))
}

/// Every broken internal link of the rendered site, with the number of pages and links seen.
pub fn broken_links(output: &MemoryOutput, base: &str) -> (Vec<BrokenLink>, usize, usize) {
    let pages: Vec<String> = output
        .paths()
        .into_iter()
        .filter(|p| p.ends_with(".html"))
        .collect();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let texts: Vec<(&String, String)> = pages
        .iter()
        .filter_map(|p| Some((p, String::from_utf8(output.get(p)?.to_vec()).ok()?)))
        .collect();
    for (page, html) in &texts {
        ids.insert(
            page.as_str(),
            attr_values(html, "id")
                .into_iter()
                .map(String::from)
                .collect(),
        );
    }
    let mut broken = Vec::new();
    let mut links = 0;
    for (page, html) in &texts {
        for href in attr_values(html, "href") {
            let href = href.replace("&amp;", "&");
            let Some(target) = resolve(page, &href, base) else {
                continue;
            };
            links += 1;
            let anchor = href
                .split_once('#')
                .map(|(_, a)| a)
                .filter(|a| !a.is_empty());
            let reason = if output.get(&target).is_none() {
                Some(format!("there is no page {target}"))
            } else if let Some(a) = anchor {
                let known = ids.get(target.as_str()).is_some_and(|set| set.contains(a));
                (!known && target.ends_with(".html"))
                    .then(|| format!("{target} has no anchor #{a}"))
            } else {
                None
            };
            if let Some(reason) = reason {
                broken.push(BrokenLink {
                    page: (*page).clone(),
                    target: format!("{target}#{}", anchor.unwrap_or("")),
                    href,
                    reason,
                });
            }
        }
    }
    broken.sort();
    broken.dedup();
    (broken, texts.len(), links)
}

/// A diagnostic for a broken link: at its line in the audit when the audit wrote it,
/// otherwise against the page (a template made it).
fn locate(root: &std::path::Path, site: &Site, link: &BrokenLink) -> Diagnostic {
    let audit = link
        .page
        .strip_prefix(&format!("{}/", urls::AUDITS))
        .and_then(|rest| rest.strip_suffix("/index.html"))
        .and_then(|id| site.audit(id));
    let message = format!("broken link `{}`: {}", link.href, link.reason);
    if let Some(audit) = audit {
        let source = std::fs::read_to_string(root.join(&audit.path)).unwrap_or_default();
        if let Some(offset) = source
            .find(&format!("]({}", link.href))
            .map(|i| i + 2)
            .or_else(|| source.find(&link.href))
        {
            return Diagnostic::error(&audit.path, message)
                .at(Some(crate::config::position_of(&source, offset)))
                .hint(
                    "links inside the site are checked against the built pages and their anchors",
                );
        }
    }
    Diagnostic::error(PathBuf::from(&link.page), message).hint(
        "the link is made by a template; check the theme's templates (or the site's templates/ folder)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_like_a_browser() {
        let page = "granskning/a/index.html";
        assert_eq!(
            resolve(page, "/kommun/x/", "/").as_deref(),
            Some("kommun/x/index.html")
        );
        assert_eq!(
            resolve(page, "../b/#rf1", "/").as_deref(),
            Some("granskning/b/index.html")
        );
        assert_eq!(resolve(page, "#rf1", "/").as_deref(), Some(page));
        assert_eq!(resolve(page, "https://x.se/", "/"), None);
        assert_eq!(
            resolve(page, "/other/", "/insyn/"),
            None,
            "outside the site"
        );
        assert_eq!(
            resolve(page, "/insyn/style.css?v=1", "/insyn/").as_deref(),
            Some("style.css")
        );
        assert_eq!(resolve(page, "../../../../x", "/"), None);
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let out = MemoryOutput::new();
        out.write("index.html", b"<a href=\"/a/\">a</a> <a href=\"/a/#x\">x</a> <a href=\"/a/#y\">y</a> <a href=\"/nope/\">n</a>").unwrap();
        out.write("a/index.html", b"<h2 id=\"x\">X</h2>").unwrap();
        let (broken, pages, links) = broken_links(&out, "/");
        assert_eq!((pages, links), (2, 4));
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(hrefs, ["/a/#y", "/nope/"]);
    }
}
