//! `insyn serve`, run as a user would: pages served from memory with the right types, no
//! way out of the site, live reload after an edit, and the last good site kept when an
//! edit breaks the build.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::copy_fixture;

struct Server {
    child: Child,
    addr: String,
    _site: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let site = copy_fixture("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    // Keep reading what the server prints, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the URL is printed");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Server {
        child,
        addr,
        root: site.path().to_path_buf(),
        _site: site,
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
    bytes: Vec<u8>,
}

fn get(server: &Server, path: &str) -> Response {
    request(server, path, "")
}

/// A GET of `path` with more header lines (`extra`, each ending in CRLF).
fn request(server: &Server, path: &str, extra: &str) -> Response {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |at| at + 4);
    let headers = String::from_utf8_lossy(&raw[..end]).into_owned();
    let bytes = raw[end..].to_vec();
    Response {
        status: headers.split_whitespace().nth(1).unwrap().parse().unwrap(),
        headers: headers.to_lowercase(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// The value of attribute `name` in `html` (its first occurrence).
fn attribute(html: &str, name: &str) -> String {
    let start = format!("{name}=\"");
    html.split(&start)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

/// Searches the served site as the browser's worker does: the index bundle the search page
/// names, then the pieces of its packs that the search needs, each by a range request,
/// checked to be answered with exactly that range.
fn search_over_http(server: &Server, q: &str) -> insyn_search::Response {
    let index = attribute(&get(server, "/sok/").body, "data-index");
    let (dir, name) = index.rsplit_once('/').unwrap();
    let mut engine = insyn_search::Engine::open_named(name, get(server, &index).bytes).unwrap();
    let load = |piece: &str| {
        let piece = insyn_search::packs::PieceRef::parse(piece).unwrap();
        let last = piece.start + piece.len - 1;
        let range = format!("Range: bytes={}-{last}\r\n", piece.start);
        let r = request(server, &format!("{dir}/{}", piece.pack), &range);
        assert_eq!(r.status, 206, "{}", r.headers);
        let answered = format!("content-range: bytes {}-{last}/", piece.start);
        assert!(r.headers.contains(&answered), "{}", r.headers);
        Some(r.bytes)
    };
    let request = insyn_search::Request {
        q: q.into(),
        ..Default::default()
    };
    engine
        .search_loading(&request, load)
        .expect("the index is whole")
}

/// Reads server-sent events until one named `name` arrives (or the time is up).
fn wait_for_event(events: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut current = String::new();
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if events.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        if let Some(n) = line.strip_prefix("event: ") {
            current = n.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == name
        {
            return data.trim().to_string();
        }
    }
    panic!("no `{name}` event (last: {current:?})");
}

fn subscribe(server: &Server) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    write!(stream, "GET /__insyn/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    wait_for_event(&mut reader, "ok");
    reader
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_pages_with_types_and_live_reload_script() {
    let server = start();
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(
        home.body
            .contains("<script src=\"/__insyn/livereload.js\" defer></script></body>")
    );
    let search = get(&server, "/sok/").body;
    let engine = search
        .split("data-engine=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let wasm = get(&server, &engine);
    assert_eq!(wasm.status, 200);
    assert!(wasm.headers.contains("content-type: application/wasm"));
    // Byte ranges, as the search fetches the pieces of its packs.
    assert!(wasm.headers.contains("accept-ranges: bytes"));
    let len = wasm.bytes.len();
    let head = request(&server, &engine, "Range: bytes=0-3\r\n");
    assert_eq!((head.status, &head.bytes[..]), (206, &b"\0asm"[..]));
    assert!(
        head.headers
            .contains(&format!("content-range: bytes 0-3/{len}"))
    );
    let tail = request(&server, &engine, "range: bytes=-2\r\n");
    assert_eq!(
        (tail.status, &tail.bytes[..]),
        (206, &wasm.bytes[len - 2..])
    );
    let past = request(&server, &engine, &format!("Range: bytes={len}-\r\n"));
    assert_eq!(past.status, 416);
    assert!(
        past.headers
            .contains(&format!("content-range: bytes */{len}"))
    );
    let hits = search_over_http(&server, "strategi");
    assert!(hits.total > 0 && hits.hits.iter().all(|h| !h.text.is_empty()));
    assert!(
        get(&server, "/style.css")
            .headers
            .contains("content-type: text/css")
    );
    assert_eq!(get(&server, "/kommun/are").status, 301);
    let missing = get(&server, "/finns-inte/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Sidan finns inte"),
        "the site's own 404 page"
    );
    assert!(
        get(&server, "/__insyn/livereload.js")
            .body
            .contains("EventSource")
    );
}

#[test]
fn requests_never_reach_outside_the_site() {
    let server = start();
    for evil in [
        "/../insyn.toml",
        "/%2e%2e/insyn.toml",
        "/%2E%2E%2Fcontent%2Falfa.md",
        "/kommun/..%2F..%2Finsyn.toml",
        "/..%5cinsyn.toml",
        "/%00index.html",
    ] {
        let r = get(&server, evil);
        assert!(r.status == 403 || r.status == 404, "{evil}: {}", r.status);
        assert!(!r.body.contains("base_url"), "{evil} leaked insyn.toml");
    }
    // Only GET and HEAD.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(stream, "DELETE / HTTP/1.1\r\n\r\n").unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 405"));
}

#[test]
fn an_edit_rebuilds_and_reloads_and_a_broken_edit_keeps_the_last_good_site() {
    let server = start();
    let mut events = subscribe(&server);
    let page = "/insyn/granskning/alfa/";
    // The fixture's base_url path is replaced by the preview's own address.
    let page = page.trim_start_matches("/insyn");
    assert!(get(&server, page).body.contains("Strategin saknas."));

    edit(
        &server.root,
        "content/alfa.md",
        "Strategin saknas.",
        "Strategin saknas helt.",
    );
    wait_for_event(&mut events, "reload");
    assert!(get(&server, page).body.contains("Strategin saknas helt."));
    // The search index was updated too: the new word is in a new index file, and its packs
    // serve the search.
    let search = get(&server, "/sok/").body;
    assert!(search.contains("data-index=\"/search/index."));
    let found = search_over_http(&server, "helt");
    assert_eq!(found.total, 1);
    assert!(found.hits[0].text.contains("Strategin saknas helt."));

    edit(
        &server.root,
        "content/alfa.md",
        "date: 2019-05-02",
        "date: 2019-05-32",
    );
    let error = wait_for_event(&mut events, "error");
    assert!(error.contains("content/alfa.md:7:7"), "{error}");
    assert!(
        !error.contains("follows_up"),
        "no follow-on errors: {error}"
    );
    assert!(
        get(&server, page).body.contains("Strategin saknas helt."),
        "last good site kept"
    );

    edit(
        &server.root,
        "content/alfa.md",
        "date: 2019-05-32",
        "date: 2019-05-02",
    );
    wait_for_event(&mut events, "reload");
    assert_eq!(get(&server, page).status, 200);
}

/// Waits until the server reacts to a change (an event), then until it is quiet for a second.
fn settle(events: &mut BufReader<TcpStream>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = false;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        match events.read_line(&mut line) {
            Ok(n) if n > 0 => seen |= line.starts_with("event: "),
            _ if seen => return,
            _ => {}
        }
    }
    panic!("the server did not react to the change");
}

/// Copies the files of `from` into `to`, as `cp -r` does.
fn copy_dir(from: &Path, to: &Path) {
    for f in common::files(from) {
        let target = to.join(&f);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), target).unwrap();
    }
}

#[test]
fn edits_are_seen_after_the_content_folder_is_removed_and_put_back() {
    let server = start();
    let mut events = subscribe(&server);
    let page = "/granskning/alfa/";
    let content = server.root.join("content");
    let away = server.root.join("content-away");
    let mut text = "Strategin saknas.".to_string();
    // Moved away and back (the same folder), then removed and copied back (a new one).
    for (round, copy) in [false, true].into_iter().enumerate() {
        if copy {
            copy_dir(&content, &away);
            std::fs::remove_dir_all(&content).unwrap();
        } else {
            std::fs::rename(&content, &away).unwrap();
        }
        settle(&mut events);
        if copy {
            copy_dir(&away, &content);
            std::fs::remove_dir_all(&away).unwrap();
        } else {
            std::fs::rename(&away, &content).unwrap();
        }
        settle(&mut events);
        let edited = format!("Strategin saknas, omgång {round}.");
        edit(&server.root, "content/alfa.md", &text, &edited);
        wait_for_event(&mut events, "reload");
        assert!(get(&server, page).body.contains(&edited), "round {round}");
        text = edited;
    }
}

/// The threads of process `pid`.
fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("Threads:")).unwrap();
    line["Threads:".len()..].trim().parse().unwrap()
}

#[test]
fn live_reload_clients_are_capped_and_hold_no_thread_each() {
    let server = start();
    let pid = server.child.id();
    let before = threads(pid);
    let cap = insyn::serve::http::MAX_LIVE_CLIENTS;
    let mut statuses = Vec::new();
    let mut open = Vec::new();
    for _ in 0..cap + 36 {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "GET /__insyn/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        statuses.push(status.split_whitespace().nth(1).unwrap().to_string());
        open.push(reader);
    }
    assert_eq!(statuses.iter().filter(|s| *s == "200").count(), cap);
    assert_eq!(statuses.iter().filter(|s| *s == "503").count(), 36);
    std::thread::sleep(Duration::from_millis(300));
    let during = threads(pid);
    assert!(
        during <= before + 4,
        "{before} threads before, {during} with {cap} pages"
    );
    assert_eq!(get(&server, "/").status, 200);
    // Pages that closed make room for new ones.
    drop(open);
    std::thread::sleep(Duration::from_millis(300));
    let mut events = subscribe(&server);
    edit(
        &server.root,
        "content/alfa.md",
        "Strategin saknas.",
        "Strategin saknas helt.",
    );
    wait_for_event(&mut events, "reload");
}

#[test]
fn a_port_in_use_exits_with_the_environment_code_and_says_so() {
    // Held for the whole test, so `insyn serve` cannot have it.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = copy_fixture("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`insyn serve` on a port in use is still running");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    // Not 1: nothing is wrong with the site.
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("error: cannot listen on 127.0.0.1:{port}"))
            && err.contains("try another --port"),
        "{err}"
    );
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    drop(taken);
}
