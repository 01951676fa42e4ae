//! Dropping the templates' indentation from rendered pages.
//!
//! Templates are indented to be read; the browser collapses a newline and the spaces after it
//! to one space, exactly as it does a newline alone. At 2,000 audits the indentation was
//! 3.5 MB of the site (a run of white space after each of 728,000 newlines), so each page
//! keeps its line breaks and loses what follows them, except inside the elements whose white
//! space is kept or is not HTML's: `pre`, `textarea`, `script` and `style`.

/// The elements whose content is copied as it is.
const RAW: [&[u8]; 4] = [b"pre", b"textarea", b"script", b"style"];

/// `html` with every run of white space that starts with a newline cut to that newline,
/// outside the [`RAW`] elements. Done in place: the page only gets shorter. The bytes between
/// newlines and tags are moved in runs (found with memchr): a byte at a time, this was 2 % of
/// a build's CPU.
pub fn strip_indentation(mut html: Vec<u8>) -> Vec<u8> {
    let (mut read, mut write) = (0, 0);
    while let Some(at) = memchr::memchr2(b'\n', b'<', &html[read..]) {
        let found = html[read + at];
        // Everything up to and including the newline or `<` is kept.
        keep(&mut html, &mut read, &mut write, at + 1);
        if found == b'\n' {
            let blank = html[read..]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(html.len() - read);
            read += blank;
        } else {
            // A tag is copied whole: its attribute values keep their white space.
            let rest = &html[read..];
            let end = raw_end(rest).unwrap_or_else(|| tag_end(rest));
            keep(&mut html, &mut read, &mut write, end);
        }
    }
    let tail = html.len() - read;
    keep(&mut html, &mut read, &mut write, tail);
    html.truncate(write);
    html
}

/// Moves the next `n` bytes at `read` to `write` and advances both.
fn keep(html: &mut [u8], read: &mut usize, write: &mut usize, n: usize) {
    if read != write {
        html.copy_within(*read..*read + n, *write);
    }
    *read += n;
    *write += n;
}

/// How many bytes of `rest` (what follows a `<`) the tag takes, up to its `>` outside quoted
/// attribute values; none when `rest` does not start a tag's name.
fn tag_end(rest: &[u8]) -> usize {
    if !rest
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
    {
        return 0;
    }
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b'>', b'"', b'\'', &rest[from..]) {
        let at = from + at;
        if rest[at] == b'>' {
            return at;
        }
        // A quoted value runs to the same quote again.
        match memchr::memchr(rest[at], &rest[at + 1..]) {
            Some(len) => from = at + 1 + len + 1,
            None => break,
        }
    }
    rest.len()
}

/// When `rest` (what follows a `<`) opens a [`RAW`] element: how many bytes reach the start
/// of its end tag (or the end of the page when it has none).
fn raw_end(rest: &[u8]) -> Option<usize> {
    let name = RAW.iter().find(|name| {
        rest.len() > name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && matches!(rest[name.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
    })?;
    let close = rest
        .windows(name.len() + 2)
        .position(|w| w[..2] == *b"</" && w[2..].eq_ignore_ascii_case(name));
    Some(close.unwrap_or(rest.len()))
}

#[cfg(test)]
mod tests {
    use super::strip_indentation;

    fn strip(html: &str) -> String {
        String::from_utf8(strip_indentation(html.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn indentation_and_blank_lines_go() {
        assert_eq!(
            strip("<ul>\n  <li>a</li>\n\n    <li>b</li>\n</ul>\n"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
        assert_eq!(strip("a \n\t b"), "a \nb");
    }

    #[test]
    fn white_space_inside_words_and_lines_stays() {
        assert_eq!(strip("<p>a  b</p>   <p>c</p>"), "<p>a  b</p>   <p>c</p>");
    }

    #[test]
    fn raw_elements_are_copied_whole() {
        let pre = "<pre><code>fn main() {\n    x();\n}\n</code></pre>\n  <p>x</p>";
        assert_eq!(
            strip(pre),
            "<pre><code>fn main() {\n    x();\n}\n</code></pre>\n<p>x</p>"
        );
        let script = "<script type=\"application/ld+json\">\n  {\"a\": `\n  b`}\n</script>\n  <i>";
        assert_eq!(
            strip(script),
            "<script type=\"application/ld+json\">\n  {\"a\": `\n  b`}\n</script>\n<i>"
        );
        assert_eq!(strip("<PRE>\n  x</PRE>\n  y"), "<PRE>\n  x</PRE>\ny");
        assert_eq!(
            strip("<textarea>\n  a\n</textarea>\n <style>\n  p{}\n</style>"),
            "<textarea>\n  a\n</textarea>\n<style>\n  p{}\n</style>"
        );
    }

    #[test]
    fn attribute_values_keep_their_white_space() {
        assert_eq!(
            strip("<p title=\"a\n  b\" data-x='>\n  c'>\n  d</p>"),
            "<p title=\"a\n  b\" data-x='>\n  c'>\nd</p>"
        );
        assert_eq!(strip("a < b\n  c"), "a < b\nc");
    }

    #[test]
    fn names_that_only_begin_like_raw_elements_are_not_raw() {
        assert_eq!(strip("<prefix>\n  a</prefix>"), "<prefix>\na</prefix>");
        assert_eq!(strip("<p>\n  a</p>"), "<p>\na</p>");
    }

    #[test]
    fn an_unclosed_raw_element_keeps_the_rest_of_the_page() {
        assert_eq!(strip("<pre>\n  a\n  b"), "<pre>\n  a\n  b");
        assert_eq!(strip("\n  <pre"), "\n<pre");
    }

    /// The byte-at-a-time definition the runs must agree with.
    fn one_byte_at_a_time(html: &[u8]) -> Vec<u8> {
        let (mut out, mut read) = (Vec::new(), 0);
        while read < html.len() {
            let b = html[read];
            out.push(b);
            read += 1;
            if b == b'\n' {
                while read < html.len() && matches!(html[read], b' ' | b'\t' | b'\n' | b'\r') {
                    read += 1;
                }
            } else if b == b'<' {
                let rest = &html[read..];
                let end = super::raw_end(rest).unwrap_or_else(|| tag_end(rest));
                out.extend_from_slice(&rest[..end]);
                read += end;
            }
        }
        out
    }

    /// The tag's end, a byte at a time (what [`super::tag_end`] finds with memchr).
    fn tag_end(rest: &[u8]) -> usize {
        if !rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
        {
            return 0;
        }
        let mut quote = None;
        for (i, &b) in rest.iter().enumerate() {
            match (quote, b) {
                (None, b'"' | b'\'') => quote = Some(b),
                (Some(q), _) if q == b => quote = None,
                (None, b'>') => return i,
                _ => {}
            }
        }
        rest.len()
    }

    proptest::proptest! {
        #[test]
        fn runs_agree_with_the_byte_at_a_time_definition(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "\n", "  ", "\t", "\r", "a", "<", ">", "<p>", "</p>", "<pre>", "</pre>",
                "<script>", "</script>", "<i title=\"", "\"", "'", "<b data-x='", "/>",
            ]), 0..40)
        ) {
            let html = parts.concat();
            proptest::prop_assert_eq!(
                super::strip_indentation(html.as_bytes().to_vec()),
                one_byte_at_a_time(html.as_bytes())
            );
        }
    }
}
