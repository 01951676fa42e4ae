//! Where a PDF's lines stand on the page, and what that says about paragraphs.
//!
//! A PDF has no blank lines: a paragraph's end shows only as space. Read from the glyphs'
//! positions (pdf-extract's [`OutputDev`](pdf_extract::OutputDev)), each line keeps its
//! baseline, its left and right ends and its font size. Two lines that follow each other in
//! a column are one paragraph when they are one line pitch apart and two when the gap is
//! wider (the space reports put between paragraphs, list items and headings). Where the text
//! moves to the next column or page, the gap says nothing; there the last line tells: in
//! justified text a paragraph goes on when its line reaches the column's right edge.
//! Extractors without positions (`pdftotext`) give lines without a place, and the clean-up
//! falls back on the lines' lengths.

/// One line of a page's text and, when the extractor knows it, where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub place: Option<Place>,
    /// A blank line came before it (in a text extraction, which marks paragraphs so).
    pub blank_before: bool,
}

/// A line's place on its page, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    /// Left and right ends.
    pub x0: f64,
    pub x1: f64,
    /// The baseline, from the page's top.
    pub y: f64,
    /// The font size (of the line's first glyph).
    pub size: f64,
    /// Whether the line reaches its column's right edge; `None` where the page shows no
    /// clear edge (ragged text, a line wider than its neighbours).
    pub full: Option<bool>,
}

/// A page's lines, top to bottom as the PDF draws them.
pub type Page = Vec<Line>;

/// Lines without a place, from an extractor that gives text only; blank lines are kept as
/// [`Line::blank_before`].
pub fn unplaced(text: &str) -> Page {
    let mut page = Page::new();
    let mut blank = false;
    for l in text.lines() {
        if l.trim().is_empty() {
            blank = true;
            continue;
        }
        page.push(Line {
            text: l.to_string(),
            place: None,
            blank_before: std::mem::take(&mut blank),
        });
    }
    page
}

/// Pages of a text extraction split at form feeds (as `pdftotext` writes them), their lines
/// without places; a trailing empty page (after the last form feed) is not one.
pub fn pages_of(text: &str) -> Vec<Page> {
    let mut pages: Vec<&str> = text.split('\u{c}').collect();
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages.into_iter().map(unplaced).collect()
}

/// Whether a paragraph breaks before a line, as far as the lines' places tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    Yes,
    No,
    Unknown,
}

/// For each of the body lines (page number, line), in reading order with page furniture
/// left out: whether a paragraph breaks before it. The first line's is `Unknown`. Lines
/// without places tell by blank lines, where the text has any: a blank line breaks, none
/// does not, except at a page's first line.
pub fn breaks(body: &[(usize, &Line)]) -> Vec<Break> {
    let lines: Vec<(usize, Option<Place>)> = body.iter().map(|(p, l)| (*p, l.place)).collect();
    let lines = &lines[..];
    let blanks = body.iter().any(|(_, l)| l.blank_before);
    let pitches = Pitches::of(lines);
    let pairs = || lines.windows(2).map(|w| (w[0], w[1]));
    let flow_gaps: Vec<Break> = pairs()
        .filter_map(|(a, b)| flow(a, b).map(|(a, b)| pitches.gap(a, b)))
        .collect();
    // A text set without space between paragraphs shows its breaks only by short lines.
    let spaced =
        flow_gaps.iter().filter(|g| **g == Break::Yes).count() * 100 >= flow_gaps.len().max(1) * 3;
    let mut out = vec![Break::Unknown];
    out.extend(
        pairs()
            .zip(&body[1..])
            .map(|((a, b), (_, line))| match (flow(a, b), a.1) {
                (Some((pa, pb)), _) if spaced => pitches.gap(pa, pb),
                (Some((pa, _)), _) => by_edge(pa.full),
                (None, Some(pa)) => by_edge(pa.full),
                (None, None) if line.blank_before => Break::Yes,
                (None, None) if blanks && a.0 == b.0 => Break::No,
                (None, None) => Break::Unknown,
            }),
    );
    out
}

/// A short last line ends a paragraph; a full one goes on.
fn by_edge(full: Option<bool>) -> Break {
    match full {
        Some(true) => Break::No,
        Some(false) => Break::Yes,
        None => Break::Unknown,
    }
}

/// Two lines one below the other in the same column of a page: their places.
fn flow(a: (usize, Option<Place>), b: (usize, Option<Place>)) -> Option<(Place, Place)> {
    let (pa, pb) = (a.1?, b.1?);
    let dy = pb.y - pa.y;
    let below = dy > 0.0 && dy < 4.0 * pa.size.max(pb.size);
    let overlap = pb.x0 < pa.x1 && pb.x1 > pa.x0;
    (a.0 == b.0 && below && overlap).then_some((pa, pb))
}

/// The usual distance between baselines, by font size: the most common one.
struct Pitches(Vec<(i64, f64)>);

impl Pitches {
    fn of(lines: &[(usize, Option<Place>)]) -> Pitches {
        let mut counts: std::collections::BTreeMap<(i64, i64), usize> = Default::default();
        for w in lines.windows(2) {
            if let Some((a, b)) = flow(w[0], w[1])
                && key(a.size) == key(b.size)
            {
                *counts.entry((key(a.size), key(b.y - a.y))).or_default() += 1;
            }
        }
        let mut best: Vec<(i64, f64, usize)> = Vec::new();
        for ((size, dy), n) in counts {
            match best.last_mut() {
                Some(last) if last.0 == size => {
                    if n > last.2 {
                        *last = (size, dy as f64 / 4.0, n);
                    }
                }
                _ => best.push((size, dy as f64 / 4.0, n)),
            }
        }
        Pitches(best.into_iter().map(|(s, p, _)| (s, p)).collect())
    }

    /// `Yes` when `b` stands further below `a` than a line pitch and a bit.
    fn gap(&self, a: Place, b: Place) -> Break {
        let size = a.size.max(b.size);
        let pitch = self
            .0
            .iter()
            .find(|(s, _)| *s == key(size))
            .map_or(size * 1.2, |(_, p)| *p);
        if b.y - a.y > pitch * 1.15 {
            Break::Yes
        } else {
            Break::No
        }
    }
}

/// A length in quarter points, for counting equal sizes and distances.
fn key(v: f64) -> i64 {
    (v * 4.0).round() as i64
}

/// The most lines a page may have for [`mark_full`] to look at (a dense page has about 80).
#[cfg(any(feature = "pdf", test))]
const MAX_LINES: usize = 500;

/// Sets each line's `full`: whether it reaches the right edge that most of the lines beside
/// and around it share.
#[cfg(any(feature = "pdf", test))]
fn mark_full(page: &mut Page) {
    // Each line looks at every other: a page of more lines than any report sets (a
    // hostile file's) is left to the lines' lengths.
    if page.len() > MAX_LINES {
        return;
    }
    let places: Vec<Option<Place>> = page.iter().map(|l| l.place).collect();
    for line in page.iter_mut() {
        let Some(place) = line.place.as_mut() else {
            continue;
        };
        let mut ends: std::collections::BTreeMap<i64, usize> = Default::default();
        for other in places.iter().flatten() {
            if other.x0 < place.x1 && other.x1 > place.x0 {
                *ends.entry(key(other.x1)).or_default() += 1;
            }
        }
        let edge = ends
            .iter()
            .max_by_key(|(end, n)| (**n, **end))
            .filter(|(_, n)| **n >= 3)
            .map(|(end, _)| *end as f64 / 4.0);
        place.full = edge
            .filter(|edge| place.x1 <= edge + 1.0)
            .map(|edge| place.x1 >= edge - place.size);
    }
}

#[cfg(feature = "pdf")]
pub use collect::pages;

#[cfg(feature = "pdf")]
mod collect {
    use super::{Line, Page, Place, mark_full};
    use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

    /// The lines of each page of `doc`, with their places.
    pub fn pages(bytes: &[u8]) -> Result<Vec<Page>, OutputError> {
        let doc = pdf_extract::Document::load_mem(bytes)?;
        let mut collector = Collector::default();
        pdf_extract::output_doc(&doc, &mut collector)?;
        Ok(collector.pages)
    }

    /// Glyphs into lines, as pdf-extract's plain-text output joins them (a space where a
    /// text run starts a tenth of the font size or more after the last glyph's end).
    #[derive(Default)]
    struct Collector {
        pages: Vec<Page>,
        page: Page,
        height: f64,
        line: Option<(String, Place)>,
        first_char: bool,
        last_end: f64,
    }

    impl Collector {
        fn end_line(&mut self) {
            if let Some((text, place)) = self.line.take()
                && !text.trim().is_empty()
            {
                self.page.push(Line {
                    text,
                    place: Some(place),
                    blank_before: false,
                });
            }
        }
    }

    impl OutputDev for Collector {
        fn begin_page(
            &mut self,
            _: u32,
            media_box: &MediaBox,
            _: Option<(f64, f64, f64, f64)>,
        ) -> Result<(), OutputError> {
            self.height = media_box.ury - media_box.lly;
            Ok(())
        }

        fn end_page(&mut self) -> Result<(), OutputError> {
            self.end_line();
            let mut page = std::mem::take(&mut self.page);
            mark_full(&mut page);
            self.pages.push(page);
            Ok(())
        }

        fn output_character(
            &mut self,
            trm: &Transform,
            width: f64,
            _: f64,
            font_size: f64,
            char: &str,
        ) -> Result<(), OutputError> {
            let (x, y) = (trm.m31, self.height - trm.m32);
            let vx = font_size * (trm.m11 + trm.m21);
            let vy = font_size * (trm.m12 + trm.m22);
            let size = (vx * vy).abs().sqrt().max(1.0);
            let end = x + width * size;
            let first = std::mem::replace(&mut self.first_char, false);
            if self
                .line
                .as_ref()
                .is_some_and(|(_, p)| (y - p.y).abs() > 0.5 * p.size.max(size))
            {
                self.end_line();
            }
            match self.line.as_mut() {
                Some((text, place)) => {
                    if first && x > self.last_end + 0.1 * size {
                        text.push(' ');
                    }
                    text.push_str(char);
                    place.x1 = place.x1.max(end);
                }
                None => {
                    let place = Place {
                        x0: x,
                        x1: end,
                        y,
                        size,
                        full: None,
                    };
                    self.line = Some((char.to_string(), place));
                }
            }
            self.last_end = end;
            Ok(())
        }

        fn begin_word(&mut self) -> Result<(), OutputError> {
            self.first_char = true;
            Ok(())
        }

        fn end_word(&mut self) -> Result<(), OutputError> {
            Ok(())
        }

        fn end_line(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x0: f64, x1: f64, y: f64) -> Option<Place> {
        Some(Place {
            x0,
            x1,
            y,
            size: 10.0,
            full: None,
        })
    }

    fn line(place: Option<Place>) -> Line {
        Line {
            text: "x".into(),
            place,
            blank_before: false,
        }
    }

    fn on_page(lines: &[Line]) -> Vec<(usize, &Line)> {
        lines.iter().map(|l| (0, l)).collect()
    }

    #[test]
    fn a_wider_gap_breaks_a_paragraph() {
        // Pitch 12; one gap of 16 among six.
        let ys = [100.0, 112.0, 124.0, 140.0, 152.0, 164.0, 176.0];
        let lines: Vec<Line> = ys.iter().map(|y| line(at(50.0, 300.0, *y))).collect();
        let b = breaks(&on_page(&lines));
        assert_eq!(b[0], Break::Unknown);
        assert_eq!(b[3], Break::Yes);
        assert!(
            b.iter()
                .enumerate()
                .all(|(i, g)| i == 0 || i == 3 || *g == Break::No)
        );
    }

    #[test]
    fn at_a_column_break_the_last_line_tells() {
        let mut page: Page = [
            (50.0, 250.0, 100.0),
            (50.0, 250.0, 112.0),
            (50.0, 250.0, 124.0),
            (50.0, 250.0, 136.0),
            (300.0, 500.0, 100.0),
            (300.0, 420.0, 112.0),
            (300.0, 500.0, 128.0),
            (300.0, 500.0, 140.0),
        ]
        .iter()
        .map(|(x0, x1, y)| line(at(*x0, *x1, *y)))
        .collect();
        mark_full(&mut page);
        let full: Vec<Option<bool>> = page.iter().map(|l| l.place.unwrap().full).collect();
        assert_eq!(full[3], Some(true));
        assert_eq!(full[5], Some(false));
        let b = breaks(&on_page(&page));
        assert_eq!(b[4], Break::No, "column 1's last line is full");
        assert_eq!(b[6], Break::Yes);
        // The same column break after a short line.
        page[3].place.as_mut().unwrap().full = Some(false);
        assert_eq!(breaks(&on_page(&page))[4], Break::Yes);
    }

    #[test]
    fn without_places_blank_lines_tell_if_there_are_any() {
        let lines = [line(None), line(None)];
        assert_eq!(breaks(&on_page(&lines)), [Break::Unknown, Break::Unknown]);
        let text = unplaced("Ett\ntvå\n\ntre\n");
        assert_eq!(text.len(), 3);
        assert!(text[2].blank_before);
        assert_eq!(
            breaks(&on_page(&text)),
            [Break::Unknown, Break::No, Break::Yes]
        );
        // A page's first line may go on from the page before.
        let body = [(0, &text[0]), (1, &text[1]), (1, &text[2])];
        assert_eq!(breaks(&body), [Break::Unknown, Break::Unknown, Break::Yes]);
    }

    #[cfg(feature = "pdf")]
    #[test]
    fn a_generated_pdf_gives_placed_lines() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf/001-two-column.pdf");
        let pages = pages(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(pages.len(), 10);
        let lines: Vec<&Line> = pages.iter().flatten().collect();
        assert!(lines.iter().all(|l| l.place.is_some()));
        let full = lines
            .iter()
            .filter(|l| l.place.unwrap().full == Some(true))
            .count();
        assert!(full * 2 > lines.len(), "{full} of {}", lines.len());
    }
}
