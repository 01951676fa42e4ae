//! Splitting an audit file into front matter and body, and reading the front matter.
//!
//! Reading is typed (serde) but forgiving in one way: when a field fails, its error is
//! recorded, the field's lines are blanked out (keeping line numbers) and the document is read
//! again, so one run reports a problem in every broken field rather than only the first.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::yaml_depth;
use super::yaml_path::{self, FieldPath};
use crate::config::Language;
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{Assessment, BoardResponse, Date, ItemMeta, Omission, ReportType, Source};

/// An audit file split into its two parts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// 1-based line of the first front-matter line in the file.
    pub yaml_line: usize,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
}

/// Splits `text` (already without BOM and with `\n` line ends) at its `---` fences.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let is_fence = |line: &str| line.trim_end() == "---";
    let first = text.split('\n').next().unwrap_or("");
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, "the file is empty")
            .at_line(1, 1)
            .hint("an audit starts with front matter between two `---` lines; see docs/content-format.md"));
    }
    if !is_fence(first) {
        return Err(
            Diagnostic::error(file, "the file does not start with front matter")
                .at_line(1, 1)
                .hint("the first line must be `---`, followed by the YAML front matter and another `---` line"),
        );
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start.min(text.len())..].split('\n')) {
        if is_fence(line) {
            let body_start = (offset + line.len() + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[body_start..],
                yaml_line: 2,
                body_line: line_no + 1,
            });
        }
        offset += line.len() + 1;
    }
    Err(Diagnostic::error(file, "the front matter is not closed")
        .at_line(1, 1)
        .hint("end the front matter with a line that holds only `---`"))
}

/// An assessment as written; validated into [`Assessment`].
pub type RawAssessment = Assessment;

/// An audit question as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    pub assessment: Option<RawAssessment>,
}

/// Front matter as written: every field optional so that missing ones can all be reported.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub municipality: Option<String>,
    pub county: Option<String>,
    pub auditor: Option<String>,
    pub signed_as: Option<String>,
    pub commissioned_by: Option<String>,
    pub date: Option<Date>,
    pub report_type: Option<ReportType>,
    pub themes: Option<Vec<String>>,
    pub audited_body: Option<String>,
    pub authors: Option<Vec<String>>,
    pub method: Option<String>,
    pub scope: Option<String>,
    pub period: Option<String>,
    pub pages: Option<u32>,
    pub language: Option<Language>,
    pub source: Option<Source>,
    pub source_text: Option<String>,
    pub omissions: Option<Vec<Omission>>,
    pub assessment: Option<RawAssessment>,
    pub questions: Option<Vec<RawQuestion>>,
    pub response: Option<BoardResponse>,
    pub follows_up: Option<String>,
    pub items: Option<BTreeMap<String, ItemMeta>>,
    pub status_updates: Option<BTreeMap<String, ItemMeta>>,
    pub draft: Option<bool>,
}

/// The top-level fields, for "did you mean" hints and unknown-field checks.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "municipality",
    "county",
    "auditor",
    "signed_as",
    "commissioned_by",
    "date",
    "report_type",
    "themes",
    "audited_body",
    "authors",
    "method",
    "scope",
    "period",
    "pages",
    "language",
    "source",
    "source_text",
    "omissions",
    "assessment",
    "questions",
    "response",
    "follows_up",
    "items",
    "status_updates",
    "draft",
];

/// The front matter read as far as it could be, and the fields that failed.
#[derive(Debug, Default)]
pub struct Parsed {
    pub raw: RawFrontMatter,
    /// Top-level fields that had errors (their absence is then not reported again).
    pub failed: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

/// Reads the front matter `split.yaml` of `file`.
pub fn parse(split: &Split<'_>, file: &Path) -> Parsed {
    let mut text = split.yaml.to_string();
    let mut parsed = Parsed::default();
    let to_file = |p: Position| Position {
        line: p.line + split.yaml_line - 1,
        column: p.column,
    };
    if let Some(position) = yaml_depth::too_deep(&text) {
        parsed
            .problems
            .push(too_deep(&text, file, position, &to_file));
        parsed.failed.extend(FIELDS.iter().map(|f| f.to_string()));
        return parsed;
    }
    // Nearly every file is valid: read it once, and only when that fails, again with the
    // checks that locate each problem.
    let all_known = yaml_path::top_level_keys(&text)
        .iter()
        .all(|(key, _)| FIELDS.contains(&key.as_str()));
    if all_known && let Ok(raw) = serde_yaml_ng::from_str::<RawFrontMatter>(&text) {
        parsed.raw = raw;
        return parsed;
    }
    if let Err(e) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&text) {
        // Not YAML at all: one diagnostic, and no "missing field" noise after it.
        parsed
            .problems
            .push(syntax_error(&text, file, &e, &to_file));
        parsed.failed.extend(FIELDS.iter().map(|f| f.to_string()));
        return parsed;
    }
    blank_unknown_fields(&mut text, file, &mut parsed, &to_file);
    // Each round blanks one failed field; a document has at most FIELDS.len() + a few.
    for _ in 0..64 {
        if text.trim().is_empty() {
            return parsed;
        }
        let de = serde_yaml_ng::Deserializer::from_str(&text);
        match serde_path_to_error::deserialize::<_, RawFrontMatter>(de) {
            Ok(raw) => {
                parsed.raw = raw;
                return parsed;
            }
            Err(err) => {
                let path = FieldPath::from_serde(err.path());
                let inner = err.into_inner();
                let position = inner
                    .location()
                    .map(|l| Position {
                        line: l.line(),
                        column: l.column(),
                    })
                    .or_else(|| yaml_path::locate(&text, &path));
                parsed
                    .problems
                    .push(yaml_error(file, &path, &inner, position.map(&to_file)));
                let blanked = path
                    .top()
                    .and_then(|top| yaml_path::top_level_block(&text, top).map(|r| (top, r)));
                match blanked {
                    Some((top, range)) => {
                        parsed.failed.push(top.to_string());
                        blank_lines(&mut text, range);
                    }
                    // A syntax error or a problem not tied to one field: nothing more to read.
                    None => {
                        parsed.failed.extend(FIELDS.iter().map(|f| f.to_string()));
                        return parsed;
                    }
                }
            }
        }
    }
    parsed
}

/// Nesting past [`yaml_depth::MAX_DEPTH`], blamed on the top-level field it is in.
fn too_deep(
    text: &str,
    file: &Path,
    position: Position,
    to_file: &dyn Fn(Position) -> Position,
) -> Diagnostic {
    let d = Diagnostic::error(
        file,
        format!(
            "nesting too deep (more than {} levels)",
            yaml_depth::MAX_DEPTH
        ),
    )
    .at(Some(to_file(position)))
    .hint("front matter nests a few levels at most: check for stray `[`, `{` or `- `");
    match field_at(text, position.line) {
        Some(key) => d.field(key),
        None => d,
    }
}

/// A YAML syntax error, pointed at the line that causes it where the parser's own position
/// is only where it gave up (an unclosed quote is noticed at the end of the front matter).
fn syntax_error(
    text: &str,
    file: &Path,
    e: &serde_yaml_ng::Error,
    to_file: &dyn Fn(Position) -> Position,
) -> Diagnostic {
    let mut position = e.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let message = e.to_string();
    let mut hint = "the front matter is not valid YAML: check for an unclosed quote, a tab, or a value with `: ` that needs quotes".to_string();
    let lines: Vec<&str> = text.split('\n').collect();
    let line_at = |p: Option<Position>| p.and_then(|p| lines.get(p.line.wrapping_sub(1)).copied());
    if message.contains("end of stream") {
        // The first line whose double quotes do not pair up.
        let unpaired = lines.iter().position(|l| {
            let unescaped = l.replace("\\\"", "");
            unescaped.matches('"').count() % 2 == 1
        });
        if let Some(i) = unpaired {
            position = Some(Position {
                line: i + 1,
                column: lines[i]
                    .find('"')
                    .map_or(1, |c| lines[i][..c].chars().count() + 1),
            });
            hint = "this quote is never closed: end the value with `\"`".to_string();
        }
    } else if let Some(key) = message
        .split("duplicate entry with key \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
    {
        // The second time the key is written.
        let second = yaml_path::top_level_keys(text)
            .into_iter()
            .filter(|(k, _)| k == key)
            .nth(1);
        if let Some((_, i)) = second {
            position = Some(Position {
                line: i + 1,
                column: 1,
            });
        }
        hint = format!("`{key}` is given twice; keep one");
    } else if message.contains("control characters are not allowed")
        && let Some((p, c)) = first_control(text)
    {
        // The parser reports a byte offset into its own buffer, which is no line at all.
        position = Some(p);
        hint = format!(
            "remove the invisible control character {} here (copied text often carries one)",
            c.escape_unicode()
        );
    } else if line_at(position).is_some_and(|l| l.contains('\t')) {
        hint = "YAML indents with spaces, not tabs: replace the tab".to_string();
    }
    let d = yaml_error(file, &FieldPath::default(), e, position.map(to_file)).hint(hint);
    match position.and_then(|p| field_at(text, p.line)) {
        Some(key) => d.field(key),
        None => d,
    }
}

/// The top-level field whose block holds the 1-based `line` of the front matter.
fn field_at(text: &str, line: usize) -> Option<String> {
    let (key, _) = yaml_path::top_level_keys(text)
        .into_iter()
        .take_while(|(_, l)| *l < line)
        .last()?;
    FIELDS.contains(&key.as_str()).then_some(key)
}

/// The first character YAML refuses (C0 and C1 controls other than tab, line end and NEL, and
/// DEL), with its 1-based position.
fn first_control(text: &str) -> Option<(Position, char)> {
    text.split('\n').enumerate().find_map(|(i, line)| {
        line.chars()
            .position(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\u{85}'))
            .map(|col| {
                let c = line.chars().nth(col).unwrap_or('\0');
                let p = Position {
                    line: i + 1,
                    column: col + 1,
                };
                (p, c)
            })
    })
}

/// Reports top-level keys that are not fields, with a suggestion, and blanks them so the
/// typed read can go on.
fn blank_unknown_fields(
    text: &mut String,
    file: &Path,
    parsed: &mut Parsed,
    to_file: &dyn Fn(Position) -> Position,
) {
    for (key, line) in yaml_path::top_level_keys(text) {
        if FIELDS.contains(&key.as_str()) {
            continue;
        }
        let mut d = Diagnostic::error(file, format!("unknown field `{key}`"))
            .at(Some(to_file(Position {
                line: line + 1,
                column: 1,
            })))
            .field(key.clone());
        d = match closest(&key, FIELDS) {
            Some(near) => d.hint(format!("did you mean `{near}`?")),
            None => d.hint(format!("the fields are: {}", FIELDS.join(", "))),
        };
        parsed.problems.push(d);
        if let Some(range) = yaml_path::top_level_block(text, &key) {
            blank_lines(text, range);
        }
    }
}

fn blank_lines(text: &mut String, range: std::ops::Range<usize>) {
    *text = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| if range.contains(&i) { "" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
}

/// Turns a serde_yaml error into a diagnostic that says what was expected.
fn yaml_error(
    file: &Path,
    path: &FieldPath,
    err: &serde_yaml_ng::Error,
    position: Option<Position>,
) -> Diagnostic {
    let raw = err.to_string();
    // serde_yaml appends " at line L column C" and prefixes the path; the diagnostic carries both.
    let message = match raw.find(" at line ").or_else(|| raw.find(" at position ")) {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let prefix = format!("{path}: ");
    let message = message
        .strip_prefix(&prefix)
        .unwrap_or(&message)
        .to_string();
    let mut d = Diagnostic::error(file, message.clone()).at(position);
    if !path.0.is_empty() {
        d = d.field(path.to_string());
    }
    let hint = if message.contains("expected a string") || message.contains("expected a sequence") {
        Some(
            "quote text values that YAML would read as numbers, dates or booleans, e.g. period: \"2014\"",
        )
    } else if message.contains("did not find expected") || message.contains("mapping values") {
        Some(
            "check the indentation and quote values that contain `: ` or start with a special character",
        )
    } else if message.contains("unknown variant") {
        Some("use one of the values listed, spelled exactly as shown")
    } else {
        None
    };
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_ok(text: &str) -> Split<'_> {
        split(text, Path::new("a.md")).unwrap()
    }

    fn parse_text(text: &str) -> Parsed {
        parse(&split_ok(text), Path::new("a.md"))
    }

    #[test]
    fn splits_at_fences() {
        let s = split_ok("---\ntitle: T\n---\n\n# Body\n");
        assert_eq!(s.yaml, "title: T\n");
        assert_eq!(s.body, "\n# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn front_matter_only_has_an_empty_body() {
        let s = split_ok("---\ntitle: T\n---");
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_fences_are_errors() {
        assert!(
            split("", Path::new("a.md"))
                .unwrap_err()
                .message
                .contains("empty")
        );
        assert!(split("title: x\n", Path::new("a.md")).is_err());
        let open = split("---\ntitle: x\n", Path::new("a.md")).unwrap_err();
        assert!(open.message.contains("not closed"));
    }

    #[test]
    fn every_broken_field_is_reported_with_its_line() {
        let p = parse_text(
            "---\ntitle: T\ndate: 2017-02-30\nreport_type: revision\npages: many\nmunicipalty: X\n---\n",
        );
        let lines: Vec<usize> = p
            .problems
            .iter()
            .map(|d| d.position.unwrap().line)
            .collect();
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(sorted, [3, 4, 5, 6], "{:#?}", p.problems);
        let date = p
            .problems
            .iter()
            .find(|d| d.field.as_deref() == Some("date"))
            .unwrap();
        assert!(date.message.contains("28 days"), "{}", date.message);
        let typo = p
            .problems
            .iter()
            .find(|d| d.message.contains("municipalty"))
            .unwrap();
        assert_eq!(typo.hint.as_deref(), Some("did you mean `municipality`?"));
        assert_eq!(p.raw.title.as_deref(), Some("T"));
    }

    #[test]
    fn nested_errors_name_the_path() {
        let p = parse_text(
            "---\ntitle: T\nquestions:\n  - id: rf1\n    assessment:\n      level: bra\n      basis: stated\n---\n",
        );
        let d = &p.problems[0];
        assert_eq!(d.field.as_deref(), Some("questions[0].assessment.level"));
        assert_eq!(d.position.unwrap().line, 6);
        assert!(d.message.contains("unknown variant"), "{}", d.message);
    }

    #[test]
    fn syntax_errors_stop_with_one_diagnostic() {
        let p = parse_text("---\ntitle: [unclosed\n---\n");
        assert_eq!(p.problems.len(), 1);
        assert!(p.problems[0].position.is_some());
    }

    #[test]
    fn deep_nesting_is_refused_with_its_field() {
        let text = format!("---\ntitle: T\nmethod: {}\n---\n", "[".repeat(100_000));
        let p = parse_text(&text);
        assert_eq!(p.problems.len(), 1, "{:#?}", p.problems);
        let d = &p.problems[0];
        assert!(d.message.contains("nesting too deep"), "{}", d.message);
        assert_eq!(d.field.as_deref(), Some("method"));
        assert_eq!(d.position.unwrap().line, 3);
    }

    #[test]
    fn a_control_character_is_blamed_on_its_own_line() {
        let p = parse_text(
            "---\ntitle: T\nquestions:\n  - id: rf1\n    text: a\u{1b}]0;x\u{7}b\n---\n",
        );
        let d = &p.problems[0];
        assert_eq!(
            d.position,
            Some(Position {
                line: 5,
                column: 12
            })
        );
        assert_eq!(d.field.as_deref(), Some("questions"));
        assert_eq!(d.message, "control characters are not allowed");
        assert!(
            d.hint.as_deref().unwrap().contains("\\u{1b}"),
            "{:?}",
            d.hint
        );
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(closest("municipalty", FIELDS), Some("municipality"));
        assert_eq!(closest("xyzzy", FIELDS), None);
    }
}
