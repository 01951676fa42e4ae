//! Atom feeds (RFC 4287): every audit, and one per municipality, audit firm and theme.

use super::xml::escape;
use crate::site::Site;
use crate::text::excerpt;

/// The most entries a feed carries (the newest).
const MAX_ENTRIES: usize = 100;

/// One feed: its file, what it lists, and a subtitle.
struct Feed<'a> {
    /// The listing page the feed belongs to (root-relative URL).
    page: String,
    subtitle: Option<&'a str>,
    audits: &'a [usize],
}

/// `(path in the output, XML)` of every feed.
pub fn feeds(site: &Site) -> Vec<(String, Vec<u8>)> {
    let all: Vec<usize> = (0..site.audits.len()).collect();
    let t = &site.taxonomies;
    let u = &site.urls;
    let mut list = vec![Feed {
        page: u.home(),
        subtitle: None,
        audits: &all,
    }];
    list.extend(t.municipalities.iter().map(|m| Feed {
        page: u.municipality(&m.slug),
        subtitle: Some(&m.name),
        audits: &m.audits,
    }));
    list.extend(t.auditors.iter().map(|a| Feed {
        page: u.auditor(&a.key),
        subtitle: Some(&a.name),
        audits: &a.audits,
    }));
    list.extend(t.themes.iter().map(|th| Feed {
        page: u.theme(&th.key),
        subtitle: Some(&th.label),
        audits: &th.audits,
    }));
    list.iter()
        .map(|f| (u.file_of(&u.feed(&f.page)), render(site, f).into_bytes()))
        .collect()
}

fn render(site: &Site, feed: &Feed<'_>) -> String {
    let config = &site.config;
    let title = match feed.subtitle {
        Some(s) => format!("{} – {s}", config.title),
        None => config.title.clone(),
    };
    let self_url = site.urls.absolute(&site.urls.feed(&feed.page));
    let updated = feed
        .audits
        .first()
        .map_or_else(|| config.build_date(), |&a| site.audits[a].meta.date);
    let author = config.publisher.as_deref().unwrap_or(&config.title);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n  <generator>Insyn</generator>\n",
        config.language.code(),
        escape(&title),
        escape(&self_url),
        escape(&self_url),
        escape(&site.urls.absolute(&feed.page)),
        escape(author),
    );
    for &a in feed.audits.iter().take(MAX_ENTRIES) {
        let audit = &site.audits[a];
        let m = &audit.meta;
        let link = site.urls.permalink(&m.id, None);
        let firm = config.auditor_full_name(&m.auditor);
        xml.push_str(&format!(
            "  <entry>\n    <title>{} ({})</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <published>{}T00:00:00Z</published>\n    <updated>{}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n",
            escape(&m.title),
            escape(&m.municipality),
            escape(&link),
            escape(&link),
            m.date,
            m.date,
            escape(firm),
        ));
        for theme in &m.themes {
            let label = crate::model::Taxonomies::theme_label(config, theme, config.language);
            xml.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\" scheme=\"{}\"/>\n",
                escape(theme),
                escape(label),
                escape(&site.urls.absolute(&site.urls.themes()))
            ));
        }
        let summary = excerpt(audit.body.summary.lines().next().unwrap_or(&m.title), 500);
        xml.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n  </entry>\n",
            escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}
