//! The files published beside the pages — Atom feeds, the sitemap, robots.txt and the
//! DCAT-AP-SE catalogue — rendered from built-in templates that a theme or a site can
//! override file by file, as Zola does with its `atom.xml`, `sitemap.xml` and `robots.txt`.
//!
//! They have a tera instance of their own: XML wants its own escaping (tera's HTML escaping
//! also writes `/` as `&#x2F;`, which would change every URL), and robots.txt none at all.

use serde::Serialize;
use tera::Tera;

use super::{Theme, render_bytes, template_problem, xml};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The built-in templates (name, source), registered before any override.
pub const BUILTIN: [(&str, &str); 4] = [
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("robots.txt", include_str!("builtin/robots.txt")),
    ("catalog.rdf", include_str!("builtin/catalog.rdf")),
];

/// Whether `template` is the name of a built-in document template.
pub fn is_builtin(template: &str) -> bool {
    BUILTIN.iter().any(|(name, _)| *name == template)
}

/// A document's inputs to rendering: where it goes, its template and the template's context
/// (computed by `publish`).
pub struct Document {
    /// Path in the output (`atom.xml`, `kommun/alvesta/atom.xml`).
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
}

impl Document {
    /// A document whose template variables are the fields of `context`, a struct.
    pub fn new(path: String, template: &'static str, context: &impl Serialize) -> Document {
        Document {
            path,
            template,
            context: tera::Context::from_serialize(context).expect("a context is a struct"),
        }
    }
}

/// The compiled document templates: the built-in ones, with the theme's and the site's
/// overrides in their place.
pub struct Documents {
    tera: Tera,
}

impl Documents {
    /// Compiles the built-in templates and `theme`'s overrides of them; a broken override is
    /// a diagnostic naming `templates/<name>`.
    pub fn new(theme: &Theme) -> Result<Documents, Diagnostics> {
        let mut tera = Tera::new();
        tera.set_escape_fn(xml::escape_to);
        tera.autoescape_on([".xml", ".rdf"]);
        tera.add_raw_templates(BUILTIN)
            .expect("the built-in templates compile");
        for (name, _) in BUILTIN {
            if let Some(own) = theme.templates.get(name) {
                tera.add_raw_template(name, own)
                    .map_err(|e| Diagnostics::from_iter([template_problem(name, &e)]))?;
            }
        }
        Ok(Documents { tera })
    }

    /// Renders `document` into its bytes.
    pub fn render(&self, document: &Document) -> Result<Vec<u8>, Diagnostic> {
        render_bytes(&self.tera, document.template, &document.context, 4 * 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_escaped_for_xml_and_text_not_at_all() {
        let documents = Documents::new(&Theme::default()).unwrap();
        let sitemap = Document::new(
            "sitemap.xml".into(),
            "sitemap.xml",
            &serde_json::json!({ "urls": ["https://x.se/a?b=1&c='2'"] }),
        );
        let xml = String::from_utf8(documents.render(&sitemap).unwrap()).unwrap();
        assert!(
            xml.contains("<loc>https://x.se/a?b=1&amp;c=&apos;2&apos;</loc>"),
            "{xml}"
        );
        let robots = Document::new(
            "robots.txt".into(),
            "robots.txt",
            &serde_json::json!({ "sitemap": "https://x.se/a&b/" }),
        );
        let text = String::from_utf8(documents.render(&robots).unwrap()).unwrap();
        assert!(text.ends_with("Sitemap: https://x.se/a&b/\n"), "{text}");
    }
}
