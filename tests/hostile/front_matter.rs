//! Hostile input: front matter, the model and messages: YAML nesting, slug collisions, control characters, URLs, follow-up cycles, search limits.

use super::*;

/// The build cases of this area (see [`Case`]).
pub fn cases() -> Vec<Case> {
    Vec::new()
}
