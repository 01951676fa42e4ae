//! Checking tantivy's doc stores before tantivy reads them: lengths that tantivy would trust
//! (and allocate by) are checked against the file, so damage gives an error, not an abort.

/// Tantivy's doc store footer: version `u32`, offset of the skip index `u64`, compressor id,
/// 15 reserved bytes (`tantivy/src/store/footer.rs`).
const STORE_FOOTER: usize = 28;

/// An LZ4 block expands at most about 255 times (a match length byte of 255 costs one
/// byte), so a larger uncompressed size in a block's prefix is damage.
const LZ4_MAX_RATIO: u64 = 256;

/// A tantivy varint (7 bits a byte, the last byte with its high bit set), advancing `data`.
fn vint(data: &mut &[u8]) -> Result<u64, String> {
    let mut value = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        value |= u64::from(b & 127) << (7 * i);
        if b >= 128 {
            *data = &data[i + 1..];
            return Ok(value);
        }
    }
    Err("a truncated or overlong number in its skip index".into())
}

/// Checks the structure of a tantivy doc store (`*.store`) before tantivy opens it:
/// tantivy trusts its lengths (a damaged count in the skip index makes it allocate
/// exabytes, which aborts the process rather than panicking), so every count, offset and
/// block size is checked against the bytes that are there (`tantivy/src/store/reader.rs`,
/// `store/index/{skip_index,block}.rs`, `store/compression_lz4_block.rs`).
pub fn check_doc_store(file: &[u8]) -> Result<(), String> {
    let damaged = |what: &str| Err(format!("its doc store is damaged ({what})"));
    // Every tantivy file ends in tantivy's own footer: JSON, its length as a `u32`, and the
    // magic number 1337 as a `u32` (`tantivy/src/directory/footer.rs`).
    let tail = |at: usize| {
        let bytes = file.get(file.len().checked_sub(at)?..)?.get(..4)?;
        Some(u32::from_le_bytes(bytes.try_into().ok()?) as usize)
    };
    let (Some(json_len), Some(1337)) = (tail(8), tail(4)) else {
        return damaged("no tantivy footer");
    };
    let Some(file) = json_len
        .checked_add(8)
        .and_then(|footer| file.len().checked_sub(footer))
        .map(|len| &file[..len])
    else {
        return damaged("a footer longer than the file");
    };
    let Some(body_len) = file.len().checked_sub(STORE_FOOTER) else {
        return damaged("shorter than its footer");
    };
    let footer = &file[body_len..];
    let version = u32::from_le_bytes(footer[..4].try_into().expect("4 bytes"));
    let offset = u64::from_le_bytes(footer[4..12].try_into().expect("8 bytes"));
    let compressor = footer[12];
    if !(1..=2).contains(&version) {
        return damaged("unknown version");
    }
    if compressor > 1 {
        return damaged("unknown compression");
    }
    if offset > body_len as u64 {
        return damaged("skip index outside the file");
    }
    let (data, mut index) = file[..body_len].split_at(offset as usize);
    // The skip index: a count of layers, their end offsets, then the layers, coarsest first.
    let layers = vint(&mut index)?;
    if layers > index.len() as u64 {
        return damaged("more layers than bytes");
    }
    let mut ends = Vec::with_capacity(layers as usize);
    for _ in 0..layers {
        ends.push(vint(&mut index)?);
    }
    let mut start = 0u64;
    let mut slices = Vec::with_capacity(ends.len());
    for end in ends {
        if end < start || end > index.len() as u64 {
            return damaged("a layer outside the skip index");
        }
        slices.push(&index[start as usize..end as usize]);
        start = end;
    }
    for (i, layer) in slices.iter().enumerate() {
        // Each layer's checkpoints point into the next one; the last layer's into the data.
        match slices.get(i + 1) {
            Some(next) => check_layer(layer, next, false)?,
            None => check_layer(layer, data, compressor == 1)?,
        }
    }
    Ok(())
}

/// One skip index layer: blocks of a count, a first doc and a start offset, then per
/// checkpoint its doc count and byte length. Byte ranges must lie in `target`; data blocks
/// compressed with LZ4 (`lz4`) must hold their prefixed uncompressed size.
fn check_layer(mut layer: &[u8], target: &[u8], lz4: bool) -> Result<(), String> {
    let damaged = |what: &str| Err(format!("its doc store is damaged ({what})"));
    // Tantivy reads these as `u32` varints of at most 5 bytes.
    let vint32 = |data: &mut &[u8]| {
        let before = data.len();
        match vint(data)? {
            value if before - data.len() <= 5 && value <= u64::from(u32::MAX) => Ok(value),
            _ => Err("an overlong number in its skip index".to_string()),
        }
    };
    while !layer.is_empty() {
        let count = vint32(&mut layer)?;
        if count == 0 {
            continue;
        }
        // Each checkpoint takes at least two bytes.
        if count > layer.len() as u64 / 2 {
            return damaged("more checkpoints than bytes");
        }
        vint32(&mut layer)?;
        let mut at = vint(&mut layer)?;
        for _ in 0..count {
            vint32(&mut layer)?;
            let len = vint32(&mut layer)?;
            let Some(end) = at
                .checked_add(len)
                .filter(|&end| end <= target.len() as u64)
            else {
                return damaged("a block outside its file");
            };
            let block = &target[at as usize..end as usize];
            if lz4 {
                let size = block
                    .get(..4)
                    .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
                match size {
                    Some(size) if u64::from(size) <= (len - 4) * LZ4_MAX_RATIO + 64 => {}
                    _ => return damaged("a block larger than its compressed bytes can hold"),
                }
            }
            at = end;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_store_lengths_are_checked() {
        let store = |index: &[u8], version: u32, offset: u64| {
            let mut file = index.to_vec();
            file.extend_from_slice(&version.to_le_bytes());
            file.extend_from_slice(&offset.to_le_bytes());
            file.push(1);
            file.extend_from_slice(&[0; 15]);
            file.extend_from_slice(b"{}");
            file.extend_from_slice(&2u32.to_le_bytes());
            file.extend_from_slice(&1337u32.to_le_bytes());
            file
        };
        assert!(check_doc_store(&store(&[0x80], 2, 0)).is_ok(), "no layers");
        // Data `[4, 0, 0, 0, 0x40]` (LZ4: 4 bytes from one literal token), one layer with
        // one checkpoint: count 1, first doc 0, start 0, 1 doc, 5 bytes.
        let data = [4, 0, 0, 0, 0x40];
        let layer = [0x81, 0x80, 0x80, 0x81, 0x85];
        let good = [&data[..], &[0x81, 0x85], &layer].concat();
        assert!(check_doc_store(&store(&good, 2, 5)).is_ok());
        // A layer count of 2^56 (what made tantivy ask for 2^59 bytes and abort).
        let huge = [0, 0, 0, 0, 0, 0, 0, 0, 0x81];
        assert!(check_doc_store(&store(&huge, 2, 0)).is_err());
        assert!(
            check_doc_store(&store(&good, 2, 6)).is_err(),
            "wrong offset"
        );
        assert!(
            check_doc_store(&store(&good, 2, 99)).is_err(),
            "offset past the end"
        );
        assert!(
            check_doc_store(&store(&good, 7, 5)).is_err(),
            "unknown version"
        );
        let mut big = good.clone();
        big[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(
            check_doc_store(&store(&big, 2, 5)).is_err(),
            "4 GiB from 1 byte"
        );
        let mut far = good.clone();
        *far.last_mut().unwrap() = 0x86;
        assert!(
            check_doc_store(&store(&far, 2, 5)).is_err(),
            "block past the data"
        );
        assert!(check_doc_store(&[0; 27]).is_err());
        let mut no_magic = store(&good, 2, 5);
        let at = no_magic.len() - 4;
        no_magic[at] = 0;
        assert!(check_doc_store(&no_magic).is_err());
    }
}
