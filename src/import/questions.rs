//! The audit questions: the list that follows the sentence or heading introducing them
//! ("I granskningen kommer följande revisionsfrågor att besvaras:", "Revisionsfrågor
//! delområden"), its parts under short sub-headings included; the longest such list.

use super::blocks::{Block, Kind};

/// One audit question: its text and the block it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub block: usize,
}

/// Whether a block introduces audit questions.
fn introduces(block: &Block) -> bool {
    let lower = block.text().to_lowercase();
    lower.contains("revisionsfråg") || lower.contains("frågeställning")
}

/// The items of the list after the intro at `at`, its parts under short labels (`Styrning`,
/// a heading or a line of its own) included.
fn list_after(blocks: &[Block], at: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut i = at + 1;
    let mut skipped = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        let text = b.text();
        // A label: short, one line, no sentence, no new intro, and a list item right after.
        let label = b.lines.len() == 1
            && !introduces(b)
            && text.chars().count() <= 40
            && !text.ends_with(['.', ':', '?', '!'])
            && blocks.get(i + 1).is_some_and(|n| n.kind == Kind::Item);
        match b.kind {
            Kind::Item => items.push(i),
            Kind::Heading(_) | Kind::Paragraph if label && skipped < 3 => skipped += 1,
            Kind::Paragraph if items.is_empty() && skipped < 1 => skipped += 1,
            _ => break,
        }
        i += 1;
    }
    items
}

/// The audit questions, numbered `rf1`, `rf2`, … in the report's order.
pub fn questions(blocks: &[Block]) -> Vec<Question> {
    let best = (0..blocks.len())
        .filter(|&i| introduces(&blocks[i]))
        .map(|i| list_after(blocks, i))
        .filter(|items| {
            let asking = items
                .iter()
                .filter(|&&i| blocks[i].text().contains('?'))
                .count();
            asking * 2 > items.len()
        })
        .max_by_key(Vec::len)
        .unwrap_or_default();
    best.into_iter()
        .enumerate()
        .map(|(n, i)| Question {
            id: format!("rf{}", n + 1),
            text: item_text(&blocks[i]),
            block: i,
        })
        .collect()
}

/// An item's text without its bullet or list number.
pub fn item_text(block: &Block) -> String {
    let text = block.text();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (text[digits..].starts_with(". ") || text[digits..].starts_with(") ")) {
        return text[digits + 2..].trim().to_string();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::blocks;

    #[test]
    fn the_longest_list_of_questions() {
        let text = "Följande övergripande revisionsfrågor:\n\n1. Är A bra?\n2. Är B bra?\n\nRevisionsfrågor delområden\n\n1. Är C bra?\n2. Är D bra?\n3. Är E bra?\n\nMetod";
        let q = questions(&blocks(text));
        assert_eq!(q.len(), 3);
        assert_eq!((q[0].id.as_str(), q[0].text.as_str()), ("rf1", "Är C bra?"));
        let text = "I granskningen kommer följande revisionsfrågor att besvaras:\n\n### *Styrning*\n\n- Finns A?\n- Finns B?\n\n#### *Effektivitet*\n\n- Görs C?\n\n## 4. Avgränsning";
        assert_eq!(questions(&blocks(text)).len(), 3);
        let text = "Följande revisionsfrågor att\nbesvaras:\n\nStyrning\n\n- Finns A?\n- Finns B?\n\nEffektivitet\n\n- Görs C?\n\nSlut.";
        assert_eq!(questions(&blocks(text)).len(), 3);
    }
}
