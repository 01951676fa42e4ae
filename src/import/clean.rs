//! The clean-up after extraction, in Rust (the post-pass [import.md](../../docs/import.md)
//! measured): accents drawn apart put back on their letters and NFC; running headers,
//! footers and page numbers dropped; words hyphenated at line ends rejoined while real
//! hyphens (`IT-strategi`) are kept; lines grouped into paragraphs with a blank line between.

use std::collections::{HashMap, HashSet};

use icu_normalizer::ComposingNormalizerBorrowed;

use super::layout::{self, Break, Line, Page};

/// NFC, with a spacing diaeresis or ring after a letter (`fo¨r`, as pdf-extract writes
/// overstruck accents) made the combining mark first.
pub fn nfc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_letter = false;
    for c in text.chars() {
        let mark = match c {
            '\u{a8}' if prev_letter => Some('\u{308}'),
            '\u{2da}' if prev_letter => Some('\u{30a}'),
            '\u{b4}' if prev_letter => Some('\u{301}'),
            _ => None,
        };
        out.push(mark.unwrap_or(c));
        prev_letter = c.is_alphabetic();
    }
    ComposingNormalizerBorrowed::new_nfc()
        .normalize(&out)
        .into_owned()
}

/// The cleaned text of a PDF's pages, and the running headers and footers dropped (each
/// once, as first seen).
pub fn pages(pages: &[Page]) -> (String, Vec<String>) {
    let pages: Vec<Page> = pages
        .iter()
        .map(|p| {
            p.iter()
                .map(|l| Line {
                    text: nfc(&l.text).trim_end().to_string(),
                    ..l.clone()
                })
                .filter(|l| !l.text.trim().is_empty())
                .collect()
        })
        .collect();
    let furniture = furniture(&pages);
    let mut body: Vec<(usize, &Line)> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let n = page.len();
        for (i, line) in page.iter().enumerate() {
            let edge = i < EDGE || i + EDGE >= n;
            if edge && page_number(&line.text) {
                continue;
            }
            if edge && furniture.contains(&mask_digits(&line.text)) {
                let line = line.text.trim().to_string();
                if !dropped.contains(&line) {
                    dropped.push(line);
                }
                continue;
            }
            body.push((p, line));
        }
    }
    let breaks = layout::breaks(&body);
    let mut lines: Vec<String> = body
        .iter()
        .map(|(_, l)| l.text.trim().to_string())
        .collect();
    dehyphenate(&mut lines);
    let (lines, breaks): (Vec<String>, Vec<Break>) = lines
        .into_iter()
        .zip(breaks)
        .filter(|(l, _)| !l.is_empty())
        .unzip();
    (paragraphs(&lines, &breaks), dropped)
}

/// Lines this close to a page's top or bottom may be running headers and footers.
const EDGE: usize = 3;

/// A line with its digits as `#`, so `Sida 3` and `Sida 4` are one footer.
fn mask_digits(line: &str) -> String {
    line.trim()
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// `3`, `Sida 3`, `- 3 -`, `3 (12)`, `Sida 3 av 12`.
fn page_number(line: &str) -> bool {
    let masked = mask_digits(line);
    let t = masked.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let t = t
        .strip_prefix("Sida ")
        .or_else(|| t.strip_prefix("sida "))
        .unwrap_or(t);
    !t.is_empty()
        && t.split([' ', '(', ')', '/'])
            .filter(|w| !w.is_empty())
            .all(|w| w.chars().all(|c| c == '#') || w == "av")
}

/// The masked lines at page edges that recur on at least half the pages (two at least).
fn furniture(pages: &[Page]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let n = page.len();
        let edges: HashSet<String> = page
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < EDGE || i + EDGE >= n)
            .map(|(_, l)| mask_digits(&l.text))
            .collect();
        for e in edges {
            *counts.entry(e).or_default() += 1;
        }
    }
    let need = (pages.len() / 2).max(2);
    counts
        .into_iter()
        .filter(|(_, c)| *c >= need)
        .map(|(l, _)| l)
        .collect()
}

/// The word characters: letters, digits and hyphens.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Joins a word broken at a line end (`kom-` / `munen`): as `X-Y` when that is written
/// elsewhere in the text, or `X` ends in a capital or digit (`IT-`); as `XY` when that is
/// written elsewhere or otherwise (Swedish compounds are solid); left alone before `och`,
/// `eller`, `samt` (a suspended compound, `verksamhets- och`). A line all of whose text went
/// up is left empty.
fn dehyphenate(lines: &mut [String]) {
    let words: HashSet<String> = lines
        .iter()
        .flat_map(|l| l.split(|c: char| !word_char(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for i in 0..lines.len().saturating_sub(1) {
        let line = &lines[i];
        let Some(stem) = line.strip_suffix('-') else {
            continue;
        };
        let before = stem.rsplit(|c: char| !word_char(c)).next().unwrap_or("");
        let Some(last) = before.chars().last() else {
            continue;
        };
        if !last.is_alphanumeric() {
            continue;
        }
        let next = &lines[i + 1];
        let tail = next.split(|c: char| !word_char(c)).next().unwrap_or("");
        let Some(first) = tail.chars().next() else {
            continue;
        };
        if !first.is_lowercase() || ["och", "eller", "samt", "resp", "respektive"].contains(&tail) {
            continue;
        }
        let hyphened = format!("{before}-{tail}").to_lowercase();
        let solid = format!("{before}{tail}").to_lowercase();
        let keep_hyphen = if words.contains(&hyphened) {
            true
        } else if words.contains(&solid) {
            false
        } else {
            last.is_uppercase() || last.is_ascii_digit()
        };
        let rest = next[tail.len()..].to_string();
        // The word's punctuation (`munen.`) comes up with it.
        let glue_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (glue, rest) = rest.split_at(glue_end);
        let joined = if keep_hyphen {
            format!("{line}{tail}{glue}")
        } else {
            format!("{stem}{tail}{glue}")
        };
        lines[i] = joined;
        lines[i + 1] = rest.trim_start().to_string();
    }
}

/// Whether a line starts a list item: the bullets the fidelity check's normalisation knows
/// (`- `, `• `, `* `, `– `), or a number.
pub fn bullet(line: &str) -> bool {
    ["• ", "- ", "– ", "* "].iter().any(|b| line.starts_with(b)) || numbered(line)
}

/// `1. Text`, `2) Text`.
pub fn numbered(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && digits < 3
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
        && line[digits + 2..].starts_with(|c: char| c.is_uppercase())
}

/// Lines grouped into paragraphs, with what the lines' places say about breaks (`breaks`,
/// one a line): a list item always starts one; where the places do not tell, so does a
/// heading on a line of its own (`2.1 Syfte`, `Rekommendationer`), and a paragraph ends at a
/// line clearly shorter than the text's full lines.
fn paragraphs(lines: &[String], breaks: &[Break]) -> String {
    let mut widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
    widths.sort_unstable();
    let full = widths
        .get(widths.len() * 9 / 10)
        .copied()
        .unwrap_or(80)
        .max(20);
    let mut out = String::new();
    let mut prev: Option<(bool, bool)> = None;
    for (line, brk) in lines.iter().zip(breaks) {
        let heading = super::blocks::plain_heading(line).is_some();
        if let Some((prev_heading, prev_short)) = prev {
            let new = bullet(line)
                || match brk {
                    Break::Yes => true,
                    Break::No => prev_heading && prev_short,
                    Break::Unknown => heading || prev_short,
                };
            out.push_str(if new { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        // Justified lines vary in length (narrow columns most): a line under 80 % of the full
        // width ends a paragraph when it also ends a sentence or is a heading; one under half
        // of it always does (cover lines, labels).
        let len = line.chars().count();
        let ends = line.ends_with(['.', ':', '?', '!']) || heading;
        prev = Some((heading, len * 2 < full || (len * 10 < full * 8 && ends)));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_drawn_apart_are_put_back() {
        assert_eq!(nfc("fo\u{a8}r fra\u{2da}n o\u{308}"), "för från ö");
    }

    #[test]
    fn line_end_hyphens_are_joined_and_real_ones_kept() {
        let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut text = lines(&[
            "Det gäller kom-",
            "munen. Och IT-",
            "strategin är verksamhets-",
            "och IT-strategin; kommunen",
        ]);
        dehyphenate(&mut text);
        assert_eq!(
            text,
            lines(&[
                "Det gäller kommunen.",
                "Och IT-strategin",
                "är verksamhets-",
                "och IT-strategin; kommunen"
            ])
        );
    }

    #[test]
    fn running_headers_footers_and_page_numbers_go() {
        let words = ["alfa", "beta", "gamma", "delta", "epsilon", "zeta"];
        let page = |n: usize| {
            let body: Vec<String> = (0..8)
                .map(|l| {
                    format!(
                        "{} {} of the body, long enough to be a full line of the text here.",
                        words[(n + l) % 6],
                        words[l % 6]
                    )
                })
                .collect();
            format!(
                "Kungsörs kommun\nFörstudie 2020-11-25\n{}\nSida {n}",
                body.join("\n")
            )
        };
        let pages: Vec<Page> = (1..=4).map(|n| layout::unplaced(&page(n))).collect();
        let (text, dropped) = super::pages(&pages);
        assert_eq!(dropped, ["Kungsörs kommun", "Förstudie 2020-11-25"]);
        assert!(!text.contains("Sida"), "{text}");
        assert!(!text.contains("Kungsörs kommun"), "{text}");
        assert!(text.contains("gamma alfa of the body"), "{text}");
    }

    #[test]
    fn headings_and_list_items_start_paragraphs() {
        let full = "En rad som är lika lång som textens fulla rader, och som slutar utan punkt";
        let lines: Vec<String> = [full, "Rekommendationer", "• Kommunen bör", full, "slut."]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            paragraphs(&lines, &[Break::Unknown; 5]),
            format!("{full}\n\nRekommendationer\n\n• Kommunen bör\n\n{full}\nslut.\n")
        );
    }

    #[test]
    fn page_numbers() {
        for l in ["3", "Sida 3", "- 3 -", "3 (12)", "Sida 3 av 12"] {
            assert!(page_number(l), "{l}");
        }
        for l in ["2 Bakgrund", "Sida", "2020-11-25 text"] {
            assert!(!page_number(l), "{l}");
        }
    }
}
