//! Atom feeds (RFC 4287): every audit, and one per municipality, audit firm and theme. Which
//! feeds there are and what they list is decided here; the markup is the `atom.xml` template
//! (built in, or a theme's or site's own).

use std::borrow::Cow;

use serde::Serialize;

use crate::date::Date;
use crate::render::Document;
use crate::site::Site;
use crate::text::excerpt;

/// The template of every feed.
const TEMPLATE: &str = "atom.xml";

/// The most entries a feed carries (the newest).
const MAX_ENTRIES: usize = 100;

/// One feed: its file, what it lists, and a subtitle.
struct Feed<'a> {
    /// The listing page the feed belongs to (root-relative URL).
    page: String,
    subtitle: Option<&'a str>,
    /// Indexes into `site.audits`, newest first.
    audits: Cow<'a, [usize]>,
}

/// The context of `atom.xml`.
#[derive(Serialize)]
struct AtomContext<'a> {
    feed: FeedView<'a>,
    entries: Vec<EntryView<'a>>,
}

/// `feed` in `atom.xml`: the feed itself (URLs absolute).
#[derive(Serialize)]
struct FeedView<'a> {
    /// The site's title, with the municipality, firm or theme after a dash.
    title: String,
    language: &'a str,
    /// The feed's own URL, also its id.
    url: String,
    /// The listing page it belongs to.
    page: String,
    /// The newest entry's date (the build date when there is none).
    updated: Date,
    author: &'a str,
    /// The themes' index, the scheme of the entries' categories.
    themes: String,
}

/// One of `entries` in `atom.xml`: an audit.
#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    municipality: &'a str,
    /// The audit's permalink, also its id.
    url: String,
    date: Date,
    /// The audit firm's full name.
    author: &'a str,
    themes: Vec<ThemeView<'a>>,
    /// The summary's first paragraph, shortened (the title when there is none).
    summary: String,
}

/// A theme of an entry: its key (the category's term) and label.
#[derive(Serialize)]
struct ThemeView<'a> {
    key: &'a str,
    label: &'a str,
}

/// Every feed, as a document for `atom.xml`.
pub fn feeds(site: &Site) -> impl Iterator<Item = Document> + '_ {
    let t = &site.taxonomies;
    let u = &site.urls;
    let home = Feed {
        page: u.home(),
        subtitle: None,
        audits: Cow::Owned((0..site.audits.len()).collect()),
    };
    let municipalities = t.municipalities.iter().map(|m| Feed {
        page: u.municipality(&m.slug),
        subtitle: Some(&m.name),
        audits: Cow::Borrowed(&m.audits),
    });
    let auditors = t.auditors.iter().map(|a| Feed {
        page: u.auditor(&a.key),
        subtitle: Some(&a.name),
        audits: Cow::Borrowed(&a.audits),
    });
    let themes = t.themes.iter().map(|th| Feed {
        page: u.theme(&th.key),
        subtitle: Some(&th.label),
        audits: Cow::Borrowed(&th.audits),
    });
    std::iter::once(home)
        .chain(municipalities)
        .chain(auditors)
        .chain(themes)
        .map(|f| Document::new(u.file_of(&u.feed(&f.page)), TEMPLATE, &context(site, &f)))
}

/// What `atom.xml` is given for `feed`.
fn context<'a>(site: &'a Site, feed: &Feed<'a>) -> AtomContext<'a> {
    let config = &site.config;
    let urls = &site.urls;
    let title = match feed.subtitle {
        Some(s) => format!("{} – {s}", config.title),
        None => config.title.clone(),
    };
    let updated = feed
        .audits
        .first()
        .map_or_else(|| config.build_date(), |&a| site.audits[a].meta.date);
    AtomContext {
        feed: FeedView {
            title,
            language: config.language.code(),
            url: urls.absolute(&urls.feed(&feed.page)),
            page: urls.absolute(&feed.page),
            updated,
            author: config.publisher.as_deref().unwrap_or(&config.title),
            themes: urls.absolute(&urls.themes()),
        },
        entries: feed
            .audits
            .iter()
            .take(MAX_ENTRIES)
            .map(|&a| entry(site, a))
            .collect(),
    }
}

/// The entry of `site.audits[a]`.
fn entry(site: &Site, a: usize) -> EntryView<'_> {
    let config = &site.config;
    let audit = &site.audits[a];
    let m = &audit.meta;
    let themes = m
        .themes
        .iter()
        .map(|theme| ThemeView {
            key: theme,
            label: crate::model::Taxonomies::theme_label(config, theme, config.language),
        })
        .collect();
    EntryView {
        title: &m.title,
        municipality: &m.municipality,
        url: site.urls.permalink(&m.id, None),
        date: m.date,
        author: config.auditor_full_name(&m.auditor),
        themes,
        summary: excerpt(audit.body.summary.lines().next().unwrap_or(&m.title), 500),
    }
}
