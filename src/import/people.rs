//! Who wrote the report and who commissioned it: the names signing it (a name on a line of
//! its own near the end, before the appendices), and the phrase naming the commissioners
//! ("på uppdrag av de förtroendevalda revisorerna i …", "Vi har av … fått i uppdrag").

use super::blocks::{Block, Kind};
use super::cover::person_like;
use super::guess::Guess;

/// The names signing the report.
pub fn authors(blocks: &[Block]) -> Vec<String> {
    let from = blocks.len() / 2;
    let end = blocks[from..]
        .iter()
        .position(|b| matches!(b.kind, Kind::Heading(_)) && b.text().contains("Bilaga"))
        .map_or(blocks.len(), |i| from + i);
    let mut names: Vec<String> = Vec::new();
    for block in &blocks[from..end] {
        if block.kind != Kind::Paragraph || block.lines.len() > 3 {
            continue;
        }
        for line in &block.lines {
            let name = super::blocks::plain(line);
            if !line.contains('\t') && person_like(&name) && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Who commissioned the report, from the phrase that says so; `kommun` is how the cover
/// writes the municipality (`Jönköpings kommun`).
pub fn commissioned_by(text: &str, kommun: &str) -> Guess<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = flat.to_lowercase();
    if let Some(at) = lower.find("uppdrag av de förtroendevalda revisorerna") {
        let start = at + "uppdrag av ".len();
        let phrase = &flat[start..start + "de förtroendevalda revisorerna".len()];
        let rest = &flat[start + phrase.len()..];
        let place = rest
            .strip_prefix(" i ")
            .and_then(|r| r.find(" kommun").map(|e| &r[..e + " kommun".len()]));
        let who = match place {
            Some(p) => format!("De förtroendevalda revisorerna i {p}"),
            None => format!("De förtroendevalda revisorerna i {kommun}"),
        };
        return Guess::review(who, "commissioned_by read from \"på uppdrag av …\"");
    }
    if let Some(at) = lower.find("vi har av ") {
        let start = at + "vi har av ".len();
        if let Some(end) = lower[start..].find(" fått i uppdrag") {
            let who = &flat[start..start + end];
            if who.split_whitespace().count() <= 6 {
                let mut chars = who.chars();
                let who = chars
                    .next()
                    .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                    .unwrap_or_default();
                return Guess::review(
                    who,
                    "commissioned_by read from \"Vi har av … fått i uppdrag\"",
                );
            }
        }
    }
    Guess::review(
        format!("De förtroendevalda revisorerna i {kommun}"),
        "commissioned_by not found in the text: the usual commissioners assumed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commissioners_from_their_phrases() {
        let c = |t: &str| commissioned_by(t, "Jönköpings kommun").value;
        assert_eq!(
            c("PwC har på uppdrag av de förtroendevalda revisorerna i Alvesta kommun genomfört"),
            "De förtroendevalda revisorerna i Alvesta kommun"
        );
        assert_eq!(
            c("På uppdrag av de förtroendevalda revisorerna har Ernst & Young"),
            "De förtroendevalda revisorerna i Jönköpings kommun"
        );
        assert_eq!(
            c("Vi har av Kumla kommuns revisorer fått i uppdrag att"),
            "Kumla kommuns revisorer"
        );
    }
}
