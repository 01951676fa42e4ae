//! Field norms made coarser before they go into the bundle.
//!
//! Tantivy keeps a byte a passage for each scored field: a code for the passage's length in
//! tokens (exact up to 40, then a few per cent apart), from which BM25 favours shorter
//! passages. The norms are in the bundle, so every first search downloads all of them: at
//! 2,000 audits 80 KB brotli, an eighth of a first search. Lengths a few per cent apart rank
//! alike, so the codes are merged into buckets whose longest length is at most [`WIDTH`]
//! times their shortest (exact up to 7 tokens): 52 codes instead of 84 on the passages of
//! 2,000 generated audits, 58 KB brotli instead of 80.
//!
//! A code is rounded up, to its bucket's longest length: a passage then only ever scores
//! lower than when tantivy wrote its postings, so the block maxima in the postings' skip
//! data (which block-max WAND skips by) stay upper bounds, and no hit is skipped wrongly.

use std::sync::OnceLock;

use tantivy::fieldnorm::FieldNormReader;

use crate::blocks;

/// Lengths up to this many tokens keep their own code.
const EXACT: u64 = 7;

/// A bucket's longest length is at most `WIDTH.0 / WIDTH.1` times its shortest. Chosen on
/// the judged queries (`tests/relevance.rs`, passage top-1 90.4 % with exact norms): 8/7
/// ranked them all as exact norms do; 9/8 and 6/5 turned two near-ties into misses, 5/4
/// three (docs/search.md has the sweep).
const WIDTH: (u64, u64) = (8, 7);

/// Coarsens the norms in tantivy file `bytes` (a segment's `.fieldnorm`: every byte before
/// its composite footer is a norm) and updates the checksum in its footer. A file laid out
/// otherwise is left as it is.
pub(super) fn coarsen(bytes: &mut Vec<u8>) {
    let Some((_, norms_end)) = blocks::layout(bytes) else {
        return;
    };
    let codes = codes();
    for code in &mut bytes[..norms_end] {
        *code = codes[usize::from(*code)];
    }
    rewrite_checksum(bytes);
}

/// The code each code becomes.
fn codes() -> &'static [u8; 256] {
    static CODES: OnceLock<[u8; 256]> = OnceLock::new();
    CODES.get_or_init(|| {
        let len = |code: usize| u64::from(FieldNormReader::id_to_fieldnorm(code as u8));
        let mut codes = [0u8; 256];
        let mut start = 0;
        for code in 1..=256 {
            let cut = code == 256
                || len(start) <= EXACT
                || len(code) <= EXACT
                || len(code) * WIDTH.1 > len(start) * WIDTH.0;
            if cut {
                codes[start..code].fill((code - 1) as u8);
                start = code;
            }
        }
        codes
    })
}

/// Sets the CRC32 in the footer of tantivy file `bytes` to that of its body (tantivy does not
/// check it when it opens a file, but a changed file should still be a valid one). Tantivy's
/// footer is JSON, its length (`u32`) and a magic number (`u32`).
fn rewrite_checksum(bytes: &mut Vec<u8>) {
    let Some(json_len) = bytes.len().checked_sub(8).and_then(|at| {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        Some(len)
    }) else {
        return;
    };
    let Some(body_end) = (bytes.len() - 8).checked_sub(json_len) else {
        return;
    };
    let Ok(mut footer) =
        serde_json::from_slice::<serde_json::Value>(&bytes[body_end..][..json_len])
    else {
        return;
    };
    footer["crc"] = crc32fast::hash(&bytes[..body_end]).into();
    let json = footer.to_string();
    let magic = bytes[bytes.len() - 4..].to_vec();
    bytes.truncate(body_end);
    bytes.extend_from_slice(json.as_bytes());
    bytes.extend_from_slice(&(json.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&magic);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(code: u8) -> u32 {
        FieldNormReader::id_to_fieldnorm(code)
    }

    #[test]
    fn codes_round_up_within_a_bucket() {
        let codes = codes();
        for code in 0..=255u8 {
            let to = codes[usize::from(code)];
            assert!(to >= code, "{code} rounded down to {to}");
            assert!(
                u64::from(len(to)) * WIDTH.1 <= u64::from(len(code)) * WIDTH.0,
                "{code} ({} tokens) became {to} ({} tokens)",
                len(code),
                len(to)
            );
            assert_eq!(codes[usize::from(to)], to, "{to} is not its bucket's code");
        }
        let short: Vec<u8> = (0..=7).map(|c| codes[c]).collect();
        assert_eq!(
            short,
            (0..=7).collect::<Vec<u8>>(),
            "short lengths stay exact"
        );
        // Passages are seldom longer than a thousand tokens; up to there, under half the codes.
        let up_to_1000 = (0..=255u8).filter(|&c| len(c) <= 1000);
        let distinct: std::collections::BTreeSet<u8> =
            up_to_1000.clone().map(|c| codes[usize::from(c)]).collect();
        assert!(
            distinct.len() * 2 < up_to_1000.count(),
            "{} codes: not coarser",
            distinct.len()
        );
    }

    #[test]
    fn a_coarsened_file_stays_a_valid_tantivy_file() -> tantivy::Result<()> {
        use tantivy::directory::RamDirectory;
        use tantivy::index::SegmentComponent;
        use tantivy::schema::{Schema, TEXT};
        use tantivy::{Directory, Index, doc};

        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let dir = RamDirectory::create();
        let index = Index::create(dir.clone(), schema.build(), Default::default())?;
        let lengths: [u32; 6] = [1, 5, 8, 13, 30, 100];
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        for n in lengths {
            writer.add_document(doc!(text => vec!["ord"; n as usize].join(" ")))?;
        }
        writer.commit()?;
        let meta = &index.searchable_segment_metas()?[0];
        let path = meta.relative_path(SegmentComponent::FieldNorms);
        let mut bytes = dir.atomic_read(&path)?;
        coarsen(&mut bytes);
        dir.atomic_write(&path, &bytes)?;

        assert!(
            index.validate_checksum()?.is_empty(),
            "checksum not updated"
        );
        let searcher = index.reader()?.searcher();
        let norms = searcher.segment_reader(0).get_fieldnorms_reader(text)?;
        let found: Vec<u32> = (0..lengths.len() as u32)
            .map(|d| norms.fieldnorm(d))
            .collect();
        let expected: Vec<u32> = lengths
            .iter()
            .map(|&n| len(codes()[usize::from(FieldNormReader::fieldnorm_to_id(n))]))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(
            &found[..3],
            &[1, 5, 9],
            "8 tokens read as 9 (the bucket 8-9)"
        );
        Ok(())
    }
}
