//! Dates as reports write them: `2020-11-25`, `6 februari 2017`, `den 7 november 2008`; the
//! report's date from its cover or its signature, and the date a response is asked for.

use super::blocks::Block;
use super::guess::Guess;
use crate::date::Date;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The first date in `line` and the text after it.
pub fn date_in(line: &str) -> Option<(Date, &str)> {
    let bytes = line.as_bytes();
    for (i, _) in line.char_indices() {
        let rest = &line[i..];
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        if let Some(found) = iso(rest).or_else(|| written(rest)) {
            return Some(found);
        }
    }
    None
}

/// `2020-11-25`.
fn iso(s: &str) -> Option<(Date, &str)> {
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' || s[10..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let date: Date = head.parse().ok()?;
    Some((date, &s[10..]))
}

/// `6 februari 2017`.
fn written(s: &str) -> Option<(Date, &str)> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let day: u8 = s[..digits].parse().ok()?;
    let rest = s[digits..].strip_prefix(' ')?;
    let lower = rest.to_lowercase();
    let month = MONTHS.iter().position(|m| lower.starts_with(m))?;
    let rest = rest[MONTHS[month].len()..].strip_prefix(' ')?;
    if rest.len() < 4 || !rest[..4].chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = rest[..4].parse().ok()?;
    let date = Date::new(year, month as u8 + 1, day).ok()?;
    Some((date, &rest[4..]))
}

/// The report's date: a date alone on a line of the cover, else the date of the signature
/// (`Göteborg den 7 november 2008`, a date alone on a line near the end).
pub fn report_date(blocks: &[Block], cover: &[String]) -> Option<Guess<Date>> {
    if let Some(date) = cover
        .iter()
        .rev()
        .filter_map(|l| {
            date_in(l)
                .filter(|(_, rest)| rest.trim().is_empty())
                .map(|(d, _)| d)
        })
        .next()
    {
        return Some(Guess::review(date, "date read from the cover page"));
    }
    let tail = &blocks[blocks.len() * 2 / 3..];
    for block in tail {
        for line in &block.lines {
            let t = line.trim();
            if let Some((date, rest)) = date_in(t) {
                let before = &t[..t.len() - rest.len()];
                let alone = rest.trim().is_empty() && (before.split_whitespace().count() <= 5);
                if alone {
                    return Some(Guess::review(date, "date read from the signature"));
                }
            }
        }
    }
    let first = cover.iter().find_map(|l| date_in(l).map(|(d, _)| d))?;
    Some(Guess::review(
        first,
        "date guessed from a date on the cover page",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_reports_write_them() {
        let d = |s: &str| date_in(s).map(|(d, _)| d.to_string());
        assert_eq!(d("2020-11-25").as_deref(), Some("2020-11-25"));
        assert_eq!(
            d("Göteborg den 7 november 2008").as_deref(),
            Some("2008-11-07")
        );
        assert_eq!(d("6 februari 2017").as_deref(), Some("2017-02-06"));
        assert_eq!(d("svar senast 2021-04-30 på"), Some("2021-04-30".into()));
        assert_eq!(d("Februari 2017"), None);
        assert_eq!(d("12020-11-25"), None);
    }
}
