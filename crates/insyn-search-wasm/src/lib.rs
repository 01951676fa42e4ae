//! The search engine as a WebAssembly module with a plain C ABI (no wasm-bindgen): the
//! worker script copies bytes in with `insyn_alloc`, opens the index with `insyn_open` (which
//! checks it against the hash in its name; -2 means a damaged index, -1 other failures),
//! sends JSON requests to `insyn_search` and reads the JSON answer at
//! `insyn_result_ptr` / `insyn_result_len`. A response that lists `missing` pieces (index
//! blocks, text chunks: byte ranges of the index's packs) asks the worker to fetch them,
//! inflate them, hand them over with `insyn_add_piece`, and ask again. Lengths and codes are
//! `i32`/`usize` so no BigInt crosses the boundary.

use std::cell::RefCell;

use insyn_search::engine::OpenError;
use insyn_search::{Engine, Request};

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn set_result(bytes: Vec<u8>) -> i32 {
    let len = bytes.len() as i32;
    RESULT.with(|r| *r.borrow_mut() = bytes);
    len
}

/// Reserves `len` bytes for the caller to fill; they are freed by `insyn_open` / `insyn_free`.
#[unsafe(no_mangle)]
pub extern "C" fn insyn_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// Frees bytes from `insyn_alloc` that were not handed to `insyn_open`.
///
/// # Safety
/// `ptr` and `len` must come from one `insyn_alloc` call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn insyn_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back what insyn_alloc handed out.
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len) });
}

/// The code of a failure: -2 when the index is damaged, else -1; the message is the result.
fn failure(e: &OpenError) -> i32 {
    set_result(e.to_string().into_bytes());
    if e.damaged { -2 } else { -1 }
}

/// Opens the index bundle in `ptr..ptr+len` (taking ownership of the bytes) whose file name
/// is `name_ptr..+name_len` (its hash is checked; the name stays the caller's). Returns 0,
/// or a [`failure`] code.
///
/// # Safety
/// `ptr` and `len` must come from one `insyn_alloc(len)` call, filled with `len` bytes; the
/// name's range must be readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn insyn_open(
    name_ptr: *const u8,
    name_len: usize,
    ptr: *mut u8,
    len: usize,
) -> i32 {
    // SAFETY: the caller filled len bytes of a buffer of capacity len from insyn_alloc, and
    // the name's range is readable.
    let (name, bytes) = unsafe {
        (
            std::slice::from_raw_parts(name_ptr, name_len),
            Vec::from_raw_parts(ptr, len, len),
        )
    };
    match Engine::open_named(&String::from_utf8_lossy(name), bytes) {
        Ok(engine) => {
            ENGINE.with(|e| *e.borrow_mut() = Some(engine));
            0
        }
        Err(e) => failure(&e),
    }
}

/// Adds the piece (index block or text chunk) named `name_ptr..+name_len`, whose inflated
/// bytes are `ptr..ptr+len` (both stay the caller's). Returns 0, or a [`failure`] code.
///
/// # Safety
/// Both ranges must be readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn insyn_add_piece(
    name_ptr: *const u8,
    name_len: usize,
    ptr: *const u8,
    len: usize,
) -> i32 {
    // SAFETY: the caller guarantees both ranges are readable.
    let (name, bytes) = unsafe {
        (
            std::slice::from_raw_parts(name_ptr, name_len),
            std::slice::from_raw_parts(ptr, len),
        )
    };
    let name = String::from_utf8_lossy(name);
    let added = ENGINE.with(|e| match e.borrow_mut().as_mut() {
        Some(engine) => engine.add_piece(&name, bytes),
        None => Err(OpenError::new("no index is open")),
    });
    match added {
        Ok(()) => 0,
        Err(e) => failure(&e),
    }
}

/// Answers the JSON request in `ptr..ptr+len`; returns the length of the JSON response (or
/// -1 when no index is open). The request bytes stay the caller's.
///
/// # Safety
/// `ptr` must point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn insyn_search(ptr: *const u8, len: usize) -> i32 {
    // SAFETY: the caller guarantees ptr..ptr+len is readable.
    let input = unsafe { std::slice::from_raw_parts(ptr, len) };
    // A malformed request is read as an empty one rather than failing.
    let request: Request = serde_json::from_slice(input).unwrap_or_default();
    let response = ENGINE.with(|e| e.borrow().as_ref().map(|engine| engine.search(&request)));
    match response {
        Some(r) => set_result(serde_json::to_vec(&r).unwrap_or_default()),
        None => {
            set_result(b"no index is open".to_vec());
            -1
        }
    }
}

/// Where the last result is.
#[unsafe(no_mangle)]
pub extern "C" fn insyn_result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

/// How long the last result is.
#[unsafe(no_mangle)]
pub extern "C" fn insyn_result_len() -> usize {
    RESULT.with(|r| r.borrow().len())
}

/// The randomness source getrandom asks for on wasm32-unknown-unknown. Tantivy uses random
/// numbers only to name new segments when writing, which the browser never does, so this
/// reports "unsupported" instead of pulling in a JavaScript bridge.
///
/// # Safety
/// Called by getrandom with a writable `dest` of `len` bytes; it writes nothing.
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
unsafe extern "Rust" fn __getrandom_v03_custom(
    _dest: *mut u8,
    _len: usize,
) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
