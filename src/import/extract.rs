//! Text out of a report's PDF: pdf-extract's glyphs gathered into placed lines
//! ([`layout`](super::layout), feature `pdf`), else poppler's `pdftotext -raw` when it is
//! installed ([import.md](../../docs/import.md) measured both).
//! Every failure is a sentence saying what is wrong with the file; nothing is written.

use std::path::Path;
use std::process::Command;

use super::layout::{self, Page};

/// Why no text came out of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtractError {
    /// The file does not start as a PDF does (`%PDF-`).
    NotPdf,
    /// The PDF is encrypted: its text cannot be read without the password.
    Encrypted,
    /// The PDF could not be read (truncated, no cross-reference table); the reason.
    Damaged(String),
    /// The PDF was read but has no text layer (a scan).
    NoText,
    /// No extractor is available: built without `pdf` and no `pdftotext`.
    NoExtractor,
}

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExtractError::NotPdf => f.write_str(
                "is not a PDF (it does not start with %PDF-); give a PDF or a plain-text extraction ending in .txt",
            ),
            ExtractError::Encrypted => f.write_str(
                "is an encrypted PDF; its text cannot be read: save an unencrypted copy, or its text as a .txt file",
            ),
            ExtractError::Damaged(why) => write!(
                f,
                "is a damaged PDF that cannot be read ({why}); download it again or save its text as a .txt file"
            ),
            ExtractError::NoText => f.write_str(
                "has no text layer (a scanned or image-only PDF): OCR is out of scope for now; run an OCR tool such as ocrmypdf first, or give its text as a .txt file",
            ),
            ExtractError::NoExtractor => f.write_str(
                "cannot be read: this insyn was built without the `pdf` feature and `pdftotext` (poppler-utils) is not installed",
            ),
        }
    }
}

/// The lines of each page of the PDF `bytes` (read from `path`, for `pdftotext`).
pub fn pages(bytes: &[u8], path: &Path) -> Result<Vec<Page>, ExtractError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(ExtractError::NotPdf);
    }
    if encrypted(bytes) {
        return Err(ExtractError::Encrypted);
    }
    let pages = match native(bytes) {
        Some(Ok(pages)) => pages,
        Some(Err(why)) => match pdftotext(path) {
            Some(Ok(pages)) => pages,
            _ => return Err(ExtractError::Damaged(why)),
        },
        None => match pdftotext(path) {
            Some(Ok(pages)) => pages,
            Some(Err(why)) => return Err(ExtractError::Damaged(why)),
            None => return Err(ExtractError::NoExtractor),
        },
    };
    if pages.iter().flatten().all(|l| l.text.trim().is_empty()) {
        return Err(ExtractError::NoText);
    }
    Ok(pages)
}

/// Whether the trailer names an encryption dictionary.
fn encrypted(bytes: &[u8]) -> bool {
    let needle = b"/Encrypt";
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// pdf-extract, by pages, with a panic in it caught (the crate is pre-1.0 and parses
/// untrusted files). `None` without the `pdf` feature.
#[cfg(feature = "pdf")]
fn native(bytes: &[u8]) -> Option<Result<Vec<Page>, String>> {
    let result = std::panic::catch_unwind(|| layout::pages(bytes).map_err(|e| e.to_string()));
    Some(result.unwrap_or_else(|_| Err("the PDF reader gave up on it".to_string())))
}

#[cfg(not(feature = "pdf"))]
fn native(_bytes: &[u8]) -> Option<Result<Vec<Page>, String>> {
    None
}

/// `pdftotext -raw FILE -`, its pages split at form feeds; `None` when it is not installed.
fn pdftotext(path: &Path) -> Option<Result<Vec<Page>, String>> {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("pdftotext failed").trim();
        return Some(Err(last.to_string()));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(Ok(layout::pages_of(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> (Vec<u8>, std::path::PathBuf) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf")
            .join(name);
        (std::fs::read(&path).unwrap(), path)
    }

    #[test]
    fn each_unreadable_file_has_its_own_error() {
        let (bytes, path) = fixture("damaged.pdf");
        assert!(matches!(
            pages(&bytes, &path),
            Err(ExtractError::Damaged(_))
        ));
        let (bytes, path) = fixture("image-only.pdf");
        assert_eq!(pages(&bytes, &path), Err(ExtractError::NoText));
        assert!(
            ExtractError::NoText
                .to_string()
                .contains("OCR is out of scope for now")
        );
        assert_eq!(
            pages(b"hello", Path::new("x.pdf")),
            Err(ExtractError::NotPdf)
        );
        assert_eq!(
            pages(
                b"%PDF-1.4\ntrailer << /Encrypt 5 0 R >>",
                Path::new("x.pdf")
            ),
            Err(ExtractError::Encrypted)
        );
    }

    #[test]
    fn pdftotext_is_the_fallback_where_installed() {
        let (_, path) = fixture("004-one-column.pdf");
        match pdftotext(&path) {
            None => eprintln!("pdftotext is not installed: fallback untested"),
            Some(result) => {
                let pages = result.unwrap();
                assert_eq!(pages.len(), 7);
                assert!(pages[0].iter().any(|l| l.text.contains("Kommunstyrelsen")));
            }
        }
        let (_, damaged) = fixture("damaged.pdf");
        assert!(pdftotext(&damaged).is_none_or(|r| r.is_err()));
    }

    #[test]
    fn a_text_pdf_gives_its_pages() {
        let (bytes, path) = fixture("004-one-column.pdf");
        let pages = pages(&bytes, &path).unwrap();
        assert!(pages.len() >= 7, "{}", pages.len());
        assert!(
            pages
                .iter()
                .flatten()
                .any(|l| l.text.contains("Kommunstyrelsen"))
        );
    }
}
