//! schema.org metadata (JSON-LD) for audit pages: a `Report` by its audit firm about a
//! municipality (`GovernmentOrganization`).

use serde_json::json;

use crate::model::{Audit, Taxonomies};
use crate::site::Site;
use crate::text::excerpt;

/// The JSON-LD of an audit page, safe to put inside a `<script>` element.
pub fn audit(site: &Site, audit: &Audit) -> String {
    let c = &site.config;
    let m = &audit.meta;
    let firm = c.auditors.get(&m.auditor);
    let mut about = json!({ "@type": "GovernmentOrganization", "name": m.municipality });
    if let Some(county) = &m.county {
        about["areaServed"] = json!({ "@type": "AdministrativeArea", "name": county });
    }
    let value = json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": site.urls.permalink(&m.id, None),
        "url": site.urls.permalink(&m.id, None),
        "name": m.title,
        "headline": m.title,
        "datePublished": m.date.to_string(),
        "inLanguage": m.language.code(),
        "author": {
            "@type": "Organization",
            "name": firm.map_or(m.auditor.as_str(), |f| f.full_name.as_deref().unwrap_or(&f.name)),
        },
        "funder": { "@type": "Organization", "name": m.commissioned_by },
        "about": about,
        "keywords": m.themes.iter().map(|t| Taxonomies::theme_label(c, t, c.language)).collect::<Vec<_>>(),
        "abstract": excerpt(audit.body.summary.lines().next().unwrap_or(""), 500),
        "isPartOf": { "@type": "WebSite", "name": c.title, "url": site.urls.absolute(&site.urls.home()) },
    });
    // `<` could end the script element early; JSON allows it escaped. Compact: it is read by
    // machines, and indented it was 4 % of every audit page.
    serde_json::to_string(&value)
        .expect("JSON-LD serialises")
        .replace('<', "\\u003c")
}
