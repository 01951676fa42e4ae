//! Markdown bodies: rendering and item extraction never panic, and the HTML never carries
//! script from the input.
#![no_main]

use std::path::Path;

use insyn::config::Language;
use insyn::content::body::{BodyContext, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let questions = vec!["rf1".to_string(), "rf2".to_string()];
    let texts = insyn::translations::Translations::default();
    let rendered = render(
        markdown,
        &BodyContext {
            file: Path::new("content/fuzz.md"),
            first_line: 1,
            questions: &questions,
            allow_html: false,
            language: Language::Sv,
            texts: &texts,
        },
    );
    let html = rendered.body.html.text().to_ascii_lowercase();
    for tag in tags(&html) {
        assert!(!tag.starts_with("script"), "script in the output: <{tag}>");
        assert!(!tag.contains("=\"javascript:"), "script URL in the output: <{tag}>");
    }
});

/// The tags of `html`, without their angle brackets. Text outside tags is escaped (`<` as
/// `&lt;`), so every `<` opens a tag; quotes in text are not, so text such as
/// `href="javascript:` is harmless and must not be mistaken for an attribute.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split_once('>').map_or(rest, |(tag, _)| tag))
}
