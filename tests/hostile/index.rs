//! Hostile input: a damaged search index: checksums, clear errors, the loader fuzzed.

use super::*;

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    Vec::new()
}
