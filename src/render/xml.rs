//! Escaping for XML text and attributes: the escape function of the built-in XML templates
//! ([`super::documents`]), and of the HTML Rust writes itself.

use std::io::Write;

/// `s` with `& < > " '` escaped, and characters XML 1.0 forbids dropped.
pub fn escape(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape_to(s, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// [`escape`] into `out`: tera's escape function for `.xml` and `.rdf` templates (its own,
/// for HTML, also escapes `/`, which would change every URL's bytes).
pub fn escape_to(s: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let replacement: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            '\'' => b"&apos;",
            '\t' | '\n' | '\r' => continue,
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => b"",
            _ => continue,
        };
        // Runs of plain text go out whole.
        out.write_all(&s.as_bytes()[plain..i])?;
        out.write_all(replacement)?;
        plain = i + c.len_utf8();
    }
    out.write_all(&s.as_bytes()[plain..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            super::escape("a<b & \"c\"\u{0}\u{7}'\u{fffe}\té/"),
            "a&lt;b &amp; &quot;c&quot;&apos;\té/"
        );
    }
}
