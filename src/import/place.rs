//! Whom the report audits: the municipality named on its cover (`Kungsörs kommun`), else
//! the one its text names most often, with its county from the built-in list.

use std::collections::BTreeMap;

use super::guess::Guess;
use super::municipalities;

/// The municipality a line names as `<name> kommun` (`Jönköpings kommun`).
fn named(line: &str) -> Vec<&'static str> {
    let words: Vec<&str> = line
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w != "kommun" && *w != "kommuns" || i == 0 {
            continue;
        }
        // Two-word names first (`Upplands Väsby`, `Lilla Edet`).
        let two = (i >= 2).then(|| format!("{} {}", words[i - 2], words[i - 1]));
        if let Some(m) = two.as_deref().and_then(municipalities::find) {
            found.push(m);
        } else if let Some(m) = municipalities::find(words[i - 1]) {
            found.push(m);
        }
    }
    found
}

/// The municipality: from the cover lines, else the most named in `text`.
pub fn municipality(cover: &[String], text: &str) -> Option<Guess<String>> {
    if let Some(m) = cover.iter().find_map(|l| named(l).first().copied()) {
        return Some(Guess::review(
            m.to_string(),
            "municipality read from the cover page",
        ));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in named(text) {
        *counts.entry(m).or_default() += 1;
    }
    let (m, n) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    Some(Guess::review(
        m.to_string(),
        format!("municipality guessed from the text ({n} mentions of it)"),
    ))
}

/// The county of a municipality, from the built-in list.
pub fn county(municipality: &str) -> Option<String> {
    municipalities::county_of(municipality).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cover_names_the_municipality() {
        let cover = [
            "www.pwc.com/se".to_string(),
            "Jönköpings kommun".to_string(),
        ];
        assert_eq!(municipality(&cover, "").unwrap().value, "Jönköping");
        let text = "Revisorerna i Kumla kommun.\nKumla kommuns IT.\nÖrebro kommun.";
        assert_eq!(municipality(&[], text).unwrap().value, "Kumla");
        assert_eq!(county("Alvesta").as_deref(), Some("Kronobergs län"));
    }
}
