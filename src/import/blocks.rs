//! A report's text as blocks: headings, list items and paragraphs, read from a plain-text
//! extraction (blank lines between blocks; `#` headings, `- ` bullets and `<b>` as some
//! extractions write them) or from the clean-up of a PDF's text.

use super::clean;

/// One block of the report's text, with its first line in the source text (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// The block's lines, extraction markup (`#`, a bullet, `<b>`) left as written.
    pub lines: Vec<String>,
    pub line: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A heading of level 1–6 (level 1: the report's top level).
    Heading(u8),
    /// A list item (`- `, `• `, `1. `).
    Item,
    Paragraph,
}

impl Block {
    /// The block's text on one line, without extraction markup: `#`, bullets, list numbers,
    /// `<b>` tags and emphasis asterisks.
    pub fn text(&self) -> String {
        let joined = self
            .lines
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ");
        plain(&joined)
    }
}

/// A line without extraction markup.
pub fn plain(line: &str) -> String {
    let mut t = line.trim().trim_start_matches('#').trim();
    for b in ["• ", "- ", "– ", "* "] {
        if let Some(rest) = t.strip_prefix(b) {
            t = rest;
            break;
        }
    }
    let t = t.replace("<b>", "").replace("</b>", "").replace('*', "");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The blocks of `text`.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let line_no = n + 1;
        if line.trim().is_empty() {
            blocks.extend(current.take());
            continue;
        }
        let t = line.trim_start();
        let kind = if let Some(level) = markdown_heading(t) {
            Some(Kind::Heading(level))
        } else if clean::bullet(t) {
            Some(Kind::Item)
        } else if footnote(t) {
            // A footnote (`*) `, `) `) starts a paragraph of its own.
            Some(Kind::Paragraph)
        } else {
            None
        };
        match (kind, current.as_mut()) {
            (None, Some(block)) if !matches!(block.kind, Kind::Heading(_)) => {
                block.lines.push(line.to_string());
            }
            (kind, _) => {
                blocks.extend(current.take());
                current = Some(Block {
                    kind: kind.unwrap_or(Kind::Paragraph),
                    lines: vec![line.to_string()],
                    line: line_no,
                });
            }
        }
    }
    blocks.extend(current);
    let mut blocks = notes_joined(blocks);
    let numbers: Vec<Option<u32>> = blocks.iter().map(list_number).collect();
    let items: Vec<bool> = blocks.iter().map(|b| b.kind == Kind::Item).collect();
    for (i, block) in blocks.iter_mut().enumerate() {
        // A numbered line is a list's when it is the first of items, the item before it has
        // the number before, or the item after it the number after.
        let in_list = numbers[i].is_some_and(|n| {
            (n == 1 && items.get(i + 1).copied().unwrap_or(false))
                || (i > 0 && numbers[i - 1] == Some(n.wrapping_sub(1)))
                || numbers.get(i + 1).copied().flatten() == Some(n + 1)
        });
        // A paragraph of one line that reads as a heading, or a numbered line that is no
        // list's (`2. Inledning` between paragraphs or after a bulleted list) is a heading.
        let candidate = block.lines.len() == 1
            && (block.kind == Kind::Paragraph || (numbers[i].is_some() && !in_list));
        if candidate && let Some(level) = plain_heading(&block.lines[0]) {
            block.kind = Kind::Heading(level);
        }
    }
    blocks
}

/// A paragraph in parentheses right after a list item (`(Se även under Revisionsfråga 9.)`)
/// is a note to that item, and goes with it: a PDF sets it apart, a text extraction runs it
/// on.
fn notes_joined(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let text = block.text();
        let note = block.kind == Kind::Paragraph
            && text.starts_with('(')
            && text.trim_end_matches('.').ends_with(')')
            && text.chars().count() < 200;
        match out.last_mut() {
            Some(item) if note && item.kind == Kind::Item => item.lines.extend(block.lines),
            _ => out.push(block),
        }
    }
    out
}

/// A numbered list item's number (`2. Text`, `2) Text`).
fn list_number(block: &Block) -> Option<u32> {
    let first = block.lines.first()?.trim();
    if block.kind != Kind::Item || !clean::numbered(first) {
        return None;
    }
    let digits = first.chars().take_while(char::is_ascii_digit).count();
    first[..digits].parse().ok()
}

/// `) `, `*) `, `**) `: a footnote's marker.
fn footnote(line: &str) -> bool {
    let stars = line.chars().take_while(|c| *c == '*').count();
    stars <= 3 && line[stars..].starts_with(") ")
}

/// `## Text`: its level.
fn markdown_heading(line: &str) -> Option<u8> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    (1..=6)
        .contains(&hashes)
        .then_some(())
        .filter(|()| line[hashes..].starts_with(' '))
        .map(|()| hashes as u8)
}

/// Section names reports use as headings on a line of their own.
const SECTION_NAMES: &[&str] = &[
    "Sammanfattning",
    "Inledning",
    "Bakgrund",
    "Bakgrund och syfte",
    "Syfte",
    "Revisionsfrågor",
    "Revisionsfråga",
    "Metod",
    "Avgränsning",
    "Revisionskriterier",
    "Iakttagelser",
    "Väsentliga iakttagelser",
    "Observationer",
    "Bedömning",
    "Revisionell bedömning",
    "Kommentar",
    "Kommentarer",
    "Rekommendationer",
    "Slutsatser",
    "Innehåll",
    "Innehållsförteckning",
    "Detaljerad analys",
    "Bilaga",
    "Bilagor",
];

/// A numbered heading on a line of its own (`2.1 Syfte och metod`, `3. IT-miljön`,
/// `A Bilaga 1`) or a section name: its level (the depth of its number).
pub fn plain_heading(line: &str) -> Option<u8> {
    let t = plain(line);
    let t = t.trim_end_matches(':');
    if t.is_empty() || t.chars().count() > 90 || t.ends_with(['.', ',', ';', '?', '!']) {
        return None;
    }
    if SECTION_NAMES.iter().any(|s| s.eq_ignore_ascii_case(t)) {
        return Some(2);
    }
    let (number, rest) = t.split_once(' ')?;
    let number = number.trim_end_matches('.');
    let parts: Vec<&str> = number.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()));
    let lettered = parts
        .first()
        .is_some_and(|p| p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase()))
        && parts[1..]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_digit()));
    let rest = rest.trim();
    let starts_upper = rest.starts_with(|c: char| c.is_uppercase());
    // A date or an amount is not a section number; the first part is a small number.
    let small = parts[0].parse::<u32>().map_or(lettered, |n| n < 40);
    ((numeric && small) || lettered)
        .then_some(())
        .filter(|()| starts_upper && !rest.chars().last().is_some_and(|c| c.is_ascii_digit()))
        .map(|()| (parts.len() as u8 + 1).min(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_items_and_paragraphs() {
        let text = "## 1. Sammanfattning\n\nEn mening.\nSom fortsätter.\n- Punkt ett\n- Punkt två\n\n2.1 Syfte och metod\n\nSlut.";
        let kinds: Vec<(Kind, usize)> = blocks(text).iter().map(|b| (b.kind, b.line)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Heading(2), 1),
                (Kind::Paragraph, 3),
                (Kind::Item, 5),
                (Kind::Item, 6),
                (Kind::Heading(3), 8),
                (Kind::Paragraph, 10)
            ]
        );
        assert_eq!(blocks(text)[1].text(), "En mening. Som fortsätter.");
        let noted = blocks("- Punkt ett.\n\n(Se även fråga 9.)\n\n(Egen mening.) Text.");
        assert_eq!(noted.len(), 2);
        assert_eq!(noted[0].text(), "Punkt ett. (Se även fråga 9.)");
    }

    #[test]
    fn plain_headings() {
        assert_eq!(plain_heading("3 Resultat av förstudien"), Some(2));
        assert_eq!(
            plain_heading("2.1 Syfte, frågeställning och avgränsning"),
            Some(3)
        );
        assert_eq!(plain_heading("<b>Rekommendationer</b>"), Some(2));
        assert_eq!(plain_heading("2020-11-25"), None);
        assert_eq!(plain_heading("1 Sammanfattning 2"), None, "a contents line");
        assert_eq!(plain_heading("Det här är en mening."), None);
        assert_eq!(plain_heading("1. Är det en fråga?"), None);
        let kinds: Vec<Kind> =
            blocks("Text.\n\n2. Inledning\n\nText.\n\n1. Ett\n2. Två\n- Punkt\n3. Metod")
                .iter()
                .map(|b| b.kind)
                .collect();
        assert_eq!(
            kinds,
            [
                Kind::Paragraph,
                Kind::Heading(2),
                Kind::Paragraph,
                Kind::Item,
                Kind::Item,
                Kind::Item,
                Kind::Heading(2)
            ]
        );
    }
}
