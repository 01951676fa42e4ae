//! Index files read block by block: the postings (`.idx`) and positions (`.pos`) of an index
//! are most of its bytes, and a search needs only the few blocks its terms lie in.
//!
//! At build time [`split`] cuts each such file into [`BLOCK_SIZE`] blocks, which go into its
//! segment's packs as pieces ([`crate::packs`]). The few bytes that opening the index reads
//! (the footers at the end of both files, and the 8-byte head of each field's section of the
//! postings) are also kept in the bundle. The blocks are fetched as searches need them:
//! before a search runs, the engine looks its terms up in the term dictionary (in the bundle)
//! and asks [`Blocks::need`] which blocks their postings and positions lie in, so that one
//! round of downloads brings them all. A read of a block that is still missing fails and is
//! recorded ([`Blocks::take_missing`]): a safety net for queries whose terms are not known in
//! advance (typo tolerance), at the cost of another round.
//!
//! The layout of the two files is tantivy's (0.27): each ends with tantivy's footer (JSON,
//! its length and a magic number) before which a composite footer lists where each field's
//! section starts. A file laid out otherwise is simply kept whole in the bundle.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};
use tantivy::HasLen;
use tantivy::directory::{FileHandle, OwnedBytes};

use crate::packs::{PieceId, Pieces};

/// Bytes a block holds (the last block of a file holds the rest).
pub const BLOCK_SIZE: usize = 2 * 1024;

/// Bytes at the start of each field's section of a postings file that opening reads (the
/// field's token count).
const POSTINGS_HEAD: usize = 8;

/// Tantivy's footer magic number.
const FOOTER_MAGIC: u32 = 1337;

/// How a file read block by block is laid out (in the bundle's header).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LazyFile {
    pub len: u64,
    /// Field id → where the field's section starts in the file.
    pub sections: BTreeMap<u32, u64>,
    /// The byte ranges kept in the bundle (under [`bundled_name`]): what opening reads.
    pub kept: Vec<(u64, u64)>,
    /// Its blocks are pieces `first..` of its segment's packs, one per [`BLOCK_SIZE`] bytes.
    pub first: u64,
}

/// Whether tantivy file `name` is read block by block.
pub fn is_lazy(name: &str) -> bool {
    name.ends_with(".idx") || name.ends_with(".pos")
}

/// The name under which the bytes of `file` from `start` are kept in the bundle.
pub fn bundled_name(file: &str, start: u64) -> String {
    format!("{file}@{start}")
}

/// A file cut into blocks.
pub struct Split {
    pub layout: LazyFile,
    /// The bytes kept in the bundle: (bundled name, bytes).
    pub bundled: Vec<(String, Vec<u8>)>,
    /// The blocks fetched on demand, in order.
    pub blocks: Vec<Vec<u8>>,
}

/// Cuts tantivy file `name` into blocks; `None` when its layout is not the expected one (it
/// is then kept whole). The layout's `first` is left 0 for the caller, who places the blocks
/// among its segment's pieces.
pub fn split(name: &str, bytes: &[u8]) -> Option<Split> {
    let (sections, footer) = layout(bytes)?;
    let mut kept = vec![(footer, bytes.len())];
    if name.ends_with(".idx") {
        kept.extend(
            sections
                .values()
                .map(|&start| (start as usize, (start as usize + POSTINGS_HEAD).min(footer))),
        );
    }
    kept.sort_unstable();
    // Touching ranges become one (fields without postings share a start).
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in kept {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    Some(Split {
        layout: LazyFile {
            len: bytes.len() as u64,
            sections,
            kept: merged.iter().map(|&(s, e)| (s as u64, e as u64)).collect(),
            first: 0,
        },
        bundled: merged
            .iter()
            .map(|&(s, e)| (bundled_name(name, s as u64), bytes[s..e].to_vec()))
            .collect(),
        blocks: bytes.chunks(BLOCK_SIZE).map(<[u8]>::to_vec).collect(),
    })
}

/// The blocks a byte range lies in.
fn blocks_of(range: &Range<usize>) -> Range<usize> {
    if range.is_empty() {
        return 0..0;
    }
    range.start / BLOCK_SIZE..(range.end - 1) / BLOCK_SIZE + 1
}

/// Where each field's section starts, and where the composite footer starts.
pub(crate) fn layout(bytes: &[u8]) -> Option<(BTreeMap<u32, u64>, usize)> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let len = bytes.len();
    if u32_at(len.checked_sub(4)?)? != FOOTER_MAGIC {
        return None;
    }
    let body_end = len.checked_sub(8)?.checked_sub(u32_at(len - 8)? as usize)?;
    let footer_start = body_end
        .checked_sub(4)?
        .checked_sub(u32_at(body_end.checked_sub(4)?)? as usize)?;
    let mut footer = bytes.get(footer_start..body_end - 4)?;
    let fields = vint(&mut footer)?;
    let mut sections = BTreeMap::new();
    let mut offset = 0u64;
    for _ in 0..fields {
        offset += vint(&mut footer)?;
        let field = u32::from_le_bytes(footer.get(..4)?.try_into().ok()?);
        footer = &footer[4..];
        let idx = vint(&mut footer)?;
        if idx == 0 && offset <= footer_start as u64 {
            sections.insert(field, offset);
        }
    }
    Some((sections, footer_start))
}

/// Reads one of tantivy's variable-length integers (7 bits a byte, the last byte marked).
fn vint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 127) << (7 * i);
        if b >= 128 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

/// The files of an opened bundle that are read block by block.
pub struct Blocks {
    files: HashMap<String, Arc<LazyHandle>>,
    /// The same handles, in file order (a few per segment).
    handles: Vec<Arc<LazyHandle>>,
    /// Blocks that reads found missing since the last [`Blocks::take_missing`].
    missing: Arc<Mutex<Vec<PieceId>>>,
    /// The index's pieces, to name the missing ones.
    pieces: Arc<Pieces>,
}

impl Blocks {
    /// The lazily read files laid out as `layouts`; `bundled` gives the bytes of a block kept
    /// in the bundle by its bundled name, `pieces` where their blocks lie.
    pub fn new(
        layouts: &BTreeMap<String, LazyFile>,
        bundled: impl Fn(&str) -> Option<OwnedBytes>,
        pieces: Arc<Pieces>,
    ) -> Result<Blocks, String> {
        let mut blocks = Blocks {
            files: HashMap::new(),
            handles: Vec::new(),
            missing: Arc::default(),
            pieces,
        };
        for (file, layout) in layouts {
            let len = usize::try_from(layout.len).map_err(|_| format!("{file} is too large"))?;
            let count = len.div_ceil(BLOCK_SIZE);
            let outside = || format!("{file}: its blocks are not in its segment's packs");
            let first = blocks
                .pieces
                .block(file, layout.first)
                .ok_or_else(outside)?;
            let last = (count as u64)
                .checked_sub(1)
                .map(|l| layout.first.saturating_add(l));
            if last.is_some_and(|last| blocks.pieces.block(file, last).is_none()) {
                return Err(outside());
            }
            let mut kept = Vec::with_capacity(layout.kept.len());
            for &(start, end) in &layout.kept {
                let bytes = bundled(&bundled_name(file, start))
                    .filter(|b| start <= end && b.len() as u64 == end - start && end <= layout.len)
                    .ok_or_else(|| format!("{file}: bytes from {start} are not in the bundle"))?;
                kept.push((start as usize..end as usize, bytes));
            }
            let handle = Arc::new(LazyHandle {
                len,
                sections: layout.sections.clone(),
                kept,
                blocks: (0..count).map(|_| OnceLock::new()).collect(),
                first,
                missing: Arc::clone(&blocks.missing),
            });
            // Two files' blocks never share a piece (the header may be damaged).
            if blocks.handles.iter().any(|h| h.overlaps(&handle)) {
                return Err(format!("{file}: a block shared with another file"));
            }
            blocks.handles.push(Arc::clone(&handle));
            blocks.files.insert(file.clone(), handle);
        }
        Ok(blocks)
    }

    /// The file handle of lazily read file `name`.
    pub fn handle(&self, name: &str) -> Option<Arc<dyn FileHandle>> {
        self.files
            .get(name)
            .map(|h| Arc::clone(h) as Arc<dyn FileHandle>)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Adds a fetched block, `piece` (inflated, its seal checked and taken off); `Ok(false)`
    /// when it is no block of this index, an error when its length does not fit.
    pub fn add(&self, piece: PieceId, block: &[u8]) -> Result<bool, String> {
        let found = self.handles.iter().find_map(|h| Some((h, h.block(piece)?)));
        let Some((handle, n)) = found else {
            return Ok(false);
        };
        handle.set(n, OwnedBytes::new(block.to_vec()))?;
        Ok(true)
    }

    /// The names of the blocks not yet loaded that reading a term of field `field` in
    /// segment `segment` needs: its postings (`postings`, relative to the field's postings)
    /// and, when given, its positions.
    pub fn need(
        &self,
        segment: &str,
        field: u32,
        postings: Range<usize>,
        positions: Option<Range<usize>>,
    ) -> Vec<String> {
        let mut missing = Vec::new();
        let mut add = |ext: &str, head: usize, range: Range<usize>| {
            let Some(file) = self.files.get(&format!("{segment}.{ext}")) else {
                return;
            };
            let Some(&start) = file.sections.get(&field) else {
                return;
            };
            // Saturating: the sections come from the bundle, which may be damaged.
            let start = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .saturating_add(head);
            let at = |offset: usize| start.saturating_add(offset).min(file.len);
            let range = at(range.start)..at(range.end);
            missing.extend(file.absent(&range).map(|piece| self.pieces.name(piece)));
        };
        add("idx", POSTINGS_HEAD, postings);
        if let Some(positions) = positions {
            add("pos", 0, positions);
        }
        missing
    }

    /// The names of the blocks that reads found missing since the last call.
    pub fn take_missing(&self) -> Vec<String> {
        let mut missing = self.missing.lock().unwrap_or_else(PoisonError::into_inner);
        let missing = std::mem::take(&mut *missing);
        missing.into_iter().map(|p| self.pieces.name(p)).collect()
    }

    /// How many blocks the index has that are fetched on demand, and how many are loaded.
    pub fn counts(&self) -> (usize, usize) {
        let blocks = self.handles.iter().flat_map(|h| &h.blocks);
        let loaded = blocks.clone().filter(|b| b.get().is_some()).count();
        (blocks.count(), loaded)
    }
}

/// A file whose blocks arrive over time.
struct LazyHandle {
    len: usize,
    sections: BTreeMap<u32, u64>,
    /// Byte ranges that came in the bundle.
    kept: Vec<(Range<usize>, OwnedBytes)>,
    blocks: Vec<OnceLock<OwnedBytes>>,
    /// The piece of its first block (the others follow it).
    first: PieceId,
    missing: Arc<Mutex<Vec<PieceId>>>,
}

impl std::fmt::Debug for LazyHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "LazyHandle({} bytes, {} blocks)",
            self.len,
            self.blocks.len()
        )
    }
}

impl LazyHandle {
    fn set(&self, n: usize, bytes: OwnedBytes) -> Result<(), String> {
        let expected = BLOCK_SIZE.min(self.len - n * BLOCK_SIZE);
        if bytes.len() != expected {
            return Err(format!(
                "an index block of {} bytes where {expected} were expected",
                bytes.len()
            ));
        }
        // A block added twice is the same bytes (its seal held both times).
        let _ = self.blocks[n].set(bytes);
        Ok(())
    }

    /// The piece of block `n`.
    fn piece(&self, n: usize) -> PieceId {
        self.first.plus(n)
    }

    /// Which of its blocks `piece` is, if any.
    fn block(&self, piece: PieceId) -> Option<usize> {
        let n = piece.after(self.first)?;
        (n < self.blocks.len()).then_some(n)
    }

    /// Whether its blocks and `other`'s share a piece: two runs of pieces do when one
    /// starts within the other.
    fn overlaps(&self, other: &LazyHandle) -> bool {
        other.block(self.first).is_some() || self.block(other.first).is_some()
    }

    /// The pieces of the blocks of `range` that are not loaded.
    fn absent(&self, range: &Range<usize>) -> impl Iterator<Item = PieceId> + '_ {
        blocks_of(range)
            .filter(|&n| self.blocks[n].get().is_none())
            .map(|n| self.piece(n))
    }

    /// `range`, when it lies within bytes that came in the bundle.
    fn kept(&self, range: &Range<usize>) -> Option<OwnedBytes> {
        self.kept
            .iter()
            .find(|(kept, _)| kept.start <= range.start && range.end <= kept.end)
            .map(|(kept, bytes)| bytes.slice(range.start - kept.start..range.end - kept.start))
    }
}

impl HasLen for LazyHandle {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for LazyHandle {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("read {range:?} beyond {} bytes", self.len),
            ));
        }
        if let Some(bytes) = self.kept(&range) {
            return Ok(bytes);
        }
        let mut absent = self.absent(&range).peekable();
        if absent.peek().is_some() {
            let mut missing = self.missing.lock().unwrap_or_else(PoisonError::into_inner);
            // Each once, in the order reads found them (a search misses a few).
            for piece in absent {
                if !missing.contains(&piece) {
                    missing.push(piece);
                }
            }
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "an index block is not loaded yet",
            ));
        }
        let block = |n: usize| self.blocks[n].get().expect("checked above");
        let blocks = blocks_of(&range);
        if blocks.len() == 1 {
            let offset = blocks.start * BLOCK_SIZE;
            return Ok(block(blocks.start).slice(range.start - offset..range.end - offset));
        }
        let mut out = Vec::with_capacity(range.len());
        for n in blocks {
            let offset = n * BLOCK_SIZE;
            let bytes = block(n).as_slice();
            let from = range.start.max(offset) - offset;
            let to = range.end.min(offset + bytes.len()) - offset;
            out.extend_from_slice(&bytes[from..to]);
        }
        Ok(OwnedBytes::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::SegmentHeader;
    use crate::packs::Pack;

    /// A file laid out as tantivy writes a composite file: two field sections, the composite
    /// footer, tantivy's footer.
    fn composite(sizes: &[usize]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut starts = Vec::new();
        for (i, &size) in sizes.iter().enumerate() {
            starts.push(bytes.len());
            // Bytes that do not repeat from block to block (equal blocks share a name).
            bytes.extend((0..size).map(|j| ((i * 7 + j).wrapping_mul(2_654_435_761) >> 13) as u8));
        }
        let footer_start = bytes.len();
        bytes.push(sizes.len() as u8 | 128);
        let mut previous = 0;
        for (field, &start) in starts.iter().enumerate() {
            let mut delta = start - previous;
            previous = start;
            while delta >= 128 {
                bytes.push((delta % 128) as u8);
                delta /= 128;
            }
            bytes.push(delta as u8 | 128);
            bytes.extend((field as u32).to_le_bytes());
            bytes.push(128);
        }
        let footer_len = (bytes.len() - footer_start) as u32;
        bytes.extend(footer_len.to_le_bytes());
        let json = br#"{"version":{},"crc":1}"#;
        bytes.extend(json);
        bytes.extend((json.len() as u32).to_le_bytes());
        bytes.extend(FOOTER_MAGIC.to_le_bytes());
        bytes
    }

    /// The blocks of `split` (of file `<segment>.<ext>`) opened as the only pieces of their
    /// segment's one pack, and the piece, name and bytes of each.
    fn opened(file: &str, split: Split) -> (Blocks, Vec<(PieceId, String, Vec<u8>)>) {
        let segment = file.split('.').next().unwrap();
        let lengths = split.blocks.iter().map(|b| b.len() as u64).collect();
        let header = SegmentHeader {
            packs: vec![Pack("pack.p.bin".into(), lengths)],
            ..SegmentHeader::default()
        };
        let pieces = Pieces::new(&BTreeMap::from([(segment.to_string(), header)])).unwrap();
        let pieces = Arc::new(pieces);
        let named = pieces
            .ids()
            .zip(split.blocks)
            .map(|(id, bytes)| (id, pieces.name(id), bytes))
            .collect();
        let bundled: HashMap<String, Vec<u8>> = split.bundled.into_iter().collect();
        let layouts = BTreeMap::from([(file.to_string(), split.layout)]);
        let blocks = Blocks::new(
            &layouts,
            |n| bundled.get(n).cloned().map(OwnedBytes::new),
            pieces,
        )
        .expect("opens");
        (blocks, named)
    }

    #[test]
    fn files_are_cut_and_read_back_across_blocks() {
        let bytes = composite(&[BLOCK_SIZE * 2 + 100, BLOCK_SIZE / 2]);
        let split = split("s.idx", &bytes).expect("a composite file");
        let second = (BLOCK_SIZE * 2 + 100) as u64;
        assert_eq!(split.layout.sections[&0], 0);
        assert_eq!(split.layout.sections[&1], second);
        // Kept: each field's head, and the footers.
        let footer = second + (BLOCK_SIZE / 2) as u64;
        assert_eq!(
            split.layout.kept,
            [(0, 8), (second, second + 8), (footer, bytes.len() as u64)]
        );
        assert_eq!(split.blocks.len(), 3);
        let (blocks, pieces) = opened("s.idx", split);
        let file = blocks.handle("s.idx").expect("lazy");
        assert_eq!(file.len(), bytes.len());
        // What opening reads is there at once.
        assert_eq!(file.read_bytes(0..8).unwrap().as_slice(), &bytes[..8]);
        let tail = bytes.len() - 8..bytes.len();
        assert_eq!(
            file.read_bytes(tail.clone()).unwrap().as_slice(),
            &bytes[tail]
        );
        // Reading across blocks 0 and 1 fails and names both.
        let across = BLOCK_SIZE - 10..BLOCK_SIZE + 10;
        assert!(file.read_bytes(across.clone()).is_err());
        assert_eq!(
            blocks.take_missing(),
            [pieces[0].1.clone(), pieces[1].1.clone()]
        );
        assert_eq!(blocks.counts(), (3, 0));
        for (piece, _, block) in &pieces[..2] {
            assert!(blocks.add(*piece, block).unwrap());
        }
        assert_eq!(blocks.counts(), (3, 2));
        assert_eq!(
            file.read_bytes(across.clone()).unwrap().as_slice(),
            &bytes[across]
        );
        assert!(
            file.read_bytes(0..bytes.len()).is_err(),
            "block 2 is still missing"
        );
        assert_eq!(blocks.take_missing(), [pieces[2].1.clone()]);
        let (last, _, block) = &pieces[2];
        assert!(blocks.add(*last, &block[1..]).is_err(), "a short block");
        assert!(blocks.add(*last, block).unwrap());
        assert_eq!(
            file.read_bytes(0..bytes.len()).unwrap().as_slice(),
            &bytes[..]
        );
        assert!(blocks.take_missing().is_empty());
    }

    #[test]
    fn need_names_the_blocks_of_a_terms_postings() {
        let bytes = composite(&[BLOCK_SIZE * 3, 100]);
        let (blocks, pieces) = opened("seg.idx", split("seg.idx", &bytes).unwrap());
        // Field 0's postings 10 bytes into block 1 (after the field's 8-byte head).
        let in_second = BLOCK_SIZE + 2..BLOCK_SIZE + 12;
        assert_eq!(
            blocks.need("seg", 0, in_second.clone(), None),
            [pieces[1].1.clone()]
        );
        assert_eq!(blocks.need("seg", 0, 0..10, None), [pieces[0].1.clone()]);
        assert!(blocks.need("other", 0, in_second, None).is_empty());
    }

    #[test]
    fn files_sharing_blocks_are_refused() {
        let bytes = composite(&[BLOCK_SIZE * 2]);
        let (idx, pos) = (
            split("s.idx", &bytes).unwrap(),
            split("s.pos", &bytes).unwrap(),
        );
        let mut bundled: HashMap<String, Vec<u8>> = idx.bundled.into_iter().collect();
        bundled.extend(pos.bundled);
        let header = SegmentHeader {
            packs: vec![Pack("pack.p.bin".into(), vec![10; 5])],
            ..SegmentHeader::default()
        };
        let pieces = Arc::new(Pieces::new(&BTreeMap::from([("s".to_string(), header)])).unwrap());
        let open = |idx_first, pos_first| {
            let mut layouts = BTreeMap::new();
            for (file, layout, first) in [
                ("s.idx", &idx.layout, idx_first),
                ("s.pos", &pos.layout, pos_first),
            ] {
                layouts.insert(
                    file.to_string(),
                    LazyFile {
                        first,
                        ..layout.clone()
                    },
                );
            }
            Blocks::new(
                &layouts,
                |n| bundled.get(n).cloned().map(OwnedBytes::new),
                Arc::clone(&pieces),
            )
        };
        // Three blocks each: pieces 0-2 and 2-4 share piece 2.
        assert!(open(0, 2).is_err());
        assert!(open(2, 0).is_err());
        assert!(
            open(0, 3).is_err(),
            "3 blocks from piece 3 run past the pack"
        );
        let pieces_of_five = Arc::new(
            Pieces::new(&BTreeMap::from([(
                "s".to_string(),
                SegmentHeader {
                    packs: vec![Pack("pack.p.bin".into(), vec![10; 6])],
                    ..SegmentHeader::default()
                },
            )]))
            .unwrap(),
        );
        let mut layouts = BTreeMap::new();
        layouts.insert(
            "s.idx".to_string(),
            LazyFile {
                first: 0,
                ..idx.layout.clone()
            },
        );
        layouts.insert(
            "s.pos".to_string(),
            LazyFile {
                first: 3,
                ..pos.layout.clone()
            },
        );
        assert!(
            Blocks::new(
                &layouts,
                |n| bundled.get(n).cloned().map(OwnedBytes::new),
                pieces_of_five
            )
            .is_ok()
        );
    }

    #[test]
    fn blocks_outside_their_segments_packs_are_refused() {
        let bytes = composite(&[BLOCK_SIZE * 2]);
        let mut split = split("s.idx", &bytes).unwrap();
        split.layout.first = 1; // one block past the pack's pieces
        let header = SegmentHeader {
            packs: vec![Pack("pack.p.bin".into(), vec![10; 3])],
            ..SegmentHeader::default()
        };
        let pieces = Pieces::new(&BTreeMap::from([("s".to_string(), header)])).unwrap();
        let bundled: HashMap<String, Vec<u8>> = split.bundled.into_iter().collect();
        let layouts = BTreeMap::from([("s.idx".to_string(), split.layout)]);
        let opened = Blocks::new(
            &layouts,
            |n| bundled.get(n).cloned().map(OwnedBytes::new),
            Arc::new(pieces),
        );
        assert!(opened.is_err());
    }

    #[test]
    fn other_layouts_are_kept_whole() {
        assert!(split("x.idx", b"not a tantivy file").is_none());
        assert!(split("x.idx", &[]).is_none());
        let mut bytes = composite(&[10]);
        let n = bytes.len();
        bytes[n - 8] = 255; // a footer length beyond the file
        assert!(split("x.idx", &bytes).is_none());
    }

    #[test]
    fn blocks_of_ranges() {
        assert_eq!(blocks_of(&(0..0)), 0..0);
        assert_eq!(blocks_of(&(0..1)), 0..1);
        assert_eq!(blocks_of(&(BLOCK_SIZE - 1..BLOCK_SIZE + 1)), 0..2);
        assert_eq!(blocks_of(&(BLOCK_SIZE..2 * BLOCK_SIZE)), 1..2);
    }
}
