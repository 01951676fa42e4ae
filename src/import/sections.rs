//! The report's sections as the draft marks them: the table of contents left out (and
//! declared as an omission), headings that belong to an audit question (`{question=rf1}`),
//! and the sections whose list items are observations or recommendations.

use super::blocks::{Block, Kind, plain};
use super::cover;
use super::markdown::Marks;
use super::questions::Question;

/// An omission the draft declares: from the first text to the end of the second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Omitted {
    pub from: String,
    pub to: String,
    pub reason: &'static str,
}

/// A contents line's title: without its page number and dot leaders ([`plain`] has made
/// its tabs spaces).
fn contents_entry(line: &str) -> String {
    let t = plain(line);
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let t = t.trim_end_matches(['.', '…', ' ']);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading's title without its number (`2.1 Syfte` → `Syfte`).
fn unnumbered(text: &str) -> &str {
    let first = text.split_whitespace().next().unwrap_or("");
    if first.chars().any(|c| c.is_ascii_digit()) || (first.len() == 1 && first != "I") {
        text[first.len()..].trim()
    } else {
        text
    }
}

/// Whether a contents line ends its entry: it carries dot leaders, a tab or a page number.
fn ends_entry(line: &str) -> bool {
    // Looked for in the line as extracted: `plain` makes tabs spaces.
    if line.contains(['\t', '…']) {
        return true;
    }
    let t = plain(line);
    t.ends_with(|c: char| c.is_ascii_digit()) || t.contains("..")
}

/// The title of the contents' first entry, from its lines up to the one that ends it: in a
/// narrow column an entry wraps (`1. Sammanfattning` / `och slutsatser .....` / `2`).
fn first_entry(lines: &[&String]) -> String {
    let wrapped = lines.iter().take(4).position(|l| ends_entry(l));
    let lines = &lines[..wrapped.map_or(1, |i| i + 1).min(lines.len())];
    let titles: Vec<String> = lines.iter().map(|l| contents_entry(l)).collect();
    titles
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The table of contents: the blocks from its heading to the last before the heading of its
/// first entry; and the omission that declares it.
pub fn contents(blocks: &[Block]) -> Option<(std::ops::Range<usize>, Omitted)> {
    let head = cover::contents(blocks)?;
    // The first entry may read as a heading itself (a numbered line that continues no list).
    let lines: Vec<&String> = blocks[head + 1..]
        .iter()
        .enumerate()
        .take_while(|(i, b)| *i == 0 || b.kind != Kind::Heading(1))
        .flat_map(|(_, b)| &b.lines)
        .collect();
    let first = first_entry(&lines);
    if first.is_empty() {
        return None;
    }
    let end = (head + 1..blocks.len()).find(|&i| {
        let b = &blocks[i];
        let t = b.text();
        b.lines.len() == 1
            && (t == first || unnumbered(&t) == unnumbered(&first))
            && !t.ends_with(|c: char| c.is_ascii_digit())
    })?;
    if end <= head + 1 {
        return None;
    }
    let last = blocks[end - 1].lines.last()?;
    let from = format!(
        "{} {}",
        plain(&blocks[head].lines[0]),
        plain(&blocks[head + 1].lines[0])
    );
    let mut to = plain(last);
    // A page number alone is no mark to find: the line before it comes along.
    if to.chars().all(|c| c.is_ascii_digit()) {
        let mut inside = blocks[head + 1..end].iter().flat_map(|b| &b.lines).rev();
        if let Some(before) = inside.nth(1) {
            to = format!("{} {to}", plain(before));
        }
    }
    Some((
        head..end,
        Omitted {
            from,
            to,
            reason: "Innehållsförteckningen är utelämnad.",
        },
    ))
}

/// The cover page: its blocks (see [`cover::cover`]) and the omission that declares them.
/// `from` and `to` are two lines each where the cover has them, so that neither is found
/// elsewhere first (an omission runs from each occurrence of `from`).
///
/// After a cover letter the short lines before the contents begin with the letter's
/// signature, which stays: there the cover page starts at the report's title (`title`, as
/// read from the cover), and without it on the cover nothing is left out.
pub fn cover_page(blocks: &[Block], title: &str) -> Option<(std::ops::Range<usize>, Omitted)> {
    let mut range = cover::cover(blocks);
    if range.start != 0 {
        range.start = range
            .clone()
            .find(|i| blocks[*i].text() == title && !title.is_empty())?;
    }
    let lines: Vec<String> = blocks[range.clone()]
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| plain(l)))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let pair = |l: &[String]| l.join(" ");
    let (from, to) = match lines.len() {
        0 => return None,
        1 => (lines[0].clone(), lines[0].clone()),
        n => (pair(&lines[..2]), pair(&lines[n - 2..])),
    };
    Some((
        range,
        Omitted {
            from,
            to,
            reason: "Rapportens försättsblad är utelämnat (titel, kommun, revisionsbyrå och datum står i granskningens uppgifter).",
        },
    ))
}

/// Item sections by their headings' text (the body recognises these names itself).
const ITEM_HEADINGS: &[&str] = &[
    "Iakttagelser",
    "Väsentliga iakttagelser",
    "Observationer",
    "Rekommendationer",
];

/// `Revisionsfråga 3`: 3.
fn question_number(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("Revisionsfråga ")?;
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    n.parse().ok()
}

/// What a reviewer should check about the body's structure, with the source lines.
pub type Notes = Vec<String>;

/// Marks the blocks: questions' headings, item sections, the cover page and the table of
/// contents left out (`omitted`).
pub fn mark(
    blocks: &mut [Block],
    questions: &[Question],
    omitted: &[std::ops::Range<usize>],
) -> (Marks, Notes) {
    let n = blocks.len();
    let mut marks = Marks {
        omitted: vec![false; n],
        attributes: vec![None; n],
    };
    let mut notes = Vec::new();
    for i in omitted.iter().cloned().flatten() {
        marks.omitted[i] = true;
    }
    let in_list: Vec<usize> = questions.iter().map(|q| q.block).collect();
    // A question's heading level while inside it.
    let mut open: Option<u8> = None;
    for i in 0..n {
        if marks.omitted[i] || in_list.contains(&i) {
            continue;
        }
        let text = blocks[i].text();
        let asked = questions.iter().find(|q| {
            q.text == text || question_number(&text).is_some_and(|k| q.id == format!("rf{k}"))
        });
        if let Some(q) = asked {
            let level = match blocks[i].kind {
                Kind::Heading(l) => l,
                _ => open.unwrap_or(2),
            };
            if blocks[i].kind == Kind::Paragraph && blocks[i].lines.len() > 1 {
                continue;
            }
            blocks[i].kind = Kind::Heading(level);
            marks.attributes[i] = Some(format!("question={}", q.id));
            open = Some(level);
            continue;
        }
        if let Kind::Heading(level) = blocks[i].kind {
            let item = ITEM_HEADINGS
                .iter()
                .any(|h| unnumbered(&text).eq_ignore_ascii_case(h));
            match open {
                Some(q) if item && level <= q => {
                    blocks[i].kind = Kind::Heading(q + 1);
                }
                Some(q) if level <= q => open = None,
                _ => {}
            }
            if !item && unnumbered(&text) == "Slutsatser" && has_list(blocks, i) {
                marks.attributes[i] = Some(".observations".to_string());
                notes.push(format!(
                    "the list under \"{text}\" (source text line {}) is read as observations",
                    blocks[i].line
                ));
            }
        }
    }
    (marks, notes)
}

/// Whether list items follow the heading at `at` before the next heading.
fn has_list(blocks: &[Block], at: usize) -> bool {
    blocks[at + 1..]
        .iter()
        .take_while(|b| !matches!(b.kind, Kind::Heading(_)))
        .any(|b| b.kind == Kind::Item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::blocks;

    #[test]
    fn the_table_of_contents_is_found_and_declared() {
        let text =
            "Rapport\n\nInnehåll\n\nSammanfattning\t3\nBakgrund\t4\n\nSammanfattning\n\nText.";
        let b = blocks(text);
        let (range, omitted) = contents(&b).unwrap();
        assert_eq!(range, 1..3);
        assert_eq!(omitted.from, "Innehåll Sammanfattning 3");
        assert_eq!(omitted.to, "Bakgrund 4");
    }

    /// In a narrow column the first entry wraps, and its first line reads like the section's
    /// heading: the contents still end at the heading that is the whole entry.
    #[test]
    fn contents_whose_first_entry_wraps_are_found() {
        let text = "Rapport\n\nInnehållsförteckning\n\n1. Sammanfattning\n\noch slutsatser .....\n\n2\n\n\
                    2. Inledning .....\n\n4\n\n1. Sammanfattning och slutsatser\n\nText.";
        let b = blocks(text);
        let (range, omitted) = contents(&b).unwrap();
        assert_eq!(b[range.end].text(), "1. Sammanfattning och slutsatser");
        assert_eq!(range.start, 1);
        assert_eq!(omitted.from, "Innehållsförteckning 1. Sammanfattning");
        // The last line is a page number alone: the line before it comes along.
        assert_eq!(omitted.to, "2. Inledning ..... 4");
    }

    /// A tab ends an entry even when its page number went to the next line: the tab is
    /// looked for before `plain` makes it a space.
    #[test]
    fn a_tab_ends_a_contents_entry() {
        assert!(ends_entry("1. Inledning\t"));
        assert!(!ends_entry("1. Inledning och"));
        let (first, second) = ("1. Inledning\t".to_string(), "Bakgrund\t4".to_string());
        assert_eq!(first_entry(&[&first, &second]), "1. Inledning");
    }
}
