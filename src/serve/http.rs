//! A small HTTP/1.1 server for the preview: files from memory only, so no request can read
//! anything outside the built site — not with `..`, encoded dots, or links. It answers a
//! single byte range (`Range: bytes=a-b`) as static hosts do: the search fetches pieces of its
//! packs so.
//!
//! `GET /__insyn/events` is a server-sent-events stream that tells open pages to reload (or
//! shows them the build error); `/__insyn/livereload.js` is the script, injected into HTML
//! pages only here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::output::MemoryOutput;

/// What the pages are told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Reload,
    /// The build failed: the diagnostics, as plain text.
    Error(String),
    /// The build is good again (hide the error).
    Ok,
}

/// What the server shares with the rebuild loop.
pub struct State {
    output: RwLock<Arc<MemoryOutput>>,
    error: RwLock<Option<String>>,
    /// The open pages' event streams, written to by whichever thread has news: no thread
    /// waits per page.
    clients: Mutex<Vec<TcpStream>>,
}

/// At most this many pages get live reload at once; more get 503. A page holds a socket,
/// so a flood of them must not exhaust the process's files.
pub const MAX_LIVE_CLIENTS: usize = 64;

impl State {
    pub fn new(output: Arc<MemoryOutput>) -> Arc<State> {
        Arc::new(State {
            output: RwLock::new(output),
            error: RwLock::new(None),
            clients: Mutex::new(Vec::new()),
        })
    }

    /// Serves a new build and tells the pages.
    pub fn publish(&self, output: Arc<MemoryOutput>) {
        if let Ok(mut o) = self.output.write() {
            *o = output;
        }
        if let Ok(mut e) = self.error.write() {
            *e = None;
        }
        self.broadcast(Event::Reload);
    }

    /// Keeps serving the last good build and shows `message` over the pages.
    pub fn fail(&self, message: String) {
        if let Ok(mut e) = self.error.write() {
            *e = Some(message.clone());
        }
        self.broadcast(Event::Error(message));
    }

    fn broadcast(&self, event: Event) {
        self.send(&message(&event));
    }

    /// Sends `text` to every open page. A page that cannot take it at once is dropped: its
    /// browser reconnects and is then told the current state.
    fn send(&self, text: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain_mut(|c| c.write_all(text.as_bytes()).is_ok());
        }
    }

    /// Opens the event stream of one page, or answers 503 when there are too many.
    fn subscribe(&self, mut stream: TcpStream) -> std::io::Result<()> {
        let Ok(mut clients) = self.clients.lock() else {
            return Ok(());
        };
        // Pages reload often: their closed streams must not count.
        clients.retain(open);
        if clients.len() >= MAX_LIVE_CLIENTS {
            drop(clients);
            let body = format!("at most {MAX_LIVE_CLIENTS} pages get live reload at once\n");
            return respond(
                &mut stream,
                "503 Service Unavailable",
                "text/plain",
                body.as_bytes(),
                false,
            );
        }
        // A page opened while the build is broken sees the error at once.
        let pending = self.error.read().ok().and_then(|e| e.clone());
        let first = message(&pending.map_or(Event::Ok, Event::Error));
        stream.set_write_timeout(Some(Duration::from_secs(2)))?;
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
        stream.write_all(first.as_bytes())?;
        stream.set_nonblocking(true)?;
        clients.push(stream);
        Ok(())
    }

    fn output(&self) -> Arc<MemoryOutput> {
        self.output
            .read()
            .map(|o| Arc::clone(&o))
            .unwrap_or_default()
    }
}

const LIVERELOAD: &str = include_str!("livereload.js");
const EVENTS: &str = "/__insyn/events";
const SCRIPT: &str = "/__insyn/livereload.js";

/// Accepts connections forever, a thread each while it is answered.
pub fn run(listener: TcpListener, state: Arc<State>) {
    {
        // Keeps idle event streams open through proxies, and finds those that closed.
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                state.send(": keep-alive\n\n");
            }
        });
    }
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
}

/// The content type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "atom" => "application/atom+xml",
        _ => "application/octet-stream",
    }
}

/// What a request path names: a file of the output, or why it names none.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(String),
    /// `/kommun/x` → `/kommun/x/`.
    Redirect(String),
    NotFound,
    Forbidden,
}

/// Maps a request path to an output file. Rejects anything that could climb out of the
/// site: `..` in any spelling, backslashes, NUL, and absolute paths after decoding.
pub fn resolve(raw_path: &str, output: &MemoryOutput) -> Target {
    let path = raw_path.split(['?', '#']).next().unwrap_or("/");
    let Some(decoded) = percent_decode(path) else {
        return Target::Forbidden;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Target::Forbidden;
    }
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s == ".") || rel.starts_with('/') {
        return Target::Forbidden;
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if output.get(&file).is_some() {
        Target::File(file)
    } else if output.get(&format!("{file}/index.html")).is_some() {
        Target::Redirect(format!("{}/", path))
    } else {
        Target::NotFound
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle(stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.by_ref().take(8192).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    // Read the headers (bounded), keeping the one that matters here.
    let mut header = String::new();
    let mut range = None;
    for _ in 0..100 {
        header.clear();
        if reader.by_ref().take(8192).read_line(&mut header)? == 0
            || header == "\r\n"
            || header == "\n"
        {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("range")
        {
            range = Some(value.trim().to_string());
        }
    }
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            method == "HEAD",
        );
    }
    let head = method == "HEAD";
    match target.split('?').next().unwrap_or("") {
        EVENTS => return state.subscribe(stream),
        SCRIPT => {
            return respond(
                &mut stream,
                "200 OK",
                content_type(".js"),
                LIVERELOAD.as_bytes(),
                head,
            );
        }
        _ => {}
    }
    let output = state.output();
    match resolve(target, &output) {
        Target::File(file) => {
            let bytes = output.get(&file).unwrap_or_default();
            let body = inject(&file, &bytes);
            respond_file(
                &mut stream,
                content_type(&file),
                &body,
                range.as_deref(),
                head,
            )
        }
        Target::Redirect(to) => {
            let header = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(header.as_bytes())
        }
        Target::Forbidden => respond(
            &mut stream,
            "403 Forbidden",
            "text/plain",
            b"Forbidden\n",
            head,
        ),
        Target::NotFound => {
            let page = output.get("404.html").map(|b| inject("404.html", &b));
            let body = page.unwrap_or_else(|| b"Not found\n".to_vec());
            respond(
                &mut stream,
                "404 Not Found",
                content_type("404.html"),
                &body,
                head,
            )
        }
    }
}

/// Adds the live-reload script to HTML pages.
fn inject(file: &str, bytes: &[u8]) -> Vec<u8> {
    if !file.ends_with(".html") {
        return bytes.to_vec();
    }
    let html = String::from_utf8_lossy(bytes);
    let tag = format!("<script src=\"{SCRIPT}\" defer></script>");
    match html.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{tag}").into_bytes(),
    }
}

/// What a `Range` header asks of a file of `len` bytes (RFC 9110, one range only).
#[derive(Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// The whole file: no header, or one this server does not take (several ranges,
    /// another unit, bad syntax), which a server may ignore.
    Whole,
    /// These bytes (206 Partial Content).
    Part(std::ops::Range<usize>),
    /// None of the file (416 Range Not Satisfiable).
    Unsatisfiable,
}

/// Reads a `Range` header's value for a file of `len` bytes: `bytes=a-b`, `bytes=a-` (to the
/// end) or `bytes=-n` (the last `n` bytes); a range reaching past the end stops at the end.
pub fn byte_range(header: Option<&str>, len: usize) -> ByteRange {
    let Some((first, last)) = header
        .and_then(|h| h.trim().strip_prefix("bytes="))
        .and_then(|spec| spec.trim().split_once('-'))
    else {
        return ByteRange::Whole;
    };
    // Digits only; a number past usize stays usize::MAX (past any file's end).
    let number = |s: &str| -> Option<usize> {
        let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| {
            s.bytes().fold(0usize, |n, b| {
                n.saturating_mul(10).saturating_add(usize::from(b - b'0'))
            })
        })
    };
    let range = match (number(first), last) {
        // The last `n` bytes.
        (None, _) if first.is_empty() => match number(last) {
            Some(n) => len.saturating_sub(n)..len,
            None => return ByteRange::Whole,
        },
        (Some(start), "") => start..len,
        (Some(start), last) => match number(last) {
            Some(end) if end >= start => start..end.saturating_add(1).min(len),
            _ => return ByteRange::Whole,
        },
        (None, _) => return ByteRange::Whole,
    };
    if range.start >= len || range.is_empty() {
        ByteRange::Unsatisfiable
    } else {
        ByteRange::Part(range)
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    respond_with(stream, status, content_type, "", body, head)
}

/// Answers with a file of the site: the whole of it, or the byte range the request asked for.
fn respond_file(
    stream: &mut TcpStream,
    content_type: &str,
    body: &[u8],
    range: Option<&str>,
    head: bool,
) -> std::io::Result<()> {
    let len = body.len();
    match byte_range(range, len) {
        ByteRange::Whole => respond_with(stream, "200 OK", content_type, RANGES, body, head),
        ByteRange::Part(part) => {
            let extra = format!(
                "{RANGES}Content-Range: bytes {}-{}/{len}\r\n",
                part.start,
                part.end - 1
            );
            respond_with(
                stream,
                "206 Partial Content",
                content_type,
                &extra,
                &body[part],
                head,
            )
        }
        ByteRange::Unsatisfiable => {
            let extra = format!("{RANGES}Content-Range: bytes */{len}\r\n");
            respond_with(
                stream,
                "416 Range Not Satisfiable",
                content_type,
                &extra,
                b"",
                head,
            )
        }
    }
}

/// The header that tells clients the server takes byte ranges.
const RANGES: &str = "Accept-Ranges: bytes\r\n";

/// Writes a response; `extra` is more header lines, each ending in CRLF.
fn respond_with(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    extra: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// An event as server-sent-events text.
fn message(event: &Event) -> String {
    match event {
        Event::Reload => "event: reload\ndata: 1\n\n".to_string(),
        Event::Ok => "event: ok\ndata: 1\n\n".to_string(),
        Event::Error(text) => {
            let json = serde_json::json!({ "message": text }).to_string();
            format!("event: error\ndata: {json}\n\n")
        }
    }
}

/// Whether the page at the other end of a (non-blocking) event stream is still there.
fn open(stream: &TcpStream) -> bool {
    match stream.peek(&mut [0]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> MemoryOutput {
        let out = MemoryOutput::new();
        out.write("index.html", b"<body>home</body>").unwrap();
        out.write("kommun/x/index.html", b"x").unwrap();
        out.write("search/engine.1.wasm", b"\0asm").unwrap();
        out
    }

    #[test]
    fn requests_cannot_leave_the_site() {
        let out = site();
        for evil in [
            "/../Cargo.toml",
            "/%2e%2e/insyn.toml",
            "/%2E%2E%2Finsyn.toml",
            "/kommun/..%2f..%2fetc/passwd",
            "/..\\..\\windows",
            "/%00",
            "/./index.html",
            "/%zz",
        ] {
            assert!(matches!(resolve(evil, &out), Target::Forbidden), "{evil}");
        }
        assert_eq!(resolve("//etc/passwd", &out), Target::NotFound);
    }

    #[test]
    fn files_folders_and_redirects() {
        let out = site();
        assert_eq!(resolve("/", &out), Target::File("index.html".into()));
        assert_eq!(
            resolve("/kommun/x/?q=1", &out),
            Target::File("kommun/x/index.html".into())
        );
        assert_eq!(
            resolve("/kommun/x", &out),
            Target::Redirect("/kommun/x/".into())
        );
        assert_eq!(resolve("/nope/", &out), Target::NotFound);
        assert_eq!(content_type("search/engine.1.wasm"), "application/wasm");
    }

    #[test]
    fn byte_ranges_are_read_as_static_hosts_read_them() {
        let part = |r: std::ops::Range<usize>| ByteRange::Part(r);
        for (header, expected) in [
            (None, ByteRange::Whole),
            (Some("bytes=0-9"), part(0..10)),
            (Some("bytes=5-5"), part(5..6)),
            (Some(" bytes=90-200 "), part(90..100)),
            (Some("bytes=90-"), part(90..100)),
            (Some("bytes=-10"), part(90..100)),
            (Some("bytes=-1000"), part(0..100)),
            (Some("bytes=0-99999999999999999999999"), part(0..100)),
            (Some("bytes=100-"), ByteRange::Unsatisfiable),
            (Some("bytes=100-200"), ByteRange::Unsatisfiable),
            (
                Some("bytes=99999999999999999999999-"),
                ByteRange::Unsatisfiable,
            ),
            (Some("bytes=-0"), ByteRange::Unsatisfiable),
            // Ignored: the whole file.
            (Some("bytes=5-4"), ByteRange::Whole),
            (Some("bytes=0-1,5-6"), ByteRange::Whole),
            (Some("bytes=-"), ByteRange::Whole),
            (Some("bytes=a-b"), ByteRange::Whole),
            (Some("items=0-1"), ByteRange::Whole),
            (Some("bytes=+1-2"), ByteRange::Whole),
        ] {
            assert_eq!(byte_range(header, 100), expected, "{header:?}");
        }
        assert_eq!(byte_range(Some("bytes=-5"), 0), ByteRange::Unsatisfiable);
        assert_eq!(byte_range(Some("bytes=0-"), 0), ByteRange::Unsatisfiable);
    }

    #[test]
    fn live_reload_is_injected_into_html_only() {
        let html = inject("index.html", b"<body>x</body>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            format!("<body>x<script src=\"{SCRIPT}\" defer></script></body>")
        );
        assert_eq!(inject("a.css", b"body{}"), b"body{}");
    }
}
