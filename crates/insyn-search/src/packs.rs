//! Packs: the pieces of an index that searches fetch as they need them (the index blocks of
//! their words, [`crate::blocks`], and the text chunks of their hits) stored one after
//! another in a few large files, and fetched by HTTP range.
//!
//! A file per block and per chunk made most of a large site's files (4,763 under `search/` at
//! 2,000 audits), and static hosts limit files (Cloudflare Pages: 20,000). Each segment's
//! pieces, its blocks first and then its text chunks, go into one pack
//! (`pack.<hash>.bin`, content-named, so cacheable forever; a new pack starts where one would
//! pass [`PACK_BYTES`]). The bundle's header lists each segment's packs with the stored
//! length of every piece ([`Pack`]), so a piece is a byte range of a pack, and its name says
//! which: `<pack>@<start>+<length>` ([`PieceRef`]). The engine names the pieces it misses;
//! the browser's worker fetches them with `Range` headers (a server that ignores them sends
//! the whole pack, which is then kept and sliced); the command line slices the pack files.
//!
//! A piece is stored sealed ([`seal`]: a hash of its bytes and its place before them) and
//! then deflate-compressed in zlib's format: a request with a `Range` header is sent with
//! `Accept-Encoding: identity`, so the host's compression no longer applies, and the
//! passages' texts compress about 2.5 times. The browser inflates with its own
//! `DecompressionStream("deflate")`, natively [`inflate`] does (so the WebAssembly engine
//! carries no decompressor); the engine is handed the inflated bytes and checks their seal
//! ([`unseal`]), so a damaged range is reported as damage, as a damaged file was.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::bundle::{SegmentHeader, content_hash};

/// Bytes a pack holds at most, unless one piece alone is larger.
///
/// Small on purpose: Cloudflare Pages answers a range request with the whole file (`200`;
/// cloudflare/workers-sdk#3861, open in 2026), and the worker then keeps the whole pack. At
/// 16 KiB a piece costs at most one 16 KiB download on such a host, while the packs still
/// cut the files under `search/` about fivefold (2,000 audits: 4,763 files before packs).
pub const PACK_BYTES: usize = 16 * 1024;

/// One pack of a segment, as the bundle's header lists it: its file name and the stored
/// length of each piece it holds, in order (`["pack.<hash>.bin", [812, 2345, …]]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack(pub String, pub Vec<u64>);

/// Where a piece lies: `len` bytes of pack file `pack` from `start`. Its name, what the
/// engine lists as missing and is handed back with the bytes, is `<pack>@<start>+<len>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PieceRef<'a> {
    pub pack: &'a str,
    pub start: u64,
    pub len: u64,
}

impl<'a> PieceRef<'a> {
    /// Reads a piece's name; `None` when it is not one.
    pub fn parse(name: &'a str) -> Option<PieceRef<'a>> {
        let (pack, range) = name.rsplit_once('@')?;
        let (start, len) = range.split_once('+')?;
        let number = |s: &str| -> Option<u64> {
            let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| s.parse().ok()).flatten()
        };
        Some(PieceRef {
            pack,
            start: number(start)?,
            len: number(len)?,
        })
    }

    /// The piece's bytes in the whole pack `bytes`: cut short (or empty) when the pack is
    /// shorter than the header says, so that reading them fails as damage.
    pub fn slice(self, bytes: &[u8]) -> &[u8] {
        let at = |offset: u64| usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
        &bytes[at(self.start)..at(self.start.saturating_add(self.len))]
    }
}

impl fmt::Display for PieceRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}+{}", self.pack, self.start, self.len)
    }
}

/// A piece of an opened index: its segment (an index into the segments in header order)
/// and its number among the segment's pieces. Names are made from it only when needed: an
/// index has thousands of pieces, and opening it must stay quick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PieceId {
    segment: u32,
    n: u32,
}

impl PieceId {
    /// The piece `n` places after this one in its segment (a file's blocks follow each
    /// other; [`Pieces`] checked they lie in the segment when it opened the file).
    pub fn plus(self, n: usize) -> PieceId {
        PieceId {
            segment: self.segment,
            n: self.n.saturating_add(u32::try_from(n).unwrap_or(u32::MAX)),
        }
    }

    /// How many places this piece is after `first`, when both are of one segment.
    pub fn after(self, first: PieceId) -> Option<usize> {
        let n = self.n.checked_sub(first.n)?;
        (self.segment == first.segment).then_some(n as usize)
    }
}

/// The pieces of an opened index, resolved from its header: per segment, its index blocks
/// (the first pieces) and its text chunks (the last `chunks`), and where each lies.
#[derive(Debug, Default)]
pub struct Pieces {
    segments: Vec<SegmentPieces>,
    /// Pack name → its segment and its place among the segment's packs. A national
    /// collection has tens of thousands of packs: looking names up by scanning them made
    /// opening quadratic (10,000 audits: 6,115 packs, half of the opening's time).
    by_name: HashMap<String, (u32, u32)>,
}

/// One segment's pieces.
#[derive(Debug)]
struct SegmentPieces {
    id: String,
    packs: Vec<PackPieces>,
    /// How many pieces it has, and how many of them are index blocks.
    count: u32,
    blocks: u32,
}

/// The pieces of one pack.
#[derive(Debug)]
struct PackPieces {
    name: String,
    /// The number of its first piece among its segment's.
    first: u32,
    /// Where each of its pieces starts, then where the last ends.
    starts: Vec<u64>,
}

impl Pieces {
    /// The pieces of `segments`; an error when a segment's packs hold fewer pieces than it
    /// has text chunks, or a pack is listed twice.
    pub fn new(segments: &BTreeMap<String, SegmentHeader>) -> Result<Pieces, String> {
        let mut pieces = Pieces::default();
        for (id, segment) in segments {
            let mut packs = Vec::with_capacity(segment.packs.len());
            let mut count = 0u32;
            let place = u32::try_from(pieces.segments.len()).map_err(|e| e.to_string())?;
            for Pack(name, lengths) in &segment.packs {
                let mut starts = Vec::with_capacity(lengths.len() + 1);
                starts.push(0u64);
                for &len in lengths {
                    starts.push(starts[starts.len() - 1].saturating_add(len));
                }
                let at = u32::try_from(packs.len()).map_err(|e| e.to_string())?;
                if pieces.by_name.insert(name.clone(), (place, at)).is_some() {
                    return Err(format!("{name} is listed twice"));
                }
                packs.push(PackPieces {
                    name: name.clone(),
                    first: count,
                    starts,
                });
                count = u32::try_from(lengths.len())
                    .ok()
                    .and_then(|n| count.checked_add(n))
                    .ok_or_else(|| format!("segment {id}: too many pieces"))?;
            }
            let blocks = count.checked_sub(segment.chunks).ok_or_else(|| {
                format!("segment {id}: its packs hold fewer pieces than it has text chunks")
            })?;
            pieces.segments.push(SegmentPieces {
                id: id.clone(),
                packs,
                count,
                blocks,
            });
        }
        Ok(pieces)
    }

    /// Pack `name`: its segment, and the pack.
    fn pack(&self, name: &str) -> Option<(u32, &PackPieces)> {
        let &(segment, pack) = self.by_name.get(name)?;
        Some((
            segment,
            &self.segments[segment as usize].packs[pack as usize],
        ))
    }

    fn segment(&self, id: &str) -> Option<(u32, &SegmentPieces)> {
        (0u32..).zip(&self.segments).find(|(_, s)| s.id == id)
    }

    /// Index block `n` of its segment's pieces, for tantivy file `file` (`<segment
    /// id>.<ext>`); `None` when the segment has no such block.
    pub fn block(&self, file: &str, n: u64) -> Option<PieceId> {
        let (segment, pieces) = self.segment(file.rsplit_once('.')?.0)?;
        let n = u32::try_from(n).ok().filter(|&n| n < pieces.blocks)?;
        Some(PieceId { segment, n })
    }

    /// Text chunk `n` of segment `segment`.
    pub fn chunk(&self, segment: &str, n: u32) -> Option<PieceId> {
        let (segment, pieces) = self.segment(segment)?;
        let n = pieces.blocks.checked_add(n).filter(|&n| n < pieces.count)?;
        Some(PieceId { segment, n })
    }

    /// The piece named `name` (see [`PieceRef`]).
    pub fn id(&self, name: &str) -> Option<PieceId> {
        let piece = PieceRef::parse(name)?;
        let (segment, pack) = self.pack(piece.pack)?;
        let at = pack.starts.binary_search(&piece.start).ok()?;
        let end = pack.starts.get(at + 1)?;
        let n = pack.first.checked_add(u32::try_from(at).ok()?)?;
        (end - piece.start == piece.len).then_some(PieceId { segment, n })
    }

    /// The name of piece `id`: `<pack>@<start>+<length>`.
    pub fn name(&self, id: PieceId) -> String {
        let packs = &self.segments[id.segment as usize].packs;
        // The last pack starting at or before the piece (packs are in order of `first`).
        let pack = packs
            .partition_point(|p| p.first <= id.n)
            .checked_sub(1)
            .map(|at| &packs[at])
            .expect("a piece of the index lies in a pack");
        let at = (id.n - pack.first) as usize;
        PieceRef {
            pack: &pack.name,
            start: pack.starts[at],
            len: pack.starts[at + 1] - pack.starts[at],
        }
        .to_string()
    }

    /// Whether piece `id` is a text chunk (else an index block).
    pub fn is_chunk(&self, id: PieceId) -> bool {
        id.n >= self.segments[id.segment as usize].blocks
    }

    /// The bytes of piece `id` (inflated) without their seal, when it holds.
    pub fn unseal<'a>(&self, id: PieceId, sealed: &'a [u8]) -> Result<&'a [u8], String> {
        unseal(
            &self.segments[id.segment as usize].id,
            id.n as usize,
            sealed,
        )
    }

    /// Every piece.
    pub fn ids(&self) -> impl Iterator<Item = PieceId> {
        (0u32..)
            .zip(&self.segments)
            .flat_map(|(segment, s)| (0..s.count).map(move |n| PieceId { segment, n }))
    }
}

/// What a piece's seal binds its bytes to besides their content: its place, piece `n` of
/// segment `segment`, so that another piece's bytes (sealed too) are not taken for it.
fn place_hash(segment: &str, n: usize) -> u64 {
    content_hash(format!("{segment}/{n}").as_bytes())
}

/// Piece `n` of segment `segment` sealed: a little-endian hash of its bytes and its place,
/// then its bytes, so that a piece can be checked on its own.
pub fn seal(segment: &str, n: usize, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    out.extend_from_slice(&(content_hash(bytes) ^ place_hash(segment, n)).to_le_bytes());
    out.extend_from_slice(bytes);
    out
}

/// The bytes of sealed piece `n` of segment `segment`, when its seal holds.
pub fn unseal<'a>(segment: &str, n: usize, sealed: &'a [u8]) -> Result<&'a [u8], String> {
    let (hash, bytes) = sealed
        .split_first_chunk::<8>()
        .ok_or("it is too short to be a piece of the index")?;
    if u64::from_le_bytes(*hash) == content_hash(bytes) ^ place_hash(segment, n) {
        Ok(bytes)
    } else {
        Err("its bytes do not match its checksum".into())
    }
}

/// Inflates a stored piece (zlib's format), natively; the browser uses its own
/// `DecompressionStream`. Bytes after the compressed data are refused, as the browser does.
#[cfg(feature = "write")]
pub fn inflate(stored: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut decoder = flate2::bufread::ZlibDecoder::new(stored);
    let mut out = Vec::new();
    decoder
        .read_to_end(&mut out)
        .map_err(|e| format!("it does not decompress ({e})"))?;
    if !decoder.get_ref().is_empty() {
        return Err("it does not decompress (bytes after its end)".into());
    }
    Ok(out)
}

/// Reads pieces out of whole pack files (natively: the command line reads the packs from
/// disk, tests from memory), loading each pack once.
pub struct PackReader<F> {
    load: F,
    packs: HashMap<String, Option<Arc<Vec<u8>>>>,
}

impl<F: FnMut(&str) -> Option<Arc<Vec<u8>>>> PackReader<F> {
    /// Reads pack files with `load` (pack file name → its bytes, `None` when it cannot be had).
    pub fn new(load: F) -> PackReader<F> {
        PackReader {
            load,
            packs: HashMap::new(),
        }
    }

    /// The stored bytes of piece `name` (see [`PieceRef::slice`]); `None` when it names no
    /// piece or its pack cannot be had.
    pub fn stored(&mut self, name: &str) -> Option<Vec<u8>> {
        let piece = PieceRef::parse(name)?;
        let load = &mut self.load;
        let pack = self
            .packs
            .entry(piece.pack.to_string())
            .or_insert_with(|| load(piece.pack))
            .as_ref()?;
        Some(piece.slice(pack).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of one segment `s` with packs of these stored lengths, and `chunks` text
    /// chunks.
    fn pieces(packs: &[(&str, Vec<u64>)], chunks: u32) -> Result<Pieces, String> {
        let header = SegmentHeader {
            chunks,
            packs: packs
                .iter()
                .map(|(name, lengths)| Pack(name.to_string(), lengths.clone()))
                .collect(),
            ..SegmentHeader::default()
        };
        Pieces::new(&BTreeMap::from([("s".to_string(), header)]))
    }

    #[test]
    fn pieces_are_named_by_their_byte_ranges_and_read_back() {
        let pieces = pieces(&[("pack.a.bin", vec![3, 5]), ("pack.b.bin", vec![7])], 1).unwrap();
        let names: Vec<String> = pieces.ids().map(|id| pieces.name(id)).collect();
        assert_eq!(
            names,
            ["pack.a.bin@0+3", "pack.a.bin@3+5", "pack.b.bin@0+7"]
        );
        for (id, name) in pieces.ids().zip(&names) {
            assert_eq!(pieces.id(name), Some(id), "{name}");
        }
        for unknown in [
            "pack.a.bin@3+4",
            "pack.a.bin@1+2",
            "pack.a.bin@8+0",
            "pack.c.bin@0+3",
            "x",
        ] {
            assert_eq!(pieces.id(unknown), None, "{unknown}");
        }
        let piece = PieceRef::parse(&names[1]).unwrap();
        assert_eq!((piece.pack, piece.start, piece.len), ("pack.a.bin", 3, 5));
        assert_eq!(piece.slice(b"abcdefghij"), b"defgh");
        assert_eq!(piece.slice(b"abcdef"), b"def", "a short pack cuts it short");
        assert_eq!(piece.slice(b"ab"), b"");
        for bad in [
            "pack.a.bin",
            "pack.a.bin@3",
            "x@1+-2",
            "x@+1",
            "x@1+2 ",
            "x@99999999999999999999+1",
        ] {
            assert_eq!(PieceRef::parse(bad), None, "{bad}");
        }
        let far = PieceRef::parse("x@18446744073709551615+9").unwrap();
        assert_eq!(far.slice(b"abc"), b"");
    }

    #[test]
    fn pieces_of_several_segments_are_found_by_name_and_a_pack_is_one_segments() {
        let segment = |packs: &[(&str, Vec<u64>)]| SegmentHeader {
            packs: packs
                .iter()
                .map(|(name, lengths)| Pack(name.to_string(), lengths.clone()))
                .collect(),
            ..SegmentHeader::default()
        };
        let pieces = Pieces::new(&BTreeMap::from([
            (
                "s".to_string(),
                segment(&[("pack.a.bin", vec![3, 5]), ("pack.b.bin", vec![7])]),
            ),
            (
                "t".to_string(),
                segment(&[("pack.c.bin", vec![2]), ("pack.d.bin", vec![4, 1])]),
            ),
        ]))
        .unwrap();
        let ids: Vec<PieceId> = pieces.ids().collect();
        assert_eq!(ids.len(), 6);
        for id in ids {
            assert_eq!(pieces.id(&pieces.name(id)), Some(id));
        }
        let last = pieces.id("pack.d.bin@4+1").unwrap();
        assert_eq!(last.after(pieces.id("pack.c.bin@0+2").unwrap()), Some(2));
        assert_eq!(pieces.block("t.idx", 2), Some(last));
        let shared = Pieces::new(&BTreeMap::from([
            ("s".to_string(), segment(&[("pack.a.bin", vec![3])])),
            ("t".to_string(), segment(&[("pack.a.bin", vec![3])])),
        ]));
        assert_eq!(shared.unwrap_err(), "pack.a.bin is listed twice");
    }

    #[test]
    fn pieces_are_blocks_then_chunks() {
        let pieces = pieces(&[("pack.s.bin", vec![4, 4, 9])], 1).unwrap();
        let name = |id| pieces.name(id);
        assert_eq!(
            pieces.block("s.idx", 1).map(name).as_deref(),
            Some("pack.s.bin@4+4")
        );
        assert_eq!(pieces.block("s.pos", 2), None, "piece 2 is a text chunk");
        assert_eq!(pieces.block("t.idx", 0), None);
        assert_eq!(
            pieces.chunk("s", 0).map(name).as_deref(),
            Some("pack.s.bin@8+9")
        );
        assert_eq!(pieces.chunk("s", 1), None);
        let chunk = pieces.id("pack.s.bin@8+9").unwrap();
        let block = pieces.id("pack.s.bin@4+4").unwrap();
        assert!(pieces.is_chunk(chunk) && !pieces.is_chunk(block));
        assert_eq!(pieces.ids().count(), 3);
        let sealed = seal("s", 1, b"block");
        assert_eq!(pieces.unseal(block, &sealed), Ok(&b"block"[..]));
        let first = pieces.id("pack.s.bin@0+4").unwrap();
        assert!(
            pieces.unseal(first, &sealed).is_err(),
            "another piece's bytes"
        );
        assert!(super::tests::pieces(&[("pack.s.bin", vec![4])], 2).is_err());
        let twice = [("pack.s.bin", vec![4]), ("pack.s.bin", vec![4])];
        assert!(super::tests::pieces(&twice, 0).is_err());
    }

    #[test]
    fn seals_hold_or_fail() {
        let sealed = seal("s", 3, b"postings");
        assert_eq!(unseal("s", 3, &sealed).unwrap(), b"postings");
        let mut damaged = sealed.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(unseal("s", 3, &damaged).is_err());
        assert!(unseal("s", 4, &sealed).is_err(), "another place");
        assert!(unseal("t", 3, &sealed).is_err(), "another segment");
        assert!(unseal("s", 3, b"short").is_err());
        assert_eq!(unseal("s", 0, &seal("s", 0, b"")).unwrap(), b"");
    }

    #[cfg(feature = "write")]
    #[test]
    fn inflate_refuses_damage_and_trailing_bytes() {
        use std::io::Write;
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(b"some text, some text, some text")
            .unwrap();
        let stored = encoder.finish().unwrap();
        assert_eq!(
            inflate(&stored).unwrap(),
            b"some text, some text, some text"
        );
        assert!(inflate(&[&stored[..], b"x"].concat()).is_err());
        assert!(inflate(&stored[..stored.len() - 1]).is_err());
        let mut damaged = stored.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1; // the Adler-32 checksum
        assert!(inflate(&damaged).is_err());
        assert!(inflate(b"").is_err());
    }
}
