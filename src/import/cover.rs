//! The cover page and the title: the short lines before the table of contents (or before the
//! first section), and among them the line that reads as a title.

use super::blocks::{Block, Kind, plain};
use super::guess::Guess;

/// Headings that open the table of contents.
pub const CONTENTS: &[&str] = &["Innehåll", "Innehållsförteckning", "Innehållsförtecking"];

/// The index of the block that heads the table of contents.
pub fn contents(blocks: &[Block]) -> Option<usize> {
    blocks.iter().position(|b| {
        b.lines.len() == 1
            && CONTENTS
                .iter()
                .any(|c| plain(&b.lines[0]).eq_ignore_ascii_case(c))
    })
}

/// The cover's blocks: the run of short blocks that ends just before the table of
/// contents (or the first section heading), after the last long paragraph or list item
/// before it (a cover letter may come first).
pub fn cover(blocks: &[Block]) -> std::ops::Range<usize> {
    let end = contents(blocks)
        .or_else(|| {
            blocks.iter().position(|b| {
                matches!(b.kind, Kind::Heading(_)) && b.text().contains("Sammanfattning")
            })
        })
        .unwrap_or(blocks.len().min(15));
    let start = blocks[..end]
        .iter()
        .rposition(|b| b.kind == Kind::Item || b.text().chars().count() > 120)
        .map_or(0, |i| i + 1);
    start..end
}

/// The cover's lines, plain, one by one.
pub fn lines(blocks: &[Block]) -> Vec<String> {
    blocks[cover(blocks)]
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| plain(l)))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Lines of a cover that are not a title: the report's kind, the firm, dates, counts, file
/// names, web addresses, signatures.
fn not_title(line: &str, municipality: Option<&str>) -> bool {
    let lower = line.to_lowercase();
    let kinds = [
        "rapport",
        "revisionsrapport",
        "granskningsrapport",
        "fördjupad revisionsgranskning",
        "fördjupad granskning",
        "offentlig sektor",
        "missiv",
        "till",
        "för kännedom",
        "pwc",
        "kpmg ab",
        "kpmg",
        "ey",
        "ernst & young ab",
        "deloitte",
    ];
    kinds.contains(&lower.as_str())
        || lower.starts_with("antal ")
        || lower.starts_with("www.")
        || lower.ends_with(".docx")
        || lower.ends_with(".doc")
        || line.ends_with(':')
        || !line.chars().any(char::is_lowercase)
        || line.starts_with(char::is_lowercase)
        || super::dates::date_in(line).is_some_and(|(_, rest)| rest.trim().is_empty())
        || municipality.is_some_and(|m| {
            line.starts_with(m) && line.ends_with("kommun") && line.len() <= m.len() + 10
        })
        || person_like(line)
}

/// Two or three capitalised words of letters: a name rather than a title.
pub fn person_like(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.starts_with(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-')
                && w.chars().skip(1).any(char::is_lowercase)
        })
        && !line.contains("kommun")
}

/// The report's title: a cover line that recurs (as running headers repeat it), else the
/// cover's first line that reads as a title, else the first heading.
pub fn title(blocks: &[Block], furniture: &[String], municipality: Option<&str>) -> Guess<String> {
    let lines = lines(blocks);
    let candidates: Vec<&String> = lines
        .iter()
        .filter(|l| !not_title(l, municipality))
        .collect();
    if let Some(line) = candidates
        .iter()
        .find(|l| lines.iter().filter(|m| m == *l).count() > 1 || furniture.contains(l))
    {
        return Guess::review(
            (*line).clone(),
            "title read from the cover page and its running headers",
        );
    }
    if let Some(line) = candidates.first() {
        return Guess::review((*line).clone(), "title guessed from the cover page");
    }
    if let Some(line) = furniture.iter().find(|l| !not_title(l, municipality)) {
        return Guess::review(line.clone(), "title guessed from the running headers");
    }
    let first = blocks
        .iter()
        .find(|b| matches!(b.kind, Kind::Heading(_)))
        .map(Block::text)
        .unwrap_or_default();
    Guess::review(
        first,
        "no title found on a cover page: this is the first heading",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::blocks;

    #[test]
    fn a_cover_after_a_letter() {
        let text = "Ett missiv med en lång text som fortsätter och fortsätter och fortsätter, och som fortsätter ännu mer än så här, för att bli lång.\n\nHåkan Sundström\n\nrevisionsordförande\n\nFörstudie av styrning\n\nRapport\n\nKungsörs kommun\n\nKPMG AB\n\n2020-11-25\n\nFörstudie av styrning\n\nInnehållsförteckning\n\n1 Sammanfattning 2";
        let b = blocks(text);
        let t = title(&b, &[], Some("Kungsör"));
        assert_eq!(t.value, "Förstudie av styrning");
    }

    #[test]
    fn a_cover_with_markup() {
        let text = "**Örebro kommun**\n\n**IT-verksamhet  \nRapport**\n\nOffentlig sektor\n\nKPMG AB\n\n2015-02-17\n\n*Antal sidor: 18*\n\n## Innehåll\n\n1.\tSammanfattning\t1";
        assert_eq!(
            title(&blocks(text), &[], Some("Örebro")).value,
            "IT-verksamhet"
        );
    }
}
