//! The index as one file: what a browser downloads, and what the command line opens.
//!
//! A bundle is `INSYNIX7`, a little-endian `u32` header length, a JSON [`Header`] (the file
//! table, the audits tables, facet labels and where the pieces fetched on demand lie), padding
//! to 8 bytes, then the tantivy files one after the other. [`BundleDirectory`] serves the
//! files as slices of the one buffer, so opening an index copies nothing. The bundle is one
//! plain download; the index blocks and text chunks beside it are fetched by range from
//! their packs ([`crate::packs`]).
//!
//! Every file the engine reads is checked before use, so that a damaged file gives an error
//! rather than wrong answers or a panic deep in tantivy: the bundle carries the
//! [`content_hash`] of its bytes in its name ([`verify_name`]), and each piece of a pack
//! starts with its own ([`crate::packs::seal`]).
//!
//! The check of tantivy's doc stores, which opening does before tantivy reads them, is in
//! `store`.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::Directory;

use crate::blocks::{Blocks, LazyFile};
use crate::packs::{Pack, Pieces};
use crate::schema::name;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

mod store;

pub use store::check_doc_store;

/// The first bytes of every bundle; the digit is the format version.
pub const MAGIC: &[u8; 8] = b"INSYNIX7";

/// An audit as search results show it. In the header, its municipality's and firm's names
/// are the facet labels of its slug and key, and its URL, when it is its segment's pattern
/// with its id, is that pattern ([`SegmentHeader::compact`]): every search downloads the
/// audits tables, and these were a sixth of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing)]
    pub municipality: String,
    pub municipality_slug: String,
    #[serde(default)]
    pub county: Option<String>,
    #[serde(default, skip_serializing)]
    pub auditor: String,
    pub auditor_key: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub report_type: String,
    /// The audit page, root-relative.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// The theme sets its passages have, as rows of its segment's table of theme sets: a
    /// passage's `theme_set` field is an index into this list. Numbered per audit, the
    /// numbers stay small (a few bits a passage) however many sets a segment holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub theme_sets: Vec<u32>,
    /// Question id → question text (only while indexing: chunks carry it to the reader).
    #[serde(default, skip_serializing)]
    pub questions: BTreeMap<String, String>,
}

impl AuditEntry {
    /// The row of the segment's theme sets that a passage of this audit numbered `local`
    /// has.
    pub fn theme_set(&self, local: u64) -> Option<usize> {
        theme_set_row(&self.theme_sets, local)
    }

    /// Its values of the facets that a passage has because of its audit.
    pub fn facets(&self) -> Vec<(&'static str, String)> {
        let mut values = vec![
            (name::MUNICIPALITY, self.municipality_slug.clone()),
            (name::AUDITOR, self.auditor_key.clone()),
            (name::REPORT_TYPE, self.report_type.clone()),
            (name::YEAR, (date_number(&self.date) / 10_000).to_string()),
        ];
        values.extend(self.county.clone().map(|c| (name::COUNTY, c)));
        values
    }
}

/// `YYYY-MM-DD` as the number `YYYYMMDD` (0 when it holds no digits).
pub fn date_number(date: &str) -> u64 {
    let digits: String = date.chars().filter(char::is_ascii_digit).take(8).collect();
    digits.parse().unwrap_or(0)
}

/// Facet value → label, per facet (e.g. `municipality` → `jonkoping` → `Jönköping`).
pub type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// What precedes the index files.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Header {
    /// File name → byte range, relative to the start of the data.
    pub files: FileTable,
    pub labels: Labels,
    pub docs: u64,
    /// Passages a text chunk holds.
    pub chunk_docs: u64,
    /// Per segment (by tantivy segment id): its audits and its packs.
    pub segments: BTreeMap<String, SegmentHeader>,
    /// Tantivy files read block by block, most of their blocks in their segment's packs
    /// ([`crate::blocks`]).
    #[serde(default)]
    pub lazy: BTreeMap<String, LazyFile>,
}

/// What a segment's passages refer to outside the index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentHeader {
    /// The audits of the segment's passages (their `audit` field is an index into it), so
    /// what every passage of one audit shares is stored once.
    pub audits: Vec<AuditEntry>,
    /// The sets of themes its passages have (a passage's is the row its `theme_set` field
    /// names among its audit's [`AuditEntry::theme_sets`]).
    #[serde(default)]
    pub theme_sets: Vec<Vec<String>>,
    /// How many text chunks it has: the last pieces of its packs (passage `p` of the
    /// segment is entry `p % chunk_docs` of chunk `p / chunk_docs`). The texts are kept out
    /// of the index, so a first search downloads the index and then only the chunks its
    /// hits are in.
    pub chunks: u32,
    /// Its packs: its index blocks, then its text chunks ([`crate::packs`]).
    pub packs: Vec<Pack>,
    /// What an audit's URL is before and after its id, when the header leaves the URL out.
    #[serde(default)]
    pub url_before: String,
    #[serde(default)]
    pub url_after: String,
}

impl SegmentHeader {
    /// Leaves out of the audits table what the header says elsewhere (see [`AuditEntry`]):
    /// the URLs that are the pattern of the first audit's URL (what precedes and follows its
    /// id) with their audit's id.
    pub fn compact(&mut self) {
        let pattern = self.audits.iter().find_map(|a| {
            let at = a.url.find(&a.id)?;
            Some((
                a.url[..at].to_string(),
                a.url[at + a.id.len()..].to_string(),
            ))
        });
        let Some((before, after)) = pattern else {
            return;
        };
        for audit in &mut self.audits {
            let rest = audit
                .url
                .strip_prefix(&before)
                .and_then(|r| r.strip_suffix(&after));
            if rest == Some(audit.id.as_str()) {
                audit.url.clear();
            }
        }
        (self.url_before, self.url_after) = (before, after);
    }

    /// Puts back what [`SegmentHeader::compact`] and the writer left out: each audit's URL,
    /// and its municipality's and firm's names from `labels` (their slug and key when
    /// `labels` lacks them).
    pub fn complete(&mut self, labels: &Labels) {
        let label = |facet: &str, value: &str| {
            labels
                .get(facet)
                .and_then(|l| l.get(value))
                .map_or_else(|| value.to_string(), String::clone)
        };
        for audit in &mut self.audits {
            if audit.url.is_empty() {
                audit.url = format!("{}{}{}", self.url_before, audit.id, self.url_after);
            }
            audit.municipality = label(name::MUNICIPALITY, &audit.municipality_slug);
            audit.auditor = label(name::AUDITOR, &audit.auditor_key);
        }
    }
}

/// One text chunk: what only a displayed hit needs, kept out of the index. As JSON:
/// `{"q": [question texts], "p": [passages]}`, sealed as every piece of a pack is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// The texts of its passages' audit questions, each once (many passages share one).
    #[serde(rename = "q")]
    pub questions: Vec<String>,
    #[serde(rename = "p")]
    pub passages: Vec<ChunkEntry>,
}

/// A passage in a text chunk, as a JSON array: its text, its audit question (1 + an index
/// into the chunk's question texts; 0 for none), its anchor on the audit page (an item's
/// id, else the id of the heading whose section holds it), that section's heading (empty
/// for items) and 1 when it is an editorial note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkEntry(
    pub String,
    pub u32,
    pub String,
    pub String,
    #[serde(default)] pub u8,
);

/// A passage as a hit shows it, from its text chunk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// Its audit question's text; empty when none.
    pub question: String,
    pub anchor: String,
    pub section: String,
    pub editorial: bool,
}

impl Chunk {
    /// Passage `n` of the chunk.
    pub fn shown(&self, n: usize) -> Option<Shown> {
        let ChunkEntry(text, question, anchor, section, editorial) = self.passages.get(n)?;
        let question = (*question as usize)
            .checked_sub(1)
            .and_then(|q| self.questions.get(q))
            .cloned()
            .unwrap_or_default();
        Some(Shown {
            text: text.clone(),
            question,
            anchor: anchor.clone(),
            section: section.clone(),
            editorial: *editorial != 0,
        })
    }
}

/// FNV-1a, 64 bits: a small, stable hash for content-hashed file names (not for security).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A fast 64-bit hash of `bytes` for content-hashed file names (8 bytes a step; stable
/// across platforms; not for security).
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let step = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    let mut hash = words.by_ref().fold(bytes.len() as u64, |h, w| {
        step(h, u64::from_le_bytes(w.try_into().expect("8 bytes")))
    });
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = step(hash, u64::from_le_bytes(tail));
    // Murmur3's finaliser spreads the last steps over every bit.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// The hash a content-hashed file name carries: `<stem>.<16 hex digits>.<ext>` (a path's
/// last component); `None` for other names.
pub fn hash_in_name(name: &str) -> Option<u64> {
    let file = name.rsplit(['/', '\\']).next()?;
    let mut parts = file.rsplit('.');
    let (_ext, hex) = (parts.next()?, parts.next()?);
    let hex_digits = hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    (hex_digits && parts.next().is_some())
        .then(|| u64::from_str_radix(hex, 16).ok())
        .flatten()
}

/// Checks bytes against the hash in their content-hashed name (names without one pass).
pub fn verify_name(name: &str, bytes: &[u8]) -> Result<(), String> {
    match hash_in_name(name) {
        Some(hash) if hash != content_hash(bytes) => {
            Err("its bytes do not match the checksum in its name".into())
        }
        _ => Ok(()),
    }
}

/// The row of its segment's theme sets that an audit whose theme sets are `sets` (see
/// [`AuditEntry::theme_sets`]) gives its passages numbered `local`.
pub fn theme_set_row(sets: &[u32], local: u64) -> Option<usize> {
    let row = *sets.get(usize::try_from(local).ok()?)?;
    usize::try_from(row).ok()
}

/// A file table: file name → byte range, relative to the start of the data.
pub type FileTable = BTreeMap<String, (u64, u64)>;

/// Packs tantivy's files into bundle bytes, after the header JSON that `header` writes
/// given the file table (a [`Header`] with that table).
pub fn pack<B: AsRef<[u8]>>(
    files: &BTreeMap<String, B>,
    header: impl FnOnce(FileTable) -> Vec<u8>,
) -> Vec<u8> {
    let mut table = FileTable::new();
    let mut offset = 0u64;
    for (name, bytes) in files {
        let len = bytes.as_ref().len() as u64;
        table.insert(name.clone(), (offset, offset + len));
        offset += len;
    }
    let json = header(table);
    let data: usize = files.values().map(|b| b.as_ref().len()).sum();
    let mut out = Vec::with_capacity(16 + json.len() + data);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    while out.len() % 8 != 0 {
        out.push(0);
    }
    for bytes in files.values() {
        out.extend_from_slice(bytes.as_ref());
    }
    out
}

/// Why bytes are not a bundle.
#[derive(Debug)]
pub struct BundleError(pub String);

impl std::fmt::Display for BundleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a valid Insyn search index: {}", self.0)
    }
}

impl std::error::Error for BundleError {}

/// Reads the header and returns it with the byte range of the data.
pub fn unpack(bytes: &[u8]) -> Result<(Header, Range<usize>), BundleError> {
    if bytes.get(..8) != Some(&MAGIC[..]) {
        return Err(BundleError(
            "wrong magic bytes (not an index of this version of Insyn)".into(),
        ));
    }
    let len = bytes
        .get(8..12)
        .and_then(|b| b.try_into().ok())
        .map_or(usize::MAX, |b| u32::from_le_bytes(b) as usize);
    // Checked: on wasm32 a length near u32::MAX would overflow `usize`.
    let end = 12usize
        .checked_add(len)
        .ok_or_else(|| BundleError("truncated header".into()))?;
    let json = bytes
        .get(12..end)
        .ok_or_else(|| BundleError("truncated header".into()))?;
    let header: Header =
        serde_json::from_slice(json).map_err(|e| BundleError(format!("header: {e}")))?;
    let data_start = end.div_ceil(8).saturating_mul(8);
    if data_start > bytes.len() {
        return Err(BundleError("truncated data".into()));
    }
    let data_len = (bytes.len() - data_start) as u64;
    // `pack` writes the files one after the other in the table's (name) order.
    let mut next = 0;
    for (name, &(start, end)) in &header.files {
        if start > end || end > data_len {
            return Err(BundleError(format!("file {name} lies outside the bundle")));
        }
        if start != next {
            return Err(BundleError(format!(
                "file {name} overlaps or follows a gap"
            )));
        }
        next = end;
    }
    if next != data_len {
        return Err(BundleError("data after the last file".into()));
    }
    Ok((header, data_start..bytes.len()))
}

/// A read-only tantivy directory over a bundle in memory, and the blocks of its lazily read
/// files as they arrive.
#[derive(Clone)]
pub struct BundleDirectory {
    files: Arc<HashMap<PathBuf, OwnedBytes>>,
    blocks: Arc<Blocks>,
}

impl std::fmt::Debug for BundleDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BundleDirectory({} files)", self.files.len())
    }
}

impl BundleDirectory {
    /// Opens `bytes` as a directory; also returns the header, and the pieces its packs hold.
    pub fn open(bytes: OwnedBytes) -> Result<(BundleDirectory, Header, Arc<Pieces>), BundleError> {
        let (header, data) = unpack(bytes.as_slice())?;
        let files: HashMap<PathBuf, OwnedBytes> = header
            .files
            .iter()
            .map(|(name, &(start, end))| {
                let range = data.start + start as usize..data.start + end as usize;
                (PathBuf::from(name), bytes.slice(range))
            })
            .collect();
        for (path, file) in &files {
            if path.extension().is_some_and(|e| e == "store") {
                check_doc_store(file.as_slice())
                    .map_err(|e| BundleError(format!("file {}: {e}", path.display())))?;
            }
        }
        let pieces = Arc::new(Pieces::new(&header.segments).map_err(BundleError)?);
        let blocks = Blocks::new(
            &header.lazy,
            |name| files.get(Path::new(name)).cloned(),
            Arc::clone(&pieces),
        )
        .map_err(BundleError)?;
        Ok((
            BundleDirectory {
                files: Arc::new(files),
                blocks: Arc::new(blocks),
            },
            header,
            pieces,
        ))
    }

    /// The blocks of the lazily read files.
    pub fn blocks(&self) -> Arc<Blocks> {
        Arc::clone(&self.blocks)
    }

    fn get(&self, path: &Path) -> Result<&OwnedBytes, OpenReadError> {
        self.files
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the search index is read-only: {}", path.display()),
    )
}

impl Directory for BundleDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if let Some(handle) = path.to_str().and_then(|p| self.blocks.handle(p)) {
            return Ok(handle);
        }
        Ok(Arc::new(self.get(path)?.clone()))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path) || path.to_str().is_some_and(|p| self.blocks.contains(p)))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        Ok(self.get(path)?.as_slice().to_vec())
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Nothing can write to a bundle, so readers need no real lock.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut files = BTreeMap::new();
        files.insert("meta.json".to_string(), b"{}".to_vec());
        files.insert("a.idx".to_string(), vec![1, 2, 3]);
        let mut header = Header::default();
        header.segments.insert(
            "a".into(),
            SegmentHeader {
                audits: vec![AuditEntry::default()],
                ..SegmentHeader::default()
            },
        );
        let bytes = pack(&files, |files| {
            serde_json::to_vec(&Header { files, ..header }).unwrap()
        });
        let (dir, header, _) = BundleDirectory::open(OwnedBytes::new(bytes)).unwrap();
        assert_eq!(header.segments["a"].audits.len(), 1);
        assert_eq!(dir.atomic_read(Path::new("a.idx")).unwrap(), [1, 2, 3]);
        assert_eq!(dir.atomic_read(Path::new("meta.json")).unwrap(), b"{}");
        assert!(!dir.exists(Path::new("nope")).unwrap());
    }

    #[test]
    fn names_carry_checksums() {
        let bytes = b"some index bytes";
        let name = format!("search/index.{:016x}.bin", content_hash(bytes));
        assert!(verify_name(&name, bytes).is_ok());
        assert!(verify_name(&name, b"some index bytez").is_err());
        assert!(
            verify_name("plain.bin", b"anything").is_ok(),
            "no hash, no check"
        );
        assert_eq!(hash_in_name("index.xyz.bin"), None);
    }

    #[test]
    fn audits_tables_leave_out_what_the_header_says_elsewhere() {
        let audit = |id: &str, url: &str| AuditEntry {
            id: id.into(),
            title: format!("Granskning {id}"),
            municipality: "Örebro".into(),
            municipality_slug: "orebro".into(),
            auditor: "PwC".into(),
            auditor_key: "pwc".into(),
            url: url.into(),
            ..AuditEntry::default()
        };
        let audits = vec![
            audit("a-1", "/insyn/granskning/a-1/"),
            audit("b-2", "/insyn/granskning/b-2/"),
            audit("c-3", "/elsewhere/c-3.html"),
        ];
        let mut segment = SegmentHeader {
            audits: audits.clone(),
            ..SegmentHeader::default()
        };
        segment.compact();
        let json = serde_json::to_string(&segment).unwrap();
        assert!(!json.contains("Örebro") && !json.contains("PwC"), "{json}");
        assert_eq!(json.matches("granskning").count(), 1, "{json}");
        assert!(json.contains("/elsewhere/c-3.html"), "{json}");
        let mut read: SegmentHeader = serde_json::from_str(&json).unwrap();
        let labels = Labels::from([
            (
                "municipality".into(),
                BTreeMap::from([("orebro".into(), "Örebro".into())]),
            ),
            (
                "auditor".into(),
                BTreeMap::from([("pwc".into(), "PwC".into())]),
            ),
        ]);
        read.complete(&labels);
        assert_eq!(read.audits, audits);
        // Without labels, the slug and the key.
        let mut bare: SegmentHeader = serde_json::from_str(&json).unwrap();
        bare.complete(&Labels::new());
        assert_eq!(
            (
                bare.audits[0].municipality.as_str(),
                bare.audits[0].auditor.as_str()
            ),
            ("orebro", "pwc")
        );
        // No URL holds its id: nothing is left out.
        let mut odd = SegmentHeader {
            audits: vec![audit("x", "/granskning/y/")],
            ..SegmentHeader::default()
        };
        odd.compact();
        assert_eq!(odd.audits[0].url, "/granskning/y/");
    }

    #[test]
    fn rejects_garbage() {
        assert!(unpack(b"").is_err());
        assert!(unpack(b"INSYNIX1\xff\xff\xff\xff{}").is_err());
        assert!(unpack(b"NOTABUNDLE").is_err());
        assert!(
            unpack(b"INSYNIX7\xff\xff\xff\xff").is_err(),
            "a header length past the end"
        );
    }
}
