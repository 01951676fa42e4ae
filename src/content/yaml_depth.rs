//! A linear pre-scan of front matter for nesting deeper than any audit needs.
//!
//! The YAML scanner keeps one pending "simple key" per open flow collection and re-checks all
//! of them for every token, so `[[[[…` costs time quadratic in its depth: 100,000 `[` took
//! minutes. The parser's recursion limit only fires after the whole document is scanned, so
//! deep input is refused here first, in one pass, before the parser sees it.
//!
//! This is not a YAML parser: it counts open `[`/`{` outside quotes and comments, and block
//! levels (indentation steps and `- ` entries). It may miscount exotic YAML, but real front
//! matter nests five levels at most, far from [`MAX_DEPTH`].

use crate::diagnostics::Position;

/// The deepest nesting accepted (the YAML library's own limit is 128).
pub const MAX_DEPTH: usize = 64;

/// Where the front matter first nests deeper than [`MAX_DEPTH`] (1-based, within `yaml`).
pub fn too_deep(yaml: &str) -> Option<Position> {
    let mut scan = Scan::default();
    for (i, line) in yaml.split('\n').enumerate() {
        if let Some(column) = scan.line(line) {
            return Some(Position {
                line: i + 1,
                column: line[..column].chars().count() + 1,
            });
        }
    }
    None
}

#[derive(Default)]
struct Scan {
    /// Open flow collections.
    flow: usize,
    /// The quote a scalar spanning lines is still open in.
    quote: Option<char>,
    /// Indentation of the enclosing block levels.
    indents: Vec<usize>,
    /// Indentation of the key whose `|`/`>` text is being skipped.
    block_text: Option<usize>,
}

impl Scan {
    /// Scans one line; the byte column where it nests too deep.
    fn line(&mut self, line: &str) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(owner) = self.block_text {
            if rest.is_empty() || indent > owner {
                return None;
            }
            self.block_text = None;
        }
        if self.flow > 0 || self.quote.is_some() {
            return self.inline(line, indent);
        }
        if rest.is_empty() || rest.starts_with('#') {
            return None;
        }
        while self.indents.last().is_some_and(|&top| top > indent) {
            self.indents.pop();
        }
        if self.indents.last() != Some(&indent) {
            self.indents.push(indent);
        }
        let mut col = indent;
        let mut depth = self.indents.len();
        while line[col..].starts_with("- ") || &line[col..] == "-" {
            depth += 1;
            if depth > MAX_DEPTH {
                return Some(col);
            }
            col += 1 + line[col + 1..].len() - line[col + 1..].trim_start_matches(' ').len();
        }
        if depth > MAX_DEPTH {
            return Some(col);
        }
        let value = value_start(line, col);
        match line[value..].chars().next() {
            Some('[' | '{' | '"' | '\'') => self.inline(line, value),
            Some('|' | '>') => {
                self.block_text = Some(indent);
                None
            }
            _ => None,
        }
    }

    /// Scans flow collections and quoted scalars from byte `from` to the end of the line (or
    /// until the outermost collection or quote closes).
    fn inline(&mut self, line: &str, from: usize) -> Option<usize> {
        let mut prev = ' ';
        let mut chars = line[from..].char_indices().map(|(i, c)| (i + from, c));
        while let Some((i, c)) = chars.next() {
            match (self.quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some(q), c) if c == q => {
                    // '' inside single quotes is an escaped quote.
                    if q == '\'' && line[i + 1..].starts_with('\'') {
                        chars.next();
                    } else {
                        self.quote = None;
                        if self.flow == 0 {
                            return None;
                        }
                    }
                }
                (Some(_), _) => {}
                (None, '[' | '{') => {
                    self.flow += 1;
                    if self.flow > MAX_DEPTH {
                        return Some(i);
                    }
                }
                (None, ']' | '}') => {
                    self.flow = self.flow.saturating_sub(1);
                    if self.flow == 0 {
                        return None;
                    }
                }
                (None, '"' | '\'') if matches!(prev, ' ' | '[' | '{' | ',' | ':') => {
                    self.quote = Some(c);
                }
                (None, '#') if prev == ' ' => return None,
                _ => {}
            }
            prev = c;
        }
        None
    }
}

/// The byte where the value of a `key: value` entry starting at `col` begins (`col` when the
/// entry is not a plain `key:`).
fn value_start(line: &str, col: usize) -> usize {
    let entry = &line[col..];
    if entry.starts_with(['[', '{', '"', '\'', '|', '>']) {
        return col;
    }
    let colon = entry
        .find(": ")
        .or_else(|| entry.ends_with(':').then(|| entry.len() - 1));
    match colon {
        Some(c) => {
            let after = &entry[c + 1..];
            col + c + 1 + (after.len() - after.trim_start_matches(' ').len())
        }
        None => col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_front_matter_passes() {
        let yaml = "title: \"A [b\"\nthemes: [styrning, it]\nquestions:\n  - id: rf1\n    text: 'it''s [x'\n    assessment: { level: uppfyllt }\nscope: |\n  [[[[ text\nmethod: Intervjuer [med {flera\n";
        assert_eq!(too_deep(yaml), None);
    }

    #[test]
    fn deep_flow_nesting_is_found_on_its_line() {
        let yaml = format!("title: T\nmethod: {}\n", "[".repeat(100_000));
        let p = too_deep(&yaml).unwrap();
        assert_eq!(p.line, 2);
        assert_eq!(p.column, 9 + MAX_DEPTH);
        let spread = format!("title: T\nthemes:\n{}", "  {\n".repeat(MAX_DEPTH + 1));
        assert_eq!(too_deep(&spread).unwrap().line, 3 + MAX_DEPTH);
    }

    #[test]
    fn deep_block_nesting_is_found() {
        let dashes = format!("items: x\nthemes:\n  {}x\n", "- ".repeat(1000));
        assert_eq!(too_deep(&dashes).unwrap().line, 3);
        let indented: String = (0..MAX_DEPTH + 2)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(too_deep(&indented).unwrap().line, MAX_DEPTH + 1);
    }

    #[test]
    fn exactly_the_limit_passes() {
        let yaml = format!(
            "method: {}{}\n",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert_eq!(too_deep(&yaml), None);
    }
}
