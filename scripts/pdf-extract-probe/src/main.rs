//! `pdf-extract-probe (pdf-extract|lopdf) FILE`: the text of FILE on stdout.
//! Exit 1 when the library returns an error, 2 when it panics.

use std::panic;
use std::process::ExitCode;

fn lopdf_text(bytes: &[u8]) -> Result<String, String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut out = String::new();
    for p in pages {
        // One page at a time, so that a page it cannot read does not lose the others.
        match doc.extract_text(&[p]) {
            Ok(t) => out.push_str(&t),
            Err(e) => eprintln!("page {p}: {e}"),
        }
        out.push('\u{c}');
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: pdf-extract-probe (pdf-extract|lopdf) FILE");
        return ExitCode::from(64);
    }
    let bytes = match std::fs::read(&args[2]) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", args[2]);
            return ExitCode::from(1);
        }
    };
    let which = args[1].clone();
    let result = panic::catch_unwind(move || match which.as_str() {
        // By pages, a form feed after each, as pdftotext and mutool write them.
        "pdf-extract" => pdf_extract::extract_text_from_mem_by_pages(&bytes)
            .map(|pages| pages.iter().map(|p| format!("{p}\u{c}")).collect())
            .map_err(|e| e.to_string()),
        "lopdf" => lopdf_text(&bytes),
        other => Err(format!("unknown extractor {other}")),
    });
    match result {
        Ok(Ok(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(2),
    }
}
