//! Checking front matter against the schema and the site's vocabulary, turning it into
//! [`AuditMeta`]. Every problem is reported; none stops the others from being found.

use std::collections::HashSet;
use std::path::Path;

use super::front_matter::{Parsed, RawFrontMatter, closest};
use super::yaml_path::{self, FieldPath};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{AuditMeta, AuditQuestion, BoardResponse};
use crate::text::{is_slug, municipality_slug, slugify};

mod items;
mod sources;

/// Where the front matter is, for positions.
pub struct Source<'a> {
    pub file: &'a Path,
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// The site's `static/` folder, where `source.file` must exist (unchecked when `None`).
    pub static_dir: Option<&'a Path>,
    /// The folder the audit file is in, where `source_text` must exist (unchecked when
    /// `None`).
    pub audit_dir: Option<&'a Path>,
}

impl Source<'_> {
    pub(super) fn position(&self, path: &FieldPath) -> Position {
        yaml_path::locate(self.yaml, path)
            .map(|p| Position {
                line: p.line + self.yaml_line - 1,
                column: p.column,
            })
            // The opening `---`: the field is missing, so point at the front matter.
            .unwrap_or(Position {
                line: self.yaml_line - 1,
                column: 1,
            })
    }

    pub(super) fn error(&self, path: &FieldPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message)
            .at(Some(self.position(path)))
            .field(path.to_string())
    }

    /// Like [`Source::error`], but pointing at `value` when it is written on the located line
    /// (as in a flow list `themes: [a, b]`).
    fn error_at_value(
        &self,
        path: &FieldPath,
        value: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut position = self.position(path);
        let line = self
            .yaml
            .split('\n')
            .nth(position.line.saturating_sub(self.yaml_line));
        if let Some(col) = line.and_then(|l| l.find(value)) {
            position.column = line.map_or(0, |l| l[..col].chars().count()) + 1;
        }
        Diagnostic::error(self.file, message)
            .at(Some(position))
            .field(path.to_string())
    }
}

/// What validation found: the metadata when it is complete, and what the body needs to be
/// checked even when it is not.
pub struct Validated {
    /// `None` when a required field is missing or invalid.
    pub meta: Option<AuditMeta>,
    /// The valid question ids, for the body's question sections.
    pub question_ids: Vec<String>,
    /// The keys of `items:`, checked against the body's item ids.
    pub item_keys: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// Validates what was parsed.
pub fn validate(parsed: Parsed, src: &Source<'_>, config: &Config) -> Validated {
    let item_keys = parsed
        .raw
        .items
        .as_ref()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut v = Validator {
        src,
        config,
        failed: parsed.failed.iter().cloned().collect(),
        problems: parsed.problems,
        question_ids: Vec::new(),
    };
    let meta = v.meta(parsed.raw);
    let ok = !v.problems.iter().any(Diagnostic::is_error);
    Validated {
        meta: meta.filter(|_| ok),
        question_ids: v.question_ids,
        item_keys,
        problems: v.problems,
    }
}

struct Validator<'a> {
    src: &'a Source<'a>,
    config: &'a Config,
    failed: HashSet<String>,
    problems: Vec<Diagnostic>,
    question_ids: Vec<String>,
}

impl Validator<'_> {
    /// A required text field: present (unless its value already failed) and not blank.
    fn required(&mut self, name: &str, value: Option<String>) -> Option<String> {
        let path = FieldPath::key(name);
        match value {
            Some(v) if v.trim().is_empty() => {
                self.problems.push(
                    self.src
                        .error(&path, "must not be empty")
                        .hint(format!("write the {name} as text after `{name}:`")),
                );
                None
            }
            Some(v) => Some(v.trim().to_string()),
            None => {
                if !self.failed.contains(name) {
                    self.problems.push(
                        self.src
                            .error(&path, format!("missing required field `{name}`"))
                            .hint("see docs/content-format.md for the front-matter schema"),
                    );
                }
                None
            }
        }
    }

    fn present<T>(&mut self, name: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && !self.failed.contains(name) {
            self.problems.push(
                self.src
                    .error(
                        &FieldPath::key(name),
                        format!("missing required field `{name}`"),
                    )
                    .hint("see docs/content-format.md for the front-matter schema"),
            );
        }
        value
    }

    fn meta(&mut self, raw: RawFrontMatter) -> Option<AuditMeta> {
        let id = self.id(raw.id);
        let title = self.required("title", raw.title);
        let municipality = self.required("municipality", raw.municipality);
        let auditor = self
            .required("auditor", raw.auditor)
            .and_then(|a| self.auditor(&a));
        let commissioned_by = self.required("commissioned_by", raw.commissioned_by);
        let date = self.present("date", raw.date);
        let report_type = self.present("report_type", raw.report_type);
        let themes = self.present("themes", raw.themes);
        if themes.as_ref().is_some_and(Vec::is_empty) {
            self.problems.push(
                self.src
                    .error(&FieldPath::key("themes"), "lists no theme")
                    .hint("give at least one theme key from insyn.toml [themes]"),
            );
        }
        let themes = themes.map(|t| self.themes(&FieldPath::key("themes"), t));
        let questions = self.questions(raw.questions.unwrap_or_default());
        self.question_ids = questions.iter().map(|q| q.id.clone()).collect();
        for (name, url) in [
            ("source", raw.source.as_ref().and_then(|s| s.url.as_deref())),
            (
                "response",
                raw.response.as_ref().and_then(|r| r.url.as_deref()),
            ),
        ] {
            self.url(&FieldPath::key(name).then_key("url"), url);
        }
        if let Some(file) = raw.source.as_ref().and_then(|s| s.file.as_deref()) {
            self.static_file(file);
        }
        if let Some(response) = &raw.response {
            self.response(response);
        }
        // An invalid `source_text` is reported as such; its omissions are not "without" one.
        let has_source_text = raw.source_text.is_some();
        let source_text = raw.source_text.and_then(|f| self.source_text(&f));
        let omissions = self.omissions(raw.omissions.unwrap_or_default(), has_source_text);
        let items = self.item_meta("items", raw.items.unwrap_or_default());
        let status_updates =
            self.item_meta("status_updates", raw.status_updates.unwrap_or_default());
        if !status_updates.is_empty() && raw.follows_up.is_none() {
            self.problems.push(
                self.src
                    .error(
                        &FieldPath::key("status_updates"),
                        "status_updates without follows_up",
                    )
                    .hint("status_updates change the statuses of the audit named in `follows_up`"),
            );
        }
        if raw.pages == Some(0) {
            self.problems.push(
                self.src
                    .error(&FieldPath::key("pages"), "must be at least 1"),
            );
        }
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Some(AuditMeta {
            id: id?,
            title: title?,
            municipality_slug: municipality_slug(municipality.as_deref()?),
            municipality: municipality?,
            county: text(raw.county),
            auditor: auditor?,
            signed_as: text(raw.signed_as),
            commissioned_by: commissioned_by?,
            date: date?,
            report_type: report_type?,
            themes: themes?,
            audited_body: text(raw.audited_body),
            authors: raw.authors.unwrap_or_default(),
            method: text(raw.method),
            scope: text(raw.scope),
            period: text(raw.period),
            pages: raw.pages,
            language: raw.language.unwrap_or(self.config.language),
            source: raw.source,
            source_text,
            omissions,
            assessment: raw.assessment,
            questions,
            response: raw.response,
            follows_up: raw.follows_up.map(|f| f.trim().to_string()),
            items,
            status_updates,
            draft: raw.draft.unwrap_or(false),
        })
    }

    /// The audit id: given, or the file name; always a slug so it is safe in a URL and a path.
    fn id(&mut self, given: Option<String>) -> Option<String> {
        let (id, path) = match given {
            Some(id) => (id.trim().to_string(), Some(FieldPath::key("id"))),
            None => (
                self.src
                    .file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                None,
            ),
        };
        if is_slug(&id) {
            return Some(id);
        }
        let suggestion = slugify(&id);
        let message = format!(
            "`{id}` cannot be an audit id: ids are lower-case a–z, digits and single hyphens"
        );
        let d = match &path {
            Some(p) => self.src.error(p, message),
            None => Diagnostic::error(
                self.src.file,
                format!("the file name gives the id `{id}`, which is not valid"),
            )
            .at_line(1, 1),
        };
        let hint = if suggestion.is_empty() {
            "set `id:` in the front matter, e.g. id: kommun-2024-it".to_string()
        } else {
            format!("use `id: {suggestion}`")
        };
        self.problems.push(d.hint(hint));
        None
    }

    fn auditor(&mut self, name: &str) -> Option<String> {
        if let Some(key) = self.config.resolve_auditor(name) {
            return Some(key.to_string());
        }
        let keys: Vec<&str> = self.config.auditors.keys().map(String::as_str).collect();
        let hint = match closest(&name.to_lowercase(), &keys) {
            Some(near) => format!("did you mean `{near}`?"),
            None if keys.is_empty() => {
                "add the firm to insyn.toml under [auditors.<key>]".to_string()
            }
            None => format!(
                "the firms in insyn.toml are: {}; add new ones under [auditors.<key>]",
                keys.join(", ")
            ),
        };
        self.problems.push(
            self.src
                .error(
                    &FieldPath::key("auditor"),
                    format!("unknown audit firm `{name}`"),
                )
                .hint(hint),
        );
        None
    }

    /// Theme keys, each checked against the vocabulary; unknown ones are reported and dropped.
    fn themes(&mut self, path: &FieldPath, themes: Vec<String>) -> Vec<String> {
        let keys: Vec<&str> = self.config.themes.keys().map(String::as_str).collect();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, theme) in themes.into_iter().enumerate() {
            let theme = theme.trim().to_string();
            if self.config.themes.contains_key(&theme) {
                if seen.insert(theme.clone()) {
                    out.push(theme);
                }
                continue;
            }
            let slug = slugify(&theme);
            let hint = match closest(&slug, &keys) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the themes in insyn.toml are: {}", keys.join(", ")),
            };
            self.problems.push(
                self.src
                    .error_at_value(
                        &path.then_index(i),
                        &theme,
                        format!("unknown theme `{theme}`"),
                    )
                    .hint(hint),
            );
        }
        out
    }

    fn questions(&mut self, raw: Vec<super::front_matter::RawQuestion>) -> Vec<AuditQuestion> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, q) in raw.into_iter().enumerate() {
            let path = FieldPath::key("questions").then_index(i);
            let id = q.id.map(|s| s.trim().to_string()).unwrap_or_default();
            if id.is_empty() {
                self.problems.push(
                    self.src
                        .error(&path, "the question has no `id`")
                        .hint("give each question a short id such as rf1"),
                );
                continue;
            }
            if !is_slug(&id) {
                self.problems.push(
                    self.src
                        .error(
                            &path.then_key("id"),
                            format!("`{id}` is not a valid question id"),
                        )
                        .hint("use lower-case a–z, digits and hyphens, e.g. rf1"),
                );
                continue;
            }
            if !seen.insert(id.clone()) {
                self.problems.push(
                    self.src
                        .error(
                            &path.then_key("id"),
                            format!("the question id `{id}` is used twice"),
                        )
                        .hint("question ids must be unique within the audit"),
                );
                continue;
            }
            let text = q.text.map(|t| t.trim().to_string()).unwrap_or_default();
            if text.is_empty() {
                self.problems.push(
                    self.src
                        .error(&path, format!("the question `{id}` has no `text`"))
                        .hint("quote the question as the report words it"),
                );
            }
            let themes = self.themes(&path.then_key("themes"), q.themes);
            out.push(AuditQuestion {
                id,
                text,
                themes,
                assessment: q.assessment,
            });
        }
        out
    }

    /// A response says only what is known: a reply's link comes with the date it came, and
    /// "not received" only with the source that says so (docs/content-format.md).
    fn response(&mut self, response: &BoardResponse) {
        let path = FieldPath::key("response");
        if response.url.is_some() && response.received.is_none() {
            self.problems.push(
                self.src
                    .error(&path.then_key("url"), "a link to the reply without the date it came")
                    .hint("`url` links the board's reply: give the date it came as `received: YYYY-MM-DD`"),
            );
        }
        let Some(not_received) = &response.not_received else {
            return;
        };
        let field = path.then_key("not_received");
        if response.received.is_some() {
            self.problems.push(
                self.src
                    .error(&field, "`not_received` together with `received`")
                    .hint("a reply either came (`received`) or a source says it did not (`not_received`): keep the one the sources support"),
            );
        }
        if not_received.source.trim().is_empty() {
            let source = field.then_key("source");
            // Point at `source:` when it is written (empty), else at `not_received:`.
            let at = if yaml_path::locate(self.src.yaml, &source).is_some() {
                &source
            } else {
                &field
            };
            self.problems.push(
                Diagnostic::error(self.src.file, "`not_received` without a `source`")
                    .at(Some(self.src.position(at)))
                    .field(source.to_string())
                    .hint("say where it is stated that no reply came, e.g. source: \"Revisionsberättelse 2021, avsnitt 3\"; without a source, leave `not_received` out: the site then says that nothing is recorded"),
            );
        }
        self.url(&field.then_key("url"), not_received.url.as_deref());
    }

    fn url(&mut self, path: &FieldPath, url: Option<&str>) {
        let Some(url) = url else { return };
        let lower = url.trim().to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            self.problems.push(
                self.src
                    .error(path, format!("`{url}` is not a web address"))
                    .hint("links must start with https:// or http://"),
            );
        }
    }
}

pub use items::check_item_keys;
