//! Observations and recommendations: the findings an audit is read for.

use std::sync::Arc;

use serde::Serialize;

use super::audit::{ItemMeta, Origin};

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Something the auditor found ("iakttagelse").
    Observation,
    /// Something the auditor asks the municipality to do ("rekommendation").
    Recommendation,
}

impl ItemKind {
    /// The letter in item ids: `rf3-o2`, `rf3-r1`.
    pub fn letter(self) -> char {
        match self {
            ItemKind::Observation => 'o',
            ItemKind::Recommendation => 'r',
        }
    }

    /// The machine name, also the item's CSS class.
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Observation => "observation",
            ItemKind::Recommendation => "recommendation",
        }
    }

    /// The theme's translation key of the kind's name ("Iakttagelse").
    pub fn label_key(self) -> &'static str {
        self.key()
    }
}

/// One observation or recommendation of an audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// Stable within the audit: `rf3-o2`; also the anchor on the audit page.
    pub id: String,
    /// The audit question whose section holds the item.
    pub question: Option<String>,
    /// Plain text, for search, feeds and data exports.
    pub text: String,
    /// Theme keys: from front matter for this id, else the question's, else the audit's.
    /// Shared with the other items of the same question or audit.
    pub themes: Arc<[String]>,
    /// Status, addressee, priority from front matter (and from follow-up audits). Shared:
    /// most items have none, and a national site has millions of items.
    pub meta: Arc<ItemMeta>,
    /// 1-based line of the item in its file, for diagnostics.
    pub line: usize,
}

/// How many observations and recommendations some items hold, and how many of each are the
/// editors' reading rather than the report's own (pages show those apart: "7
/// rekommendationer, varav 7 redaktionellt utvalda").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ItemCounts {
    pub observations: usize,
    pub recommendations: usize,
    pub editorial_observations: usize,
    pub editorial_recommendations: usize,
}

impl ItemCounts {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a Item>) -> ItemCounts {
        let mut counts = ItemCounts::default();
        for item in items {
            counts.add(item);
        }
        counts
    }

    pub fn add(&mut self, item: &Item) {
        let editorial = usize::from(item.meta.origin == Origin::Editorial);
        match item.kind {
            ItemKind::Observation => {
                self.observations += 1;
                self.editorial_observations += editorial;
            }
            ItemKind::Recommendation => {
                self.recommendations += 1;
                self.editorial_recommendations += editorial;
            }
        }
    }
}
