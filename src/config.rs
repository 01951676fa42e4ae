//! The site configuration, `insyn.toml` at the site root.
//!
//! Every key is documented in docs/configuration.md; unknown keys are errors so that a
//! typo does not silently fall back to a default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::{is_slug, sort_key};

/// The file name of the configuration at the site root.
pub const CONFIG_FILE: &str = "insyn.toml";

/// The language of the site's interface (and the default language of its audits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Sv,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }
}

/// `insyn.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, in the header and in every page title.
    pub title: String,
    /// One or two sentences on what the site is, on the home page and in meta descriptions.
    #[serde(default)]
    pub description: String,
    /// Where the site will be published, e.g. `https://insyn.example.se` or
    /// `https://example.github.io/insyn/`. Its path is the prefix of every internal link.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The interface language: `sv` (default) or `en`.
    #[serde(default)]
    pub language: Language,
    /// The theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The output folder, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Whether raw HTML in audits is kept as written (`true`) or sanitised (`false`, default).
    #[serde(default)]
    pub allow_html: bool,
    /// How many entries a listing page shows before it continues on a next page.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// How many recommendations a page of the register shows: its entries are short, and
    /// at national scale the register is most of the listing pages.
    #[serde(default = "default_register_paginate_by")]
    pub register_paginate_by: usize,
    /// The audit firms, keyed by slug.
    #[serde(default)]
    pub auditors: BTreeMap<String, AuditorDef>,
    /// The theme vocabulary, keyed by slug.
    #[serde(default)]
    pub themes: BTreeMap<String, ThemeDef>,
    /// Who publishes the site (shown on "Om webbplatsen", in feeds and the data catalogue).
    #[serde(default)]
    pub publisher: Option<String>,
    /// The publisher's website.
    #[serde(default)]
    pub publisher_url: Option<String>,
    /// Where readers write to (an e-mail address).
    #[serde(default)]
    pub contact_email: Option<String>,
    /// The licence of the open data, as a URL (default: CC0 1.0).
    #[serde(default = "default_license")]
    pub license: String,
    /// The date the site is built "as of" (response statuses); default: `SOURCE_DATE_EPOCH`,
    /// else today.
    #[serde(default)]
    pub build_date: Option<crate::date::Date>,
    /// The text of "Om webbplatsen" (Markdown); the theme has a default.
    #[serde(default)]
    pub about: Option<String>,
    /// The accessibility statement (tillgänglighetsredogörelse).
    #[serde(default)]
    pub accessibility: AccessibilityStatement,
    /// How the open data is published.
    #[serde(default)]
    pub open_data: OpenData,
    /// How the search index is cut for large collections.
    #[serde(default)]
    pub search: SearchConfig,
}

/// `[search]`: a large collection also gets an index of its newest audits, which a first
/// search downloads instead of the whole collection's (see `docs/search.md`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// A site with more audits than this also publishes an index of its newest audits (at
    /// most this many, whole days), searched first; 0 turns it off. At 2,000 audits a first
    /// search downloads about 580 KB brotli, under the 600 KB that issue 14 sets.
    #[serde(default = "default_recent_audits")]
    pub recent_audits: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            recent_audits: default_recent_audits(),
        }
    }
}

fn default_recent_audits() -> usize {
    2000
}

/// How the open data's bulk download is cut into files.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OpenData {
    #[serde(default)]
    pub split: DataSplit,
}

/// One zip for every audit, or a zip for each year's audits: a host that limits a file's
/// size (Cloudflare Pages: 25 MiB) takes one zip only up to about 3,000 audits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DataSplit {
    #[default]
    None,
    Year,
}

/// The accessibility statement DIGG requires of public-sector websites.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityStatement {
    /// How the site complies with the law: `helt`, `delvis` or `inte` (förenlig).
    #[serde(default = "default_compliance")]
    pub compliance: Compliance,
    /// Known shortcomings, each with why it is not (yet) fixed.
    #[serde(default)]
    pub shortcomings: Vec<Shortcoming>,
    /// When the site was last assessed.
    #[serde(default)]
    pub assessed: Option<crate::date::Date>,
    /// When the statement was last updated.
    #[serde(default)]
    pub updated: Option<crate::date::Date>,
    /// How it was assessed (e.g. "Självskattning med automatiska tester (axe-core) …").
    #[serde(default)]
    pub method: Option<String>,
    /// Where to report problems (e-mail address or URL); default: `contact_email`.
    #[serde(default)]
    pub contact: Option<String>,
}

impl Default for AccessibilityStatement {
    fn default() -> Self {
        AccessibilityStatement {
            compliance: Compliance::Delvis,
            shortcomings: Vec::new(),
            assessed: None,
            updated: None,
            method: None,
            contact: None,
        }
    }
}

/// Compliance with the law on accessibility of digital public services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    Helt,
    Delvis,
    Inte,
}

/// A known accessibility shortcoming.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shortcoming {
    pub issue: String,
    #[serde(default)]
    pub reason: Option<String>,
}

fn default_compliance() -> Compliance {
    Compliance::Delvis
}

fn default_license() -> String {
    "https://creativecommons.org/publicdomain/zero/1.0/".to_string()
}

/// An audit firm in the configuration.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditorDef {
    /// The short name shown on the site, e.g. `PwC`.
    pub name: String,
    /// The legal name, e.g. `Öhrlings PricewaterhouseCoopers AB`.
    #[serde(default)]
    pub full_name: Option<String>,
    /// The firm's website.
    #[serde(default)]
    pub url: Option<String>,
    /// Other names audits may use for the firm (e.g. `Ernst & Young` for EY).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A theme of the vocabulary.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    /// The Swedish label.
    pub sv: String,
    /// The English label (defaults to the Swedish one).
    #[serde(default)]
    pub en: Option<String>,
    /// A sentence on what the theme covers.
    #[serde(default)]
    pub description: Option<String>,
}

impl ThemeDef {
    pub fn label(&self, language: Language) -> &str {
        match language {
            Language::En => self.en.as_deref().unwrap_or(&self.sv),
            Language::Sv => &self.sv,
        }
    }
}

fn default_base_url() -> String {
    "http://localhost/".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}

fn default_paginate_by() -> usize {
    50
}

fn default_register_paginate_by() -> usize {
    200
}

impl Config {
    /// The short name of the audit firm `key` (`PwC`); the key itself if the site does not
    /// define the firm. The one place a firm's display name is resolved.
    pub fn auditor_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.auditors.get(key).map_or(key, |a| a.name.as_str())
    }

    /// The legal name of the audit firm `key`, else its short name.
    pub fn auditor_full_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.auditors
            .get(key)
            .map_or(key, |a| a.full_name.as_deref().unwrap_or(&a.name))
    }

    /// Reads and validates `insyn.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let file = PathBuf::from(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostics::from_iter([Diagnostic::error(&file, format!("cannot read: {e}"))
                .hint("run `insyn init DIR` to create a site, or pass --root DIR")])
        })?;
        Config::parse(&text, &file)
    }

    /// Parses and validates configuration text; `file` names it in diagnostics.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostics> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let position = e.span().map(|span| position_of(text, span.start));
            Diagnostics::from_iter([Diagnostic::error(file, e.message().trim().to_string())
                .at(position)
                .hint("see docs/configuration.md in Insyn's repository for every key")])
        })?;
        let mut problems = config.validate(file);
        problems.extend(config.check_urls(text, file));
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    fn validate(&self, file: &Path) -> Diagnostics {
        let mut problems = Diagnostics::new();
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            problems.push(
                Diagnostic::error(file, "base_url must be an absolute http(s) URL")
                    .field("base_url")
                    .hint("e.g. base_url = \"https://insyn.example.se\""),
            );
        }
        for (field, value) in [
            ("paginate_by", self.paginate_by),
            ("register_paginate_by", self.register_paginate_by),
        ] {
            if value == 0 {
                problems.push(
                    Diagnostic::error(file, format!("{field} must be at least 1")).field(field),
                );
            }
        }
        if !is_slug(&self.theme) {
            problems.push(
                Diagnostic::error(file, "theme must be a folder name under themes/").field("theme"),
            );
        }
        for key in self.themes.keys().chain(self.auditors.keys()) {
            if !is_slug(key) {
                problems.push(
                    Diagnostic::error(file, format!("`{key}` is not a valid key"))
                        .hint("keys are URL slugs: lower-case a–z, digits and hyphens"),
                );
            }
        }
        problems
    }

    /// Links written into every page and the data catalogue: only web addresses, so that a
    /// `javascript:` URL cannot run in a reader's browser.
    fn check_urls(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        // (field, its table in the file, its key there, the value)
        let mut links: Vec<(String, Option<String>, &str, &str)> =
            vec![("license".into(), None, "license", self.license.as_str())];
        if let Some(url) = &self.publisher_url {
            links.push(("publisher_url".into(), None, "publisher_url", url));
        }
        for (key, def) in &self.auditors {
            if let Some(url) = &def.url {
                let table = format!("auditors.{key}");
                links.push((format!("{table}.url"), Some(table), "url", url));
            }
        }
        links
            .into_iter()
            .filter(|(_, _, _, url)| !is_web_address(url))
            .map(|(field, table, key, url)| {
                Diagnostic::error(file, format!("`{url}` is not a web address"))
                    .at(key_position(text, table.as_deref(), key))
                    .field(field)
                    .hint("write an address that starts with https:// or http://")
            })
            .collect()
    }

    /// The date the site is built as of (see `build_date`).
    pub fn build_date(&self) -> crate::date::Date {
        self.build_date.unwrap_or_else(crate::date::Date::today)
    }

    /// The path part of `base_url`, always starting and ending with `/` (e.g. `/insyn/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` without a trailing slash, for absolute links.
    pub fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The firm key for a name used in an audit: a key, the name, the full name or an alias,
    /// compared without regard to case.
    pub fn resolve_auditor(&self, name: &str) -> Option<&str> {
        let wanted = sort_key(name.trim());
        self.auditors.iter().find_map(|(key, def)| {
            let names = [key.as_str(), def.name.as_str()]
                .into_iter()
                .chain(def.full_name.as_deref())
                .chain(def.aliases.iter().map(String::as_str));
            names
                .into_iter()
                .any(|n| sort_key(n) == wanted)
                .then_some(key.as_str())
        })
    }
}

/// Whether `url` is an http(s) address (any other scheme could run script when followed).
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty())
}

/// Where `key = …` is written: at the top level, or in the `[table]` given.
fn key_position(
    text: &str,
    table: Option<&str>,
    key: &str,
) -> Option<crate::diagnostics::Position> {
    let mut current: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(header) = t.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            current = Some(header.trim());
            continue;
        }
        let is_key = t
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='));
        if is_key && current == table {
            let column = line.len() - line.trim_start().len() + 1;
            return Some(crate::diagnostics::Position {
                line: i + 1,
                column,
            });
        }
    }
    None
}

/// 1-based line and column of a byte offset.
pub fn position_of(text: &str, offset: usize) -> crate::diagnostics::Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    crate::diagnostics::Position { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(text, Path::new("insyn.toml"))
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"T\"").unwrap();
        assert_eq!(c.language, Language::Sv);
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert_eq!(c.paginate_by, 50);
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_path_from_base_url() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.github.io/insyn\"").unwrap();
        assert_eq!(c.base_path(), "/insyn/");
        assert_eq!(c.base_url_trimmed(), "https://x.github.io/insyn");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let err = parse("title = \"T\"\n\nlanguge = \"en\"").unwrap_err();
        let d = err.iter().next().unwrap();
        assert_eq!(d.position.unwrap().line, 3);
        assert!(d.message.contains("languge"), "{}", d.message);
    }

    #[test]
    fn auditors_resolve_by_key_name_or_alias() {
        let c = parse(
            "title = \"T\"\n[auditors.ey]\nname = \"EY\"\nfull_name = \"Ernst & Young AB\"\naliases = [\"Ernst & Young\"]",
        )
        .unwrap();
        assert_eq!(c.resolve_auditor("ey"), Some("ey"));
        assert_eq!(c.resolve_auditor("ernst & young"), Some("ey"));
        assert_eq!(c.resolve_auditor("Ernst & Young AB"), Some("ey"));
        assert_eq!(c.resolve_auditor("KPMG"), None);
    }

    #[test]
    fn links_must_be_web_addresses() {
        let err = parse(
            "title = \"T\"\nlicense = \"javascript:alert(1)\"\npublisher_url = \"JavaScript:x\"\n[auditors.pwc]\nname = \"PwC\"\nurl = \"data:text/html,x\"\n",
        )
        .unwrap_err();
        let found: Vec<(Option<&str>, usize)> = err
            .iter()
            .map(|d| (d.field.as_deref(), d.position.unwrap().line))
            .collect();
        assert_eq!(
            found,
            [
                (Some("license"), 2),
                (Some("publisher_url"), 3),
                (Some("auditors.pwc.url"), 6)
            ]
        );
        assert!(parse("title = \"T\"\npublisher_url = \"https://x.se\"").is_ok());
    }

    #[test]
    fn bad_values_are_reported_together() {
        let err = parse("title = \"T\"\nbase_url = \"x\"\npaginate_by = 0").unwrap_err();
        assert_eq!(err.error_count(), 2);
    }
}
