//! Spilled text: compressed pieces a build keeps for a later stage (an audit's rendered body,
//! its search passages, its register entries), written to an unnamed temporary file.
//!
//! Each piece is read once or twice, long after it was made. Held in the heap, they were the
//! largest part of a build's memory (about 18 KB an audit, 1.8 GB at 100,000 audits); in a
//! file they are held by the kernel's page cache instead, which keeps them while memory is
//! free and writes them out when it is not. The file has no name where the system allows
//! (`O_TMPFILE`), so nothing is left behind even when a build is killed, and it is freed when
//! the last piece is dropped.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// An append-only store of byte strings in an unnamed temporary file. Safe to append to and
/// read from on many threads at once: each piece's place is reserved atomically and written
/// and read with positioned I/O.
#[derive(Debug)]
pub struct Spill {
    file: Option<File>,
    end: AtomicU64,
}

impl Spill {
    /// A store in the first of `dirs` where a temporary file can be made; when none can, a
    /// store that keeps every piece in memory (the build still works, with more memory).
    pub fn in_first_of(dirs: &[&Path]) -> Arc<Spill> {
        let file = dirs.iter().find_map(|dir| tempfile::tempfile_in(dir).ok());
        Arc::new(Spill {
            file,
            end: AtomicU64::new(0),
        })
    }

    /// A store that keeps every piece in memory (tests, and sites too small to need one).
    pub fn memory() -> Arc<Spill> {
        Arc::new(Spill {
            file: None,
            end: AtomicU64::new(0),
        })
    }

    /// The bytes written to the file so far.
    pub fn len(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }

    /// Whether nothing has been written to the file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes `bytes` and returns where they are, or `None` when they could not be written
    /// (no file, or a full disk): the caller then keeps them.
    fn put(&self, bytes: &[u8]) -> Option<u64> {
        let file = self.file.as_ref()?;
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        write_at(file, bytes, at).ok()?;
        Some(at)
    }

    fn get(&self, at: u64, len: u32) -> Option<Vec<u8>> {
        let mut bytes = vec![0; len as usize];
        read_at(self.file.as_ref()?, &mut bytes, at).ok()?;
        Some(bytes)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        (bytes, at) = (&bytes[n..], at + n as u64);
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => (bytes, at) = (&mut bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn write_at(_: &File, _: &[u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Bytes kept LZ4-compressed between the stage that makes them and the one that reads them,
/// in memory or, once [spilled](Packed::spill), in a [`Spill`].
#[derive(Clone, Default)]
pub struct Packed(Repr);

#[derive(Clone, Default)]
enum Repr {
    #[default]
    Empty,
    Memory(Box<[u8]>),
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        len: u32,
    },
}

impl Packed {
    /// `text`, compressed, in memory.
    pub fn new(text: &str) -> Packed {
        Packed::from_bytes(text.as_bytes())
    }

    /// `bytes`, compressed, in memory.
    pub fn from_bytes(bytes: &[u8]) -> Packed {
        Packed(Repr::Memory(
            lz4_flex::compress_prepend_size(bytes).into_boxed_slice(),
        ))
    }

    /// `text`, compressed, in `spill` (in memory when it cannot be written there).
    pub fn spilled(text: &str, spill: &Arc<Spill>) -> Packed {
        let mut packed = Packed::new(text);
        packed.spill(spill);
        packed
    }

    /// Moves the compressed bytes from memory into `spill`; they stay in memory when they
    /// cannot be written there.
    pub fn spill(&mut self, spill: &Arc<Spill>) {
        let Repr::Memory(bytes) = &self.0 else {
            return;
        };
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        if let Some(at) = spill.put(bytes) {
            self.0 = Repr::Spilled {
                spill: Arc::clone(spill),
                at,
                len,
            };
        }
    }

    /// Whether the bytes are in a spill file rather than in memory.
    pub fn is_spilled(&self) -> bool {
        matches!(self.0, Repr::Spilled { .. })
    }

    /// The bytes, decompressed. Empty if the spill file cannot be read back, which only a
    /// failing disk can cause: only [`Packed`]'s constructors write the compressed bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let compressed = match &self.0 {
            Repr::Empty => return Vec::new(),
            Repr::Memory(bytes) => std::borrow::Cow::Borrowed(&bytes[..]),
            Repr::Spilled { spill, at, len } => match spill.get(*at, *len) {
                Some(bytes) => std::borrow::Cow::Owned(bytes),
                None => return Vec::new(),
            },
        };
        lz4_flex::decompress_size_prepended(&compressed).unwrap_or_default()
    }

    /// The bytes as text (made by [`Packed::new`] or [`Packed::spilled`], so UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes()).unwrap_or_default()
    }
}

impl PartialEq for Packed {
    fn eq(&self, other: &Packed) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Packed {}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({:?})", String::from_utf8_lossy(&self.bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_pieces_read_back_as_written_from_many_threads() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::in_first_of(&[dir.path()]);
        let texts: Vec<String> = (0..200)
            .map(|i| format!("Rekommendation {i}: {}", "åäö ".repeat(i)))
            .collect();
        let packed: Vec<Packed> = std::thread::scope(|scope| {
            let handles: Vec<_> = texts
                .chunks(50)
                .map(|chunk| {
                    let spill = &spill;
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|t| Packed::spilled(t, spill))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        assert!(packed.iter().all(Packed::is_spilled));
        assert!(!spill.is_empty());
        for (p, t) in packed.iter().zip(&texts) {
            assert_eq!(&p.text(), t);
        }
        assert_eq!(packed[3], Packed::new(&texts[3]), "equal by content");
        assert_ne!(packed[3], packed[4]);
        // The temporary file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn without_a_file_pieces_stay_in_memory() {
        let spill = Spill::in_first_of(&[Path::new("/nonexistent/insyn-spill")]);
        let packed = Packed::spilled("Iakttagelse", &spill);
        assert!(!packed.is_spilled());
        assert_eq!(packed.text(), "Iakttagelse");
        assert!(spill.is_empty());
        assert_eq!(Packed::default().text(), "");
        let raw = [0u8, 1, 2, 255];
        assert_eq!(Packed::from_bytes(&raw).bytes(), raw);
    }
}
