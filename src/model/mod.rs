//! The domain: audits, their questions and findings, and the taxonomies that group them.

pub mod audit;
pub mod item;
pub mod passage;
pub mod taxonomy;

pub use audit::{
    Assessment, AssessmentBasis, AssessmentLevel, Audit, AuditMeta, AuditQuestion, BoardResponse,
    Body, ItemMeta, NotReceived, Omission, Origin, Priority, RecommendationStatus, ReportType,
    ResponseStatus, Source, TocEntry,
};
// Below the model and the configuration, which both read dates.
pub use crate::date::Date;
pub use crate::spill::{Packed, Spill};
pub use item::{Item, ItemCounts, ItemKind};
pub use passage::{Passage, PassageFlags, Passages};
pub use taxonomy::{Auditor, Municipality, Taxonomies, Theme, Year};
