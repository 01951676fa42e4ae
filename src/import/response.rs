//! The response the auditors ask for: in the cover letter, the date it is due ("emotser svar
//! senast 2021-04-30") and the board addressed ("Till / Kommunstyrelsen").

use super::blocks::Block;
use super::dates::date_in;
use crate::date::Date;

/// The board asked to respond, and by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub recipient: Option<String>,
    pub due: Date,
}

/// The response asked for, when the text asks for one by a date.
pub fn response(blocks: &[Block]) -> Option<Response> {
    let due = blocks.iter().find_map(|b| {
        let text = b.text();
        let lower = text.to_lowercase();
        let at = lower
            .find("svar senast")
            .or_else(|| lower.find("svar till"))?;
        let after = &text[at..];
        date_in(after)
            .filter(|(_, rest)| after.len() - rest.len() < 40)
            .map(|(d, _)| d)
    })?;
    // "Till" on a line of its own, the board on the next (in the same block or the next).
    let lines: Vec<String> = blocks
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| super::blocks::plain(l)))
        .collect();
    let recipient = lines
        .iter()
        .position(|l| l == "Till")
        .and_then(|at| lines.get(at + 1).cloned())
        .filter(|r| !r.is_empty() && r.split_whitespace().count() <= 4);
    Some(Response { recipient, due })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::blocks;

    #[test]
    fn the_cover_letter_asks_for_a_response() {
        let text = "2020-02-03\n\nTill\nKommunstyrelsen\n\nKommunrevisionen emotser svar senast 2021-04-30 på vilka åtgärder.";
        let r = response(&blocks(text)).unwrap();
        assert_eq!(r.recipient.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(r.due.to_string(), "2021-04-30");
        assert_eq!(response(&blocks("Inget svar begärs.")), None);
    }
}
