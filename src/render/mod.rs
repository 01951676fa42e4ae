//! Rendering pages with tera templates (and, in [`documents`], the feeds, sitemap,
//! robots.txt and catalogue with theirs).
//!
//! Templates are compiled once per build; every page is then rendered from its own context
//! on top of a global context holding what all pages share (the site, navigation,
//! translations and asset URLs).

pub mod default_theme;
pub mod documents;
mod indent;
pub mod theme;
pub mod xml;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::text::fnv1a64;
pub use documents::{Document, Documents};
pub use theme::Theme;

/// A page's inputs to rendering: its URL, its template and the template's context (built
/// by the presentation layer, `pages`).
pub struct Page {
    pub url: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// The compiled templates of a build.
pub struct Renderer {
    tera: Tera,
}

/// The `site` variable of every template.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: String,
    language: &'a str,
    nav: Nav,
}

/// The `nav` links of the header.
#[derive(Serialize)]
struct Nav {
    home: String,
    audits: String,
    municipalities: String,
    auditors: String,
    themes: String,
    years: String,
    recommendations: String,
    search: String,
    responses: String,
    statistics: String,
    compare: String,
    about: String,
    accessibility: String,
    /// The Atom feed of all audits.
    feed: String,
}

impl Renderer {
    /// Compiles the theme's templates and sets up the global context for `site`.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // The document templates (atom.xml, …) are compiled by `Documents`, with XML escaping.
        let pages = theme
            .templates
            .iter()
            .filter(|(name, _)| !documents::is_builtin(name));
        tera.add_raw_templates(pages)
            .map_err(|e| Diagnostics::from_iter([template_problem("", &e)]))?;
        let urls = &site.urls;
        let global = tera.global_context();
        global.insert(
            "site",
            &SiteView {
                title: &site.config.title,
                description: &site.config.description,
                base_url: site.config.base_url_trimmed(),
                base_path: site.config.base_path(),
                language: site.config.language.code(),
                nav: Nav {
                    home: urls.home(),
                    audits: urls.audits(),
                    municipalities: urls.municipalities(),
                    auditors: urls.auditors(),
                    themes: urls.themes(),
                    years: urls.years(),
                    recommendations: urls.recommendations(),
                    search: urls.search(),
                    responses: urls.responses(),
                    statistics: urls.statistics(),
                    compare: urls.compare(),
                    about: urls.about(),
                    accessibility: urls.accessibility(),
                    feed: urls.feed(&urls.home()),
                },
            },
        );
        let strings = site.texts.strings(site.config.language.code());
        // For scripts: the texts they name, as JSON that cannot close the <script> element
        // it sits in. Only those: all of them would add kilobytes to the search page.
        let named = script_keys(theme);
        let for_scripts: BTreeMap<&String, &String> = strings
            .iter()
            .filter(|(k, _)| named.contains(k.as_str()))
            .collect();
        let json = serde_json::to_string(&for_scripts)
            .expect("strings serialise")
            .replace('<', "\\u003c");
        global.insert("t", &strings);
        global.insert("t_json", &json);
        global.insert("assets", &asset_urls(theme, site));
        Ok(Renderer { tera })
    }

    /// Renders one observation or recommendation for listings (the `entry.html` template),
    /// without its indentation: it is kept for the whole build, and the pages that show it
    /// would drop the indentation anyway.
    pub fn render_entry(&self, item: &impl Serialize) -> Result<String, Diagnostic> {
        let mut context = tera::Context::new();
        context.insert("item", item);
        render_bytes(&self.tera, "entry.html", &context, 1024)
            .map(indent::strip_indentation)
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
    }

    /// Renders one page into its HTML bytes (templates and values are UTF-8, so the bytes
    /// are too; not checking it again saves a pass over every page).
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        render_bytes(&self.tera, page.template, &page.context, 32 * 1024)
            .map(indent::strip_indentation)
    }
}

/// `template` rendered with `context` into bytes, starting with room for `capacity`.
fn render_bytes(
    tera: &Tera,
    template: &str,
    context: &tera::Context,
    capacity: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::with_capacity(capacity);
    tera.render_to(template, context, &mut bytes)
        .map_err(|e| template_problem(template, &e))?;
    Ok(bytes)
}

/// The interface texts the theme's scripts name, as `t.<key>`.
fn script_keys(theme: &Theme) -> std::collections::BTreeSet<&str> {
    let scripts = theme
        .static_files
        .iter()
        .filter(|(name, _)| name.ends_with(".js"))
        .filter_map(|(_, bytes)| std::str::from_utf8(bytes).ok());
    let mut keys = std::collections::BTreeSet::new();
    for script in scripts {
        for (i, _) in script.match_indices("t.") {
            // `t.` as a whole name: not the end of `const.` or `at.`.
            let before = script[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
                continue;
            }
            let rest = &script[i + 2..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end > 0 {
                keys.insert(&rest[..end]);
            }
        }
    }
    keys
}

/// Static files of the theme by name, with a `?v=` content hash so that browsers can cache them
/// for long and still see a new version at once.
fn asset_urls(theme: &Theme, site: &Site) -> BTreeMap<String, String> {
    theme
        .static_files
        .iter()
        .map(|(name, bytes)| {
            let url = format!("{}?v={:08x}", site.urls.asset(name), fnv1a64(bytes) as u32);
            (name.clone(), url)
        })
        .collect()
}

/// A tera error as a diagnostic on `templates/<template>` (`templates` when no one template
/// is to blame), with its chain of causes.
fn template_problem(template: &str, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    Diagnostic::error(
        format!("templates/{template}")
            .trim_end_matches('/')
            .to_string(),
        message,
    )
    .hint("a site's templates/ folder overrides the theme's; see docs/templates.md in Insyn's repository")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_texts() {
        let mut theme = Theme::default();
        let script = "const a = t.search_help + t.facet_kind; format.x; at.y; $t.z; obj.t.w; t.";
        theme
            .static_files
            .insert("search.js".into(), script.as_bytes().to_vec());
        theme
            .static_files
            .insert("notes.txt".into(), b"t.not_a_script".to_vec());
        let keys: Vec<&str> = script_keys(&theme).into_iter().collect();
        assert_eq!(keys, ["facet_kind", "search_help"]);
    }
}
