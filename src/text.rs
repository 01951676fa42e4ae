//! Swedish-aware text helpers: URL slugs and collation keys.

/// A URL slug that keeps Swedish readable: `Jönköping` → `jonkoping`, `IT-säkerhet` → `it-sakerhet`.
///
/// Only `a-z`, `0-9` and single hyphens survive, so a slug can never climb out of a folder
/// (`../`), hide a file (`.x`) or carry markup.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        let folded = fold_char(c);
        for f in folded.chars() {
            let f = f.to_ascii_lowercase();
            if f.is_ascii_alphanumeric() {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(f);
            } else {
                pending_hyphen = true;
            }
        }
    }
    out
}

/// A municipality's slug, its address under `/kommun/`: [`slugify`], except for the one name
/// among Sweden's 290 municipalities whose slug would be another's (`Håbo` and `Habo` both
/// fold to `habo`): there the letter keeps its Swedish transcription (`haabo`), so that a
/// national collection can hold both, whichever came first, and neither's address changes
/// when the other arrives.
pub fn municipality_slug(name: &str) -> String {
    let name = name.trim();
    if TRANSCRIBED
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let long: String = name
            .chars()
            .map(|c| match c {
                'å' | 'Å' => "aa".to_string(),
                'ä' | 'Ä' => "ae".to_string(),
                'ö' | 'Ö' => "oe".to_string(),
                c => c.to_string(),
            })
            .collect();
        return slugify(&long);
    }
    slugify(name)
}

/// Municipality names whose plain slug another municipality has (checked against the
/// built-in list by `import::municipalities`' tests).
const TRANSCRIBED: &[&str] = &["Håbo"];

/// Is `s` already a valid slug (what [`slugify`] would produce for it)?
pub fn is_slug(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

fn fold_char(c: char) -> std::borrow::Cow<'static, str> {
    match c {
        'å' | 'ä' | 'Å' | 'Ä' => "a".into(),
        'ö' | 'Ö' | 'ø' | 'Ø' => "o".into(),
        c if c.is_ascii() => c.to_string().into(),
        c => deunicode::deunicode_char(c)
            .unwrap_or("-")
            .to_string()
            .into(),
    }
}

/// A key that sorts text the Swedish way: case-insensitive, `å ä ö` after `z`, other accents
/// with their base letter (`é` with `e`), `ü` with `y` as SAOL does.
pub fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'å' => key.push('{'),
            'ä' | 'æ' => key.push('|'),
            'ö' | 'ø' => key.push('}'),
            'ü' => key.push('y'),
            c if c.is_ascii() => key.push(c),
            c => key.push_str(deunicode::deunicode_char(c).unwrap_or("")),
        }
    }
    key
}

/// Collapses runs of white space to one space and trims the ends.
pub fn squash_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    // Byte by byte where the text is ASCII (most of it): every passage of a site comes
    // through here, and `split_whitespace` decodes each character.
    while let Some(&b) = text.as_bytes().get(i) {
        let (space, len) = if b.is_ascii() {
            (matches!(b, b' ' | b'\t'..=b'\r'), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('x');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, word) {
            (true, Some(start)) => {
                push_word(&mut out, &text[start..i]);
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        push_word(&mut out, &text[start..]);
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// The first `max_chars` characters of `text`, cut at a word boundary, with `…` when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(pos) if pos > max_chars / 2 => &cut[..pos],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// FNV-1a, 64 bits: the hash of cache-busting names (shared with the search index's).
pub use insyn_search::bundle::fnv1a64;

/// `text` for a terminal: control characters (ESC, OSC, BEL, C1 …) written as `\u{1b}`, so
/// content cannot move the cursor, retitle the window or hide text. Line ends and tabs stay.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
    if !text.contains(is_bad) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if is_bad(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// `text` with each control character (other than line ends and tabs) shown as one visible
/// character (`␛` for ESC), so that columns counted in characters still line up.
pub fn picture_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
    if !text.contains(is_bad) {
        return text.into();
    }
    text.chars()
        .map(|c| match u32::from(c) {
            n @ 0..=0x1f if is_bad(c) => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
            0x7f => '\u{2421}',
            _ if is_bad(c) => '\u{fffd}',
            _ => c,
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_squashed_as_split_whitespace_does() {
        for text in [
            "",
            "   ",
            "ett",
            "  ett  två\t\ttre\n",
            "a\u{a0}b\u{2003}\u{3000}c\u{b}d\u{1c}e",
            "åäö\r\n  ÅÄÖ é",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squash_whitespace(text), expected, "{text:?}");
        }
    }

    #[test]
    fn slugs_keep_swedish_readable() {
        assert_eq!(slugify("Jönköping"), "jonkoping");
        assert_eq!(slugify("Kungsörs kommun"), "kungsors-kommun");
        assert_eq!(slugify("  IT-säkerhet & Drift "), "it-sakerhet-drift");
        assert_eq!(slugify("Älvsbyn"), "alvsbyn");
        assert_eq!(slugify("Malmö/../etc"), "malmo-etc");
        assert_eq!(slugify("Café"), "cafe");
        assert_eq!(slugify("../../"), "");
    }

    #[test]
    fn swedish_collation() {
        let mut names = vec!["Örebro", "Alvesta", "Ängelholm", "Åre", "Zinkgruvan", "eda"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            ["Alvesta", "eda", "Zinkgruvan", "Åre", "Ängelholm", "Örebro"]
        );
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("kort", 10), "kort");
        assert_eq!(
            excerpt("Det saknas en funktion inom kommunen", 20),
            "Det saknas en…"
        );
    }

    #[test]
    fn control_characters_are_shown_not_run() {
        let osc = "a\u{1b}]0;x\u{7}b\u{9b}c\n\td";
        assert_eq!(escape_controls(osc), "a\\u{1b}]0;x\\u{7}b\\u{9b}c\n\td");
        assert_eq!(
            picture_controls(osc),
            "a\u{241b}]0;x\u{2407}b\u{fffd}c\n\td"
        );
        assert_eq!(picture_controls(osc).chars().count(), osc.chars().count());
        assert!(matches!(
            escape_controls("Åre"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
