//! The audit firm: the firms Swedish municipal audit reports are signed by, found by the
//! names they write on covers and signatures, and matched to the site's `[auditors]`.

use super::guess::Guess;
use crate::config::Config;

/// Firms and the names that show them, the most specific first.
const FIRMS: &[(&str, &[&str])] = &[
    ("PwC", &["PricewaterhouseCoopers", "PwC", "pwc"]),
    ("KPMG", &["KPMG"]),
    ("EY", &["Ernst & Young", "EY"]),
    ("Deloitte", &["Deloitte"]),
    ("Grant Thornton", &["Grant Thornton"]),
    ("BDO", &["BDO"]),
    ("Skandia", &["Skandia"]),
];

/// A firm found in the text: its short name and the name the report gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firm {
    pub name: &'static str,
    pub written: &'static str,
}

/// Whether `needle` occurs in `hay` as a word.
fn word_in(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().last();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The firm named on the cover, else the one named most in the text.
pub fn firm(cover: &[String], text: &str) -> Option<Guess<Firm>> {
    let cover = cover.join("\n");
    let found_in = |hay: &str| {
        FIRMS.iter().find_map(|(name, names)| {
            names
                .iter()
                .find(|n| word_in(hay, n))
                .map(|written| Firm { name, written })
        })
    };
    if let Some(firm) = found_in(&cover) {
        return Some(Guess::review(firm, "audit firm read from the cover page"));
    }
    // A name broken over two lines is still a name.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = flat.as_str();
    let best = FIRMS
        .iter()
        .filter_map(|(name, names)| {
            let (written, count) = names
                .iter()
                .map(|n| (*n, text.matches(n).filter(|_| word_in(text, n)).count()))
                .max_by_key(|(_, c)| *c)?;
            (count > 0).then_some((Firm { name, written }, count))
        })
        .max_by_key(|(_, c)| *c)?;
    Some(Guess::review(
        best.0,
        format!("audit firm guessed from the text ({} mentions)", best.1),
    ))
}

/// The site's key of a firm, by its name or the name the report gives it.
pub fn key(config: &Config, firm: &Firm) -> Option<String> {
    config
        .resolve_auditor(firm.written)
        .or_else(|| config.resolve_auditor(firm.name))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firms_by_their_names() {
        let f = |cover: &[&str], text: &str| {
            let cover: Vec<String> = cover.iter().map(|s| s.to_string()).collect();
            firm(&cover, text).map(|g| g.value.name)
        };
        assert_eq!(f(&["www.pwc.com/se", "pwc"], ""), Some("PwC"));
        assert_eq!(f(&["KPMG AB"], ""), Some("KPMG"));
        assert_eq!(f(&[], "har Ernst & Young under oktober"), Some("EY"));
        assert_eq!(f(&[], "BEYOND"), None);
    }
}
