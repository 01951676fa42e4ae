//! Hostile input: the output folder, staging folders, and `insyn serve` (watching, live-reload clients).

use super::*;

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    Vec::new()
}
