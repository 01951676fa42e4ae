//! The part of `crc32fast`'s API that tantivy uses, computing CRC32 (IEEE) without tables:
//! see this crate's Cargo.toml.

/// The CRC32 of `buf`.
pub fn hash(buf: &[u8]) -> u32 {
    let mut h = Hasher::new();
    h.update(buf);
    h.finalize()
}

/// A CRC32 computation in progress.
#[derive(Clone, Debug, Default)]
pub struct Hasher {
    amount: u64,
    state: u32,
}

impl Hasher {
    /// A new computation.
    pub fn new() -> Self {
        Self::new_with_initial(0)
    }

    /// A computation that goes on from the CRC32 `init`.
    pub fn new_with_initial(init: u32) -> Self {
        Self::new_with_initial_len(init, 0)
    }

    /// A computation that goes on from the CRC32 `init` of `amount` bytes.
    pub fn new_with_initial_len(init: u32, amount: u64) -> Self {
        Hasher {
            amount,
            state: init,
        }
    }

    /// Adds `buf` to the computation.
    pub fn update(&mut self, buf: &[u8]) {
        self.amount += buf.len() as u64;
        let mut crc = !self.state;
        for &byte in buf {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = (crc >> 1) ^ (0xEDB8_8320 & 0u32.wrapping_sub(crc & 1));
            }
        }
        self.state = !crc;
    }

    /// How many bytes the computation covers.
    pub fn total_len(&self) -> u64 {
        self.amount
    }

    /// The CRC32.
    pub fn finalize(self) -> u32 {
        self.state
    }

    /// Starts again.
    pub fn reset(&mut self) {
        self.state = 0;
        self.amount = 0;
    }
}

impl core::hash::Hasher for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes)
    }

    fn finish(&self) -> u64 {
        u64::from(self.clone().finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(hash(b""), 0);
        assert_eq!(hash(b"a"), 0xE8B7_BE43);
        assert_eq!(hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            hash(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn in_pieces() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        let mut h = Hasher::new();
        for piece in data.chunks(37) {
            h.update(piece);
        }
        assert_eq!(h.total_len(), 1000);
        assert_eq!(h.finalize(), hash(&data));
        let (a, b) = data.split_at(400);
        let mut h = Hasher::new_with_initial(hash(a));
        h.update(b);
        assert_eq!(h.finalize(), hash(&data));
    }
}
