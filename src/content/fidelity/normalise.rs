//! Normalisation: an audit's text and the extracted text of its report brought to one form,
//! so that what still differs is a difference in words, not in how a PDF extraction or a
//! Markdown file happens to write them.
//!
//! Both sides get Unicode NFC, one space for each run of white space, one quote mark for
//! every kind of quote mark (`” “ " „ ' ’`), one dash for every kind of dash (`– — -`),
//! ligatures spelled out (`ﬁ` → `fi`), asterisks and zero-width characters dropped, and an
//! [`OPTIONAL_HYPHEN`] where a word may be hyphenated: a soft hyphen, or a hyphen that ends a
//! line before a letter. The extracted text (`Mode::Source`) also loses the light markup
//! extractions write (`#` headings, `<b>`, `[text](url)`, list bullets), and keeps where
//! its blocks end ([`BREAK`]: a blank line, a tab between table cells, a new list item).
//!
//! Every byte of the result remembers the byte of the input it comes from, so a sentence
//! found (or not found) can be reported at its line.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_normalizer::properties::CanonicalCombiningClassMapBorrowed;

/// Where a word may or may not be hyphenated: a soft hyphen, or a hyphen at the end of a
/// line followed by a letter. The extraction cannot tell `kom-⏎munen` (the word
/// `kommunen` broken at the end of a line) from `IT-⏎strategi` (the word `IT-strategi`), so
/// the matcher reads it as no hyphen, a hyphen, or a hyphen and a space.
pub const OPTIONAL_HYPHEN: char = '\u{ad}';

/// The end of a block of the extracted text, where a sentence cannot run on (a blank line,
/// a tab between table cells, the start of a list item). The matcher reads it as a space.
pub const BREAK: char = '\n';

/// Which side of the comparison a text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Text taken from Markdown events: markup is already gone.
    Content,
    /// An extracted report (or a passage quoted from one): extraction markup is removed and
    /// block ends are kept.
    Source,
}

/// Normalised text and, for each of its bytes, the input byte it comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalised {
    pub text: String,
    origin: Vec<u32>,
}

impl Normalised {
    /// The input byte that byte `at` of the normalised text comes from (the input's end for
    /// the text's end).
    pub fn origin(&self, at: usize) -> usize {
        match self.origin.get(at) {
            Some(&o) => o as usize,
            None => self.origin.last().map_or(0, |&o| o as usize + 1),
        }
    }

    /// The range of normalised bytes that come from input bytes `range`.
    pub fn range_of_input(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin.partition_point(|&o| (o as usize) < range.start);
        let end = self.origin.partition_point(|&o| (o as usize) < range.end);
        start..end
    }

    /// The text without the byte ranges `cuts` (sorted, not overlapping), white space at
    /// each seam collapsed again; origins are kept.
    pub fn without(&self, cuts: &[std::ops::Range<usize>]) -> Normalised {
        let mut out = Builder::with_capacity(self.text.len());
        let mut at = 0;
        for cut in cuts
            .iter()
            .chain(std::iter::once(&(self.text.len()..self.text.len())))
        {
            for (i, c) in self.text[at..cut.start.max(at)].char_indices() {
                let origin = self.origin[at + i];
                match c {
                    ' ' => out.space(false, origin),
                    BREAK => out.space(true, origin),
                    c => out.push(c, origin),
                }
            }
            at = at.max(cut.end);
        }
        out.finish()
    }
}

/// Normalises `text` for comparison.
pub fn normalise(text: &str, mode: Mode) -> Normalised {
    let mut chars = nfc_chars(text);
    if mode == Mode::Source {
        chars = strip_markup(&chars);
    }
    let mut out = Builder::with_capacity(text.len());
    let mut i = 0;
    while let Some(&(c, origin)) = chars.get(i) {
        i += 1;
        if is_hyphen(c) && out.after_letter() {
            if let Some(next) = line_break_then_letter(&chars, i) {
                out.push(OPTIONAL_HYPHEN, origin);
                i = next;
                continue;
            }
        }
        match c {
            PARAGRAPH => out.space(true, origin),
            c if c.is_whitespace() => out.space(false, origin),
            '*' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c => match fold(c) {
                Folded::One(f) => out.push(f, origin),
                Folded::Many(s) => s.chars().for_each(|f| out.push(f, origin)),
            },
        }
    }
    out.finish()
}

/// A block end inside the character stream, before white space is collapsed.
const PARAGRAPH: char = '\u{2029}';

/// What one character is compared as.
enum Folded {
    One(char),
    Many(&'static str),
}

fn fold(c: char) -> Folded {
    match c {
        '"' | '\'' | '“' | '”' | '„' | '‟' | '‘' | '’' | '‚' | '‛' | '«' | '»' | '‹' | '›' => {
            Folded::One('"')
        }
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => Folded::One('-'),
        '\u{ad}' => Folded::One(OPTIONAL_HYPHEN),
        'ﬀ' => Folded::Many("ff"),
        'ﬁ' => Folded::Many("fi"),
        'ﬂ' => Folded::Many("fl"),
        'ﬃ' => Folded::Many("ffi"),
        'ﬄ' => Folded::Many("ffl"),
        'ﬅ' | 'ﬆ' => Folded::Many("st"),
        c => Folded::One(c),
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐')
}

/// When `chars[i..]` is spaces, one line break, white space and then a letter: the index of
/// that letter (a hyphen before it is a hyphenation).
fn line_break_then_letter(chars: &[(char, u32)], mut i: usize) -> Option<usize> {
    while chars.get(i).is_some_and(|&(c, _)| c == ' ' || c == '\t') {
        i += 1;
    }
    if chars.get(i)?.0 != '\n' {
        return None;
    }
    i += 1;
    while chars
        .get(i)
        .is_some_and(|&(c, _)| c.is_whitespace() && c != '\n' && c != PARAGRAPH)
    {
        i += 1;
    }
    chars.get(i).filter(|(c, _)| c.is_alphabetic()).map(|_| i)
}

/// The characters of `text` in NFC, each with the byte offset of the input it comes from.
///
/// Text that is already NFC (nearly all) is taken as it is; otherwise each starter is
/// composed with the combining marks that follow it, so every character keeps an origin.
fn nfc_chars(text: &str) -> Vec<(char, u32)> {
    let nfc = ComposingNormalizerBorrowed::new_nfc();
    if nfc.is_normalized(text) {
        return text.char_indices().map(|(i, c)| (c, i as u32)).collect();
    }
    let ccc = CanonicalCombiningClassMapBorrowed::new();
    let starts: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| ccc.get_u8(c) == 0)
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::with_capacity(text.len());
    let mut bounds = starts.clone();
    bounds.push(text.len());
    if starts.first() != Some(&0) {
        bounds.insert(0, 0);
    }
    for pair in bounds.windows(2) {
        let chunk = &text[pair[0]..pair[1]];
        out.extend(nfc.normalize(chunk).chars().map(|c| (c, pair[0] as u32)));
    }
    out
}

/// The extraction's markup removed, line by line: heading hashes, list bullets (a block
/// end instead), HTML tags and link targets; blank lines and tabs become block ends.
fn strip_markup(chars: &[(char, u32)]) -> Vec<(char, u32)> {
    let mut out = Vec::with_capacity(chars.len());
    let mut start = 0;
    for (k, line) in chars.split(|&(c, _)| c == '\n').enumerate() {
        // The line break before this line ends where the line starts.
        if k > 0 {
            out.push(('\n', start));
            start += 1;
        }
        let text: String = line.iter().map(|&(c, _)| c).collect();
        let trimmed = text.trim_start();
        let skip = line.len() - trimmed.chars().count();
        let (marker, block) = line_marker(trimmed);
        if trimmed.trim_end().is_empty() || block || text.starts_with('\t') {
            out.push((PARAGRAPH, start));
        }
        strip_inline(&line[skip + marker..], &mut out);
        start = line.last().map_or(start, |&(c, o)| o + c.len_utf8() as u32);
    }
    out
}

/// The number of characters of markup that starts a (left-trimmed) line, and whether the
/// line starts a block of its own: a heading (`## `), a list item (`- `, `1. `; the number
/// is kept, as the report shows it) or a footnote (`*) `, `**) `: the marker goes, as the
/// audit's footnotes number themselves).
fn line_marker(line: &str) -> (usize, bool) {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        return (hashes + 1, true);
    }
    for bullet in ["- ", "• ", "* ", "– "] {
        if line.starts_with(bullet) {
            return (2, true);
        }
    }
    let stars = line.chars().take_while(|&c| c == '*').count();
    if stars <= 3 && line[stars..].starts_with(") ") {
        return (stars + 2, true);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = (1..=3).contains(&digits)
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "));
    (0, numbered)
}

/// One line's characters without HTML tags (`<b>`, `</b>`) and link targets (`[t](url)` →
/// `t`); tabs become block ends.
fn strip_inline(line: &[(char, u32)], out: &mut Vec<(char, u32)>) {
    let mut i = 0;
    while let Some(&(c, origin)) = line.get(i) {
        if c == '<'
            && let Some(len) = tag_len(&line[i..])
        {
            i += len;
            continue;
        }
        if c == ']'
            && let Some(len) = link_target_len(&line[i..])
        {
            i += len;
            continue;
        }
        match c {
            '\t' => out.push((PARAGRAPH, origin)),
            // The opening bracket of a link whose target follows later on the line.
            '[' if closes_as_link(&line[i..]) => {}
            c => out.push((c, origin)),
        }
        i += 1;
    }
}

/// A line of a source text without the extraction markup its normalisation drops (HTML tags
/// such as `<b>`, links' targets), by the same rules: what `insyn import` writes into a body
/// that must read as its source text. Tabs stay tabs.
pub fn strip_extraction_markup(line: &str) -> String {
    let chars: Vec<(char, u32)> = line.chars().map(|c| (c, 0)).collect();
    let mut out = Vec::with_capacity(chars.len());
    strip_inline(&chars, &mut out);
    out.into_iter()
        .map(|(c, _)| if c == PARAGRAPH { '\t' } else { c })
        .collect()
}

/// The length of an HTML tag such as `<b>`, `</b>` or `<br/>` at the start of `s`.
fn tag_len(s: &[(char, u32)]) -> Option<usize> {
    let end = s.iter().take(16).position(|&(c, _)| c == '>')?;
    let inner: String = s[1..end].iter().map(|&(c, _)| c).collect();
    let name = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let is_tag = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic());
    is_tag.then_some(end + 1)
}

/// The length of `](target)` at the start of `s`.
fn link_target_len(s: &[(char, u32)]) -> Option<usize> {
    if s.get(1)?.0 != '(' {
        return None;
    }
    let close = s.iter().position(|&(c, _)| c == ')')?;
    let target: String = s[2..close].iter().map(|&(c, _)| c).collect();
    let is_url = !target.contains(char::is_whitespace) && target.contains(':');
    is_url.then_some(close + 1)
}

/// Whether the `[` at the start of `s` opens a Markdown link (a `](target)` follows).
fn closes_as_link(s: &[(char, u32)]) -> bool {
    s.iter()
        .position(|&(c, _)| c == ']')
        .is_some_and(|close| link_target_len(&s[close..]).is_some())
}

/// Builds normalised text: white space collapsed as it comes, origins recorded.
struct Builder {
    text: String,
    origin: Vec<u32>,
    /// White space seen since the last character (a block end or not), and where it began.
    pending: Option<(bool, u32)>,
}

impl Builder {
    fn with_capacity(n: usize) -> Builder {
        Builder {
            text: String::with_capacity(n),
            origin: Vec::with_capacity(n),
            pending: None,
        }
    }

    fn space(&mut self, block: bool, origin: u32) {
        self.pending = match self.pending {
            Some((was, first)) => Some((was || block, first)),
            None => Some((block, origin)),
        };
    }

    fn push(&mut self, c: char, origin: u32) {
        if let Some((block, at)) = self.pending.take()
            && !self.text.is_empty()
        {
            self.put(if block { BREAK } else { ' ' }, at);
        }
        self.put(c, origin);
    }

    fn put(&mut self, c: char, origin: u32) {
        self.text.push(c);
        self.origin
            .extend(std::iter::repeat_n(origin, c.len_utf8()));
    }

    fn after_letter(&self) -> bool {
        self.pending.is_none()
            && self
                .text
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
    }

    fn finish(self) -> Normalised {
        Normalised {
            text: self.text,
            origin: self.origin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(text: &str) -> String {
        normalise(text, Mode::Content).text
    }

    fn source(text: &str) -> String {
        normalise(text, Mode::Source).text
    }

    #[test]
    fn white_space_runs_become_one_space() {
        assert_eq!(
            content("  ett \t två\n\ntre\u{a0}fyra  "),
            "ett två tre fyra"
        );
    }

    #[test]
    fn quote_marks_and_dashes_are_one_each() {
        assert_eq!(
            content("”a” “b” \"c\" „d“ 'e' ’f’"),
            content("\"a\" \"b\" \"c\" \"d\" \"e\" \"f\"")
        );
        assert_eq!(
            content("IT – drift — och - 2020–2025"),
            "IT - drift - och - 2020-2025"
        );
    }

    #[test]
    fn nfc_composes_and_keeps_origins() {
        // `a` + combining ring above is `å`; `o` + combining diaeresis is `ö`.
        let decomposed = "Ko\u{308}ping a\u{30a}r";
        let n = normalise(decomposed, Mode::Content);
        assert_eq!(n.text, "Köping år");
        let at = n.text.find('p').unwrap();
        assert_eq!(&decomposed[n.origin(at)..n.origin(at) + 1], "p");
    }

    #[test]
    fn soft_hyphens_and_line_end_hyphens_are_optional_hyphens() {
        assert_eq!(content("kom\u{ad}munen"), "kom\u{ad}munen");
        assert_eq!(source("kom-\nmunen"), "kom\u{ad}munen");
        assert_eq!(source("IT-  \n  strategi"), "IT\u{ad}strategi");
        // Not a hyphenation: a dash after a space, or before a digit or a new block.
        assert_eq!(source("IT -\ndrift"), "IT - drift");
        assert_eq!(source("2020-\n2025"), "2020- 2025");
        assert_eq!(source("verksamhets-\n\noch"), "verksamhets-\noch");
    }

    #[test]
    fn ligatures_are_spelled_out_and_asterisks_dropped() {
        assert_eq!(content("e\u{fb00}ektiv \u{fb01}nns"), "effektiv finns");
        assert_eq!(
            content("IT-verksamheten* och ITIL**"),
            "IT-verksamheten och ITIL"
        );
    }

    #[test]
    fn extraction_markup_is_removed_and_blocks_kept() {
        assert_eq!(
            source("## 1. Sammanfattning\n\nText här."),
            "1. Sammanfattning\nText här."
        );
        assert_eq!(source("<b>Analys</b> - IT\t<b>2</b>"), "Analys - IT\n2");
        assert_eq!(
            source("visar att:\n- Det saknas\n- Kommunen"),
            "visar att:\nDet saknas\nKommunen"
        );
        assert_eq!(
            source("Se [informationssakerhet.se](http://informationssakerhet.se), en sida."),
            "Se informationssakerhet.se, en sida."
        );
        assert_eq!(source("a < b och [x] > y"), "a < b och [x] > y");
        assert_eq!(source("Text\n1. Ett\n2. Två"), "Text\n1. Ett\n2. Två");
        assert_eq!(
            source("Text.\n**) Med IT avses\n) Fotnot"),
            "Text.\nMed IT avses\nFotnot"
        );
    }

    #[test]
    fn cuts_join_the_text_around_them() {
        let n = normalise("ansvar i\n2020-11-25\nkommunens", Mode::Source);
        // The line and its line end.
        let cut = n.range_of_input(9..20);
        assert_eq!(&n.text[cut.clone()], "2020-11-25 ");
        let joined = n.without(&[cut]);
        assert_eq!(joined.text, "ansvar i kommunens");
        let k = joined.text.find('k').unwrap();
        assert_eq!(joined.origin(k), 20);
    }
}
