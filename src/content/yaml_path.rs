//! Finding where a field sits in front-matter text, so errors found after parsing (an unknown
//! theme, a duplicate question id) can still name a line and column.
//!
//! This reads block-style YAML by indentation only. It is not a YAML parser: it answers
//! "where would `questions[2].themes[1]` be written?" for the front matter people write by
//! hand, and falls back to the nearest enclosing field it can find.

use std::fmt;
use std::ops::Range;

use crate::diagnostics::Position;

/// One step of a path into the front matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path such as `questions[2].themes[1]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn key(name: &str) -> FieldPath {
        FieldPath(vec![Segment::Key(name.to_string())])
    }

    pub fn then_key(&self, name: &str) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Segment::Key(name.to_string()));
        p
    }

    pub fn then_index(&self, index: usize) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Segment::Index(index));
        p
    }

    /// The top-level key, if the path starts with one.
    pub fn top(&self) -> Option<&str> {
        match self.0.first() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Converts a serde_path_to_error path.
    pub fn from_serde(path: &serde_path_to_error::Path) -> FieldPath {
        use serde_path_to_error::Segment as S;
        FieldPath(
            path.iter()
                .filter_map(|s| match s {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { variant } => Some(Segment::Key(variant.clone())),
                    S::Unknown => None,
                })
                .collect(),
        )
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A line of YAML with its indentation.
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

impl Line<'_> {
    fn is_content(&self) -> bool {
        let t = self.text.trim_start();
        !t.is_empty() && !t.starts_with('#')
    }
}

fn lines(yaml: &str) -> Vec<Line<'_>> {
    yaml.split('\n')
        .map(|text| Line {
            indent: text.len() - text.trim_start_matches(' ').len(),
            text,
        })
        .collect()
}

/// Where the mapping key `key` begins, if `rest` (a line's text from some column on) is `key:`.
fn is_key(rest: &str, key: &str) -> bool {
    let unquoted = rest.strip_prefix(key);
    let quoted = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_prefix(key))
        .and_then(|r| r.strip_prefix('"'))
        .or_else(|| {
            rest.strip_prefix('\'')
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix('\''))
        });
    unquoted.or(quoted).is_some_and(|after| {
        let after = after.trim_start_matches(' ');
        after.starts_with(':') && (after.len() == 1 || after[1..].starts_with([' ', '\t']))
    })
}

/// A block of lines being searched: `lines[range]`, whose entries start at column `indent`.
/// `first_col` is where the first line's entry starts when it follows a `- ` on that line.
struct Block {
    range: Range<usize>,
    first_col: Option<usize>,
}

impl Block {
    /// The column where entries of this block start, and the entry's text on line `i`.
    fn entry<'a>(&self, lines: &'a [Line<'a>], i: usize) -> (usize, &'a str) {
        match self.first_col {
            Some(col) if i == self.range.start => (col, lines[i].text.get(col..).unwrap_or("")),
            _ => (lines[i].indent, &lines[i].text[lines[i].indent..]),
        }
    }

    fn indent(&self, lines: &[Line<'_>]) -> Option<usize> {
        self.range
            .clone()
            .find(|&i| lines[i].is_content())
            .map(|i| self.entry(lines, i).0)
    }
}

/// The end of the value that starts on line `start` at column `col`: the next content line
/// indented at most `col` (a `- ` at exactly `col` continues an indentless sequence).
fn value_end(lines: &[Line<'_>], start: usize, col: usize, limit: usize) -> usize {
    (start + 1..limit)
        .find(|&i| {
            let l = &lines[i];
            l.is_content()
                && (l.indent < col || (l.indent == col && !l.text[l.indent..].starts_with("- ")))
        })
        .unwrap_or(limit)
}

/// The 1-based position of `path` in `yaml`, or of the deepest prefix of it that was found.
pub fn locate(yaml: &str, path: &FieldPath) -> Option<Position> {
    let lines = lines(yaml);
    let mut block = Block {
        range: 0..lines.len(),
        first_col: None,
    };
    let mut found: Option<Position> = None;
    for segment in &path.0 {
        // Nothing more below (the value sits on the line found so far): stop there.
        let Some(indent) = block.indent(&lines) else {
            break;
        };
        match segment {
            Segment::Key(key) => {
                let hit = block.range.clone().find(|&i| {
                    let (col, rest) = block.entry(&lines, i);
                    col == indent && lines[i].is_content() && is_key(rest, key)
                });
                let Some(i) = hit else { break };
                found = Some(Position {
                    line: i + 1,
                    column: indent + 1,
                });
                let end = value_end(&lines, i, indent, block.range.end);
                block = Block {
                    range: i + 1..end,
                    first_col: None,
                };
                // A value on the key's own line (`themes: [a, b]`): stop at the key.
                if block.range.is_empty() {
                    break;
                }
            }
            Segment::Index(n) => {
                let dashes: Vec<usize> = block
                    .range
                    .clone()
                    .filter(|&i| {
                        let (col, rest) = block.entry(&lines, i);
                        col == indent && (rest.starts_with("- ") || rest == "-")
                    })
                    .collect();
                let Some(&i) = dashes.get(*n) else { break };
                found = Some(Position {
                    line: i + 1,
                    column: indent + 3,
                });
                let end = dashes
                    .iter()
                    .find(|&&j| j > i)
                    .copied()
                    .unwrap_or(block.range.end);
                block = Block {
                    range: i..end,
                    first_col: Some(indent + 2),
                };
            }
        }
    }
    found
}

/// The line range (0-based) of the top-level field `key`, including its nested lines.
pub fn top_level_block(yaml: &str, key: &str) -> Option<Range<usize>> {
    let lines = lines(yaml);
    let start = (0..lines.len()).find(|&i| lines[i].indent == 0 && is_key(lines[i].text, key))?;
    Some(start..value_end(&lines, start, 0, lines.len()))
}

/// The top-level keys of `yaml` with their 0-based line numbers.
pub fn top_level_keys(yaml: &str) -> Vec<(String, usize)> {
    lines(yaml)
        .iter()
        .enumerate()
        .filter(|(_, l)| l.indent == 0 && l.is_content() && !l.text.starts_with("- "))
        .filter_map(|(i, l)| {
            let name = l.text.split(':').next()?.trim().trim_matches(['"', '\'']);
            let ok = !name.is_empty()
                && l.text.contains(':')
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            ok.then(|| (name.to_string(), i))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
title: T
themes: [a, b]
questions:
  - id: rf1
    text: Q1
    themes:
      - styrning
      - okänd
  - id: rf2
    assessment:
      level: fel
items:
  rf1-r1:
    status: öppen
";

    fn path(s: &[Segment]) -> FieldPath {
        FieldPath(s.to_vec())
    }

    fn k(s: &str) -> Segment {
        Segment::Key(s.into())
    }

    #[test]
    fn finds_nested_fields() {
        let p = path(&[
            k("questions"),
            Segment::Index(1),
            k("assessment"),
            k("level"),
        ]);
        assert_eq!(
            locate(YAML, &p),
            Some(Position {
                line: 11,
                column: 7
            })
        );
        let p = path(&[
            k("questions"),
            Segment::Index(0),
            k("themes"),
            Segment::Index(1),
        ]);
        assert_eq!(locate(YAML, &p), Some(Position { line: 8, column: 9 }));
        let p = path(&[k("questions"), Segment::Index(1), k("id")]);
        assert_eq!(locate(YAML, &p), Some(Position { line: 9, column: 5 }));
        let p = path(&[k("items"), k("rf1-r1"), k("status")]);
        assert_eq!(
            locate(YAML, &p),
            Some(Position {
                line: 14,
                column: 5
            })
        );
    }

    #[test]
    fn falls_back_to_the_enclosing_field() {
        let p = path(&[k("themes"), Segment::Index(1)]);
        assert_eq!(locate(YAML, &p), Some(Position { line: 2, column: 1 }));
        let p = path(&[k("missing")]);
        assert_eq!(locate(YAML, &p), None);
    }

    #[test]
    fn a_flow_value_on_the_last_line() {
        let y = "title: T\nthemes: [styrning, okänd]\n";
        let p = path(&[k("themes"), Segment::Index(1)]);
        assert_eq!(locate(y, &p), Some(Position { line: 2, column: 1 }));
    }

    #[test]
    fn indentless_sequences() {
        let yaml = "themes:\n- a\n- b\ntitle: x\n";
        let p = path(&[k("themes"), Segment::Index(1)]);
        assert_eq!(locate(yaml, &p), Some(Position { line: 3, column: 3 }));
        assert_eq!(top_level_block(yaml, "themes"), Some(0..3));
    }

    #[test]
    fn top_level_keys_and_blocks() {
        let keys: Vec<_> = top_level_keys(YAML).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["title", "themes", "questions", "items"]);
        assert_eq!(top_level_block(YAML, "questions"), Some(2..11));
    }
}
