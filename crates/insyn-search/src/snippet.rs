//! Snippets: the part of a passage that best shows why it matched, with the matching words
//! marked. Written here (not tantivy's generator) so that part matches are marked too and
//! the browser and the command line produce the same text.

use crate::analyzer::{Split, Stemmer, decompound, words};

/// What to mark: stems of query words (and of their compound parts, and the corrections of
/// misspelt ones), and prefixes.
#[derive(Clone, Debug, Default)]
pub struct Highlighter {
    pub stems: Vec<String>,
    pub prefixes: Vec<String>,
}

/// Longest snippet, in characters.
const WINDOW: usize = 240;

impl Highlighter {
    fn matches(
        &self,
        word: &str,
        stem: &str,
        known: &dyn Fn(&str) -> bool,
        stemmer: &Stemmer,
    ) -> bool {
        if self.stems.iter().any(|s| s == stem)
            || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
        {
            return true;
        }
        // A compound whose part was searched for.
        word.chars().count() >= 6
            && decompound(word, known, Split::Fine).is_some_and(|parts| {
                parts.iter().any(|p| {
                    let ps = stemmer.stem(p);
                    self.stems.iter().any(|s| *s == ps)
                })
            })
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// An HTML snippet of `text`: at most [`WINDOW`] characters around the most matches, escaped,
/// matches in `<mark>`, `…` where text was cut.
pub fn snippet(
    text: &str,
    h: &Highlighter,
    stemmer: &Stemmer,
    known: &dyn Fn(&str) -> bool,
) -> String {
    let ws = words(text);
    let marked: Vec<(usize, usize, String)> = ws
        .iter()
        .filter_map(|w| {
            let stem = stemmer.stem(&w.text);
            (!w.stop && h.matches(&w.text, &stem, known, stemmer))
                .then(|| (w.start, w.end, stem.into_owned()))
        })
        .collect();
    let (start, end) = window(text, &marked);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &(s, e, _) in marked.iter().filter(|(s, e, _)| *s >= start && *e <= end) {
        escape(&text[at..s], &mut out);
        out.push_str("<mark>");
        escape(&text[s..e], &mut out);
        out.push_str("</mark>");
        at = e;
    }
    escape(&text[at..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The byte range of the window with the most different matched words (then the most
/// matches), cut at spaces.
fn window(text: &str, marked: &[(usize, usize, String)]) -> (usize, usize) {
    if text.chars().count() <= WINDOW {
        return (0, text.len());
    }
    let bytes_for = |from: usize| {
        text[from..]
            .char_indices()
            .nth(WINDOW)
            .map_or(text.len(), |(i, _)| from + i)
    };
    // Start a little before the first mark of the densest run of marks.
    let mut best = (0usize, (0usize, 0usize));
    for (i, (s, _, _)) in marked.iter().enumerate() {
        let limit = bytes_for(*s);
        let inside: Vec<&String> = marked[i..]
            .iter()
            .take_while(|(_, e, _)| *e <= limit)
            .map(|(_, _, k)| k)
            .collect();
        let mut distinct = inside.clone();
        distinct.sort();
        distinct.dedup();
        let score = (distinct.len(), inside.len());
        if score > best.1 {
            best = (*s, score);
        }
    }
    let anchor = best.0;
    let lead = text[..anchor]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(i, _)| i);
    let start = if anchor == 0 || lead == 0 {
        0
    } else {
        text[lead..anchor].find(' ').map_or(lead, |i| lead + i + 1)
    };
    let end = bytes_for(start);
    let end = if end >= text.len() {
        text.len()
    } else {
        text[start..end].rfind(' ').map_or(end, |i| start + i)
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_stems_and_escapes() {
        let s = Stemmer::default();
        let h = Highlighter {
            stems: vec![s.stem("rekommendation").into_owned()],
            ..Highlighter::default()
        };
        let out = snippet("Våra <rekommendationer> & mer", &h, &s, &|_| false);
        assert_eq!(out, "Våra &lt;<mark>rekommendationer</mark>&gt; &amp; mer");
    }

    #[test]
    fn long_texts_are_cut_around_matches() {
        let s = Stemmer::default();
        let h = Highlighter {
            stems: vec!["policy".into()],
            ..Highlighter::default()
        };
        let text = format!(
            "{} en policy saknas. {}",
            "början ".repeat(60),
            "slut ".repeat(60)
        );
        let out = snippet(&text, &h, &s, &|_| false);
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>policy</mark>"));
        assert!(
            out.chars().count() <= WINDOW + 30,
            "{}",
            out.chars().count()
        );
    }
}
