//! Problems found in a site's files, reported the way a compiler reports them.
//!
//! Every stage of the build pushes [`Diagnostic`]s instead of failing on the first problem, so
//! one run tells an author everything that is wrong. A diagnostic points at a file and, where
//! known, a line and column; [`render`] prints it with the offending source line and a hint.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use crate::text::{escape_controls, picture_controls};

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user would name it (relative to the site root where possible).
    pub file: PathBuf,
    pub position: Option<Position>,
    /// The front-matter field or element concerned, e.g. `questions[2].assessment.level`.
    pub field: Option<Box<str>>,
    pub message: String,
    pub hint: Option<Box<str>>,
    /// A warning that `insyn check` reports as an error: the build can publish a safe page,
    /// but the source says something the page cannot show as written.
    pub fails_check: bool,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            position: None,
            field: None,
            message: message.into(),
            hint: None,
            fails_check: false,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// The same problem, as a warning.
    pub fn as_warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// The same problem, as a warning for `build` and an error for `check`.
    pub fn failing_check(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self.fails_check = true;
        self
    }

    pub fn at(mut self, position: Option<Position>) -> Diagnostic {
        self.position = position;
        self
    }

    pub fn at_line(self, line: usize, column: usize) -> Diagnostic {
        self.at(Some(Position { line, column }))
    }

    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into().into_boxed_str());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `content/a.md:3:7: error: field `date`: … (hint: …)` — one line, for logs and tests;
    /// control characters from content are escaped (see [`escape_controls`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display().to_string();
        write!(f, "{}", escape_controls(&file))?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}: ")?;
        if let Some(field) = &self.field {
            write!(f, "field `{}`: ", escape_controls(field))?;
        }
        write!(f, "{}", escape_controls(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// The problems of one run, in a stable order (file, position).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// The same problems as `insyn check` reports them: see [`Diagnostic::fails_check`].
    pub fn for_check(mut self) -> Diagnostics {
        for d in self.items.iter_mut().filter(|d| d.fails_check) {
            d.severity = Severity::Error;
        }
        self
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorts by file and position so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.position, a.severity, &a.message)
                .cmp(&(&b.file, b.position, b.severity, &b.message))
        });
        self.items.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics { items: vec![d] }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Prints diagnostics compiler-style: `file:line:col`, the source line underlined, the hint.
///
/// `root` is the folder file names are relative to; sources are read from there so the
/// offending line can be shown. `color` decides whether ANSI colours are used.
pub fn render(diagnostics: &Diagnostics, root: &Path, color: bool, out: &mut dyn Write) {
    let mut files = SimpleFiles::new();
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics.iter() {
        let source = std::fs::read(root.join(&d.file))
            .map(|b| {
                picture_controls(&String::from_utf8_lossy(&b).replace("\r\n", "\n")).into_owned()
            })
            .unwrap_or_default();
        let mut report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let message = match &d.field {
            Some(field) => format!("field `{field}`: {}", d.message),
            None => d.message.clone(),
        };
        report = report.with_message(escape_controls(&message));
        let span = d.position.and_then(|p| byte_span(&source, p));
        match span {
            Some(range) => {
                let id = files.add(
                    escape_controls(&d.file.display().to_string()).into_owned(),
                    source,
                );
                report = report.with_labels(vec![Label::primary(id, range)]);
            }
            None => {
                let file = d.file.display().to_string();
                report = report.with_notes(vec![format!("in {}", escape_controls(&file))]);
            }
        }
        if let Some(hint) = &d.hint {
            report = report.with_notes(vec![format!("hint: {}", escape_controls(hint))]);
        }
        let _ = term::emit_to_write_style(&mut buffer, &config, &files, &report);
    }
    let _ = out.write_all(buffer.as_slice());
}

/// The byte range of the token at `position` (to the end of the word, at least one byte).
fn byte_span(source: &str, position: Position) -> Option<std::ops::Range<usize>> {
    let line_start = if position.line <= 1 {
        0
    } else {
        source
            .match_indices('\n')
            .nth(position.line - 2)
            .map(|(i, _)| i + 1)?
    };
    let line_end = source[line_start..]
        .find('\n')
        .map_or(source.len(), |i| line_start + i);
    let line = &source[line_start..line_end];
    let start = line
        .char_indices()
        .nth(position.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = rest
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest.len())
        .max(1);
    let start = line_start + start;
    Some(start..(start + len).min(source.len()).max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_form_names_file_line_field_and_hint() {
        let d = Diagnostic::error("content/a.md", "expected a date")
            .at_line(4, 7)
            .field("date")
            .hint("write 2017-02-06");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:7: error: field `date`: expected a date (hint: write 2017-02-06)"
        );
    }

    #[test]
    fn control_characters_from_content_are_escaped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nmethod: a\u{1b}]0;x\u{7}b\n").unwrap();
        let d = Diagnostic::error("a.md", "unknown theme `\u{1b}[31mx`")
            .at_line(2, 10)
            .hint("not \u{9b}2J");
        assert_eq!(
            d.to_string(),
            "a.md:2:10: error: unknown theme `\\u{1b}[31mx` (hint: not \\u{9b}2J)"
        );
        let mut out = Vec::new();
        render(&Diagnostics::from(d), dir.path(), false, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{text}");
        assert!(text.contains("a␛]0;x␇b"), "{text}");
        assert!(text.contains("\\u{1b}[31mx"), "{text}");
    }

    #[test]
    fn spans_point_into_the_line() {
        let src = "a: 1\ndate: 2017-13-01\n";
        let span = byte_span(src, Position { line: 2, column: 7 }).unwrap();
        assert_eq!(&src[span], "2017-13-01");
    }
}
