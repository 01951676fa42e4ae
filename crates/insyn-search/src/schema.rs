//! The index's fields, in one place for the writer and the reader.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};

/// The name under which the Swedish analyzer is registered. Only the name is stored in the
/// index, so reader and writer must both register it (see [`crate::tokenizer`]).
pub const ANALYZER: &str = "insyn_sv";
/// The analyzer name of the compound-parts field.
pub const PARTS_ANALYZER: &str = "insyn_sv_parts";

/// Field names. They are also the facet names of search requests and responses.
pub mod name {
    pub const TEXT: &str = "text";
    pub const PARTS: &str = "parts";
    pub const KIND: &str = "kind";
    pub const AUDIT: &str = "audit";
    pub const MUNICIPALITY: &str = "municipality";
    pub const COUNTY: &str = "county";
    pub const AUDITOR: &str = "auditor";
    pub const THEME: &str = "theme";
    pub const THEME_SET: &str = "theme_set";
    pub const REPORT_TYPE: &str = "report_type";
    pub const STATUS: &str = "status";
    /// Whose an item is: `report` (the report lists it) or `editorial` (the editors chose it).
    pub const ORIGIN: &str = "origin";
    pub const YEAR: &str = "year";
}

/// The fields of the index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The passage, analysed with positions (for phrases).
    pub text: Field,
    /// Parts of the compound words of `text`, for part matches.
    pub parts: Field,
    /// `observation`, `recommendation`, `summary` or `text`.
    pub kind: Field,
    /// Ordinal of the audit in its segment's audits table. What a passage has because of its
    /// audit (municipality, county, auditor, report type, year, date) is counted and sorted
    /// on through it, so those fields are only indexed (for filters), never stored per
    /// passage in columns: that keeps the index that a browser downloads small.
    pub audit: Field,
    pub municipality: Field,
    pub county: Field,
    pub auditor: Field,
    /// One value per theme (for filters).
    pub theme: Field,
    /// Ordinal of the passage's set of themes in its segment's table of theme sets (for
    /// counting: one small number a passage instead of a column of several strings).
    pub theme_set: Field,
    pub report_type: Field,
    /// A recommendation's follow-up status, when one is given.
    pub status: Field,
    /// An item's origin (`report` or `editorial`); other passages have none.
    pub origin: Field,
    pub year: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text_indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = b.add_text_field(
            name::TEXT,
            TextOptions::default().set_indexing_options(text_indexing),
        );
        // Part matches rank by how often a part occurs, not by the passage's length: no
        // field norms (a byte per passage that every search would download).
        let parts_indexing = TextFieldIndexing::default()
            .set_tokenizer(PARTS_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false);
        let parts = b.add_text_field(
            name::PARTS,
            TextOptions::default().set_indexing_options(parts_indexing),
        );
        // Facets: whole values, filtered on (no scoring, so no field norms); a passage's own
        // facets are also counted from columns (fast fields), an audit's through `audit`.
        let audit_facet = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        );
        let passage_facet = audit_facet.clone().set_fast("raw");
        let fields = Fields {
            text,
            parts,
            kind: b.add_text_field(name::KIND, passage_facet.clone()),
            audit: b.add_u64_field(name::AUDIT, FAST),
            municipality: b.add_text_field(name::MUNICIPALITY, audit_facet.clone()),
            county: b.add_text_field(name::COUNTY, audit_facet.clone()),
            auditor: b.add_text_field(name::AUDITOR, audit_facet.clone()),
            theme: b.add_text_field(name::THEME, audit_facet.clone()),
            theme_set: b.add_u64_field(name::THEME_SET, FAST),
            report_type: b.add_text_field(name::REPORT_TYPE, audit_facet),
            status: b.add_text_field(name::STATUS, passage_facet.clone()),
            origin: b.add_text_field(name::ORIGIN, passage_facet.clone()),
            // Filtered on, never scored: no field norms (tantivy's `INDEXED` would add a byte
            // per passage).
            year: b.add_u64_field(name::YEAR, NumericOptions::default().set_indexed()),
        };
        (b.build(), fields)
    }
}
