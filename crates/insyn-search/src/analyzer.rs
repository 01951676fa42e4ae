//! Swedish text analysis, the same for indexing and querying, natively and in WebAssembly.
//!
//! A text becomes words (runs of letters and digits; a hyphen between two words ties them
//! into a group, as in `IT-säkerhet`), each lower-cased and folded (`é` → `e`, but `å ä ö`
//! stay themselves, as Swedish needs), stop words dropped (their positions kept, so phrases
//! still line up), and stemmed with Snowball's Swedish stemmer.
//!
//! Two more things make Swedish findable:
//! - a hyphen group is also indexed joined (`IT-säkerhet` → `it`, `säker`, and `itsäker`),
//!   so `IT-säkerhet`, `IT säkerhet` and `itsäkerhet` find each other;
//! - compound words are split against the vocabulary of the corpus, and when indexing
//!   natively against a Swedish lexicon too (`crate::lexicon`, feature `write`)
//!   ([`decompound`]): `informationssäkerhetspolicy` → `information`, `säkerhet`, `policy`,
//!   with the linking `-s-` and `-e-` handled, so a search for a part finds the whole.
//!
//! Its parts, one job each:
//! - `tokens`: normalisation (folding, stop words) and cutting a text into words, hyphen
//!   groups and tokens;
//! - `stem`: the Swedish stemmer ([`Stemmer`]);
//! - `compound`: splitting compound words into known parts ([`decompound`]).
//!
//! Besides, [`FxHasher`]: the fast hasher of the build's word maps.

mod compound;
mod stem;
mod tokens;

pub use compound::{MAX_COMPOUND, Split, decompound, decompound_with};
pub use stem::Stemmer;
pub use tokens::{
    MAX_TOKEN, Surface, Token, Word, WordRef, is_stop_word, normalize, normalize_into, scan,
    surfaces, text_tokens, tokens_of, words,
};

/// FxHash (as in rustc): a fast hasher for the build's word maps, where keys are not
/// attacker-chosen in a way that matters (a build is the author's own content).
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
