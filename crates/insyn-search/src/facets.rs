//! Counting facet values over all hits (not only the page shown).
//!
//! A passage's kind and status are read from its columns. The facets it has because of its
//! audit (municipality, county, auditor, report type, year) are counted per audit and then
//! added up from the segment's audits table, and its themes likewise per set of themes from
//! the segment's table of theme sets, a passage's set numbered among its audit's sets:
//! storing them per passage would make the index a browser downloads much larger (at 2,000
//! audits, the themes as a column of strings were a third of it) for no new information.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::bundle::{Header, theme_set_row};
use crate::schema::name;

/// The facets every response counts.
pub const FACETS: [&str; 9] = [
    name::MUNICIPALITY,
    name::COUNTY,
    name::AUDITOR,
    name::THEME,
    name::KIND,
    name::REPORT_TYPE,
    name::STATUS,
    name::ORIGIN,
    name::YEAR,
];

/// The facets of a passage itself, read from its string columns.
const PASSAGE_FACETS: [&str; 3] = [name::KIND, name::STATUS, name::ORIGIN];

/// Facet → value → number of hits.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Per row of a segment's table (an audit, a theme set): the facet values it gives.
pub type FacetTable = Vec<Vec<(&'static str, String)>>;

/// Per audit of a segment: the rows of a table its passages' numbers name.
pub type AuditRows = Arc<Vec<Vec<u32>>>;

/// Per segment (by id): the facets of its audits and its theme sets, each audit's theme
/// sets (rows of the latter), and its audits' dates (`YYYYMMDD`).
#[derive(Clone, Default)]
pub struct AuditTables {
    pub audits: HashMap<String, Arc<FacetTable>>,
    pub theme_sets: HashMap<String, Arc<FacetTable>>,
    pub audit_sets: HashMap<String, AuditRows>,
    pub dates: HashMap<String, Arc<Vec<u64>>>,
}

impl AuditTables {
    pub fn new(header: &Header) -> AuditTables {
        let mut tables = AuditTables::default();
        for (id, segment) in &header.segments {
            let audits = segment.audits.iter().map(|a| a.facets()).collect();
            let theme_sets = segment
                .theme_sets
                .iter()
                .map(|set| set.iter().map(|t| (name::THEME, t.clone())).collect())
                .collect();
            let dates = segment
                .audits
                .iter()
                .map(|a| crate::bundle::date_number(&a.date))
                .collect();
            let audit_sets = segment.audits.iter().map(|a| a.theme_sets.clone());
            tables
                .audit_sets
                .insert(id.clone(), Arc::new(audit_sets.collect()));
            tables.audits.insert(id.clone(), Arc::new(audits));
            tables.theme_sets.insert(id.clone(), Arc::new(theme_sets));
            tables.dates.insert(id.clone(), Arc::new(dates));
        }
        tables
    }
}

/// Hits counted per row of a table (an audit, a theme set).
struct RowCounts {
    counts: Vec<u64>,
    table: Arc<FacetTable>,
}

impl RowCounts {
    fn new(table: Option<&Arc<FacetTable>>) -> RowCounts {
        let table = table.cloned().unwrap_or_default();
        RowCounts {
            counts: vec![0; table.len()],
            table,
        }
    }

    /// Counts a hit in `row`; a row past the table is damage, not counted.
    fn add(&mut self, row: Option<usize>) {
        if let Some(count) = row.and_then(|r| self.counts.get_mut(r)) {
            *count += 1;
        }
    }

    fn harvest(&self, out: &mut FacetCounts) {
        for (row, &count) in self.counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            for (facet, value) in self.table.get(row).into_iter().flatten() {
                *out.entry(facet.to_string())
                    .or_default()
                    .entry(value.clone())
                    .or_default() += count;
            }
        }
    }
}

/// A collector counting every facet's values.
pub struct FacetCounter<'a>(pub &'a AuditTables);

/// Per segment: term-ordinal counts of the passage facets, hit counts per audit and per
/// theme set (a passage's audit read once for both).
pub struct SegmentFacetCounter {
    /// Per facet: its column, its number of terms, and the counts of the ordinals seen.
    strings: Vec<(&'static str, StrColumn, u64, BTreeMap<u64, u64>)>,
    audit: Option<Column<u64>>,
    theme_set: Option<Column<u64>>,
    /// Per audit: the rows of the theme sets its passages' numbers name.
    audit_sets: AuditRows,
    audits: RowCounts,
    themes: RowCounts,
}

impl Collector for FacetCounter<'_> {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let fast = segment.fast_fields();
        let mut strings = Vec::new();
        for facet in PASSAGE_FACETS {
            if let Some(column) = fast.str(facet)? {
                // Counted by ordinal in a map, not a vector of `num_terms` counters: a damaged
                // dictionary can claim 2^40 terms, and that allocation would abort.
                let n = column.num_terms() as u64;
                strings.push((facet, column, n, BTreeMap::new()));
            }
        }
        let id = segment.segment_id().uuid_string();
        Ok(SegmentFacetCounter {
            strings,
            audit: fast.u64(name::AUDIT).ok(),
            theme_set: fast.u64(name::THEME_SET).ok(),
            audit_sets: self.0.audit_sets.get(&id).cloned().unwrap_or_default(),
            audits: RowCounts::new(self.0.audits.get(&id)),
            themes: RowCounts::new(self.0.theme_sets.get(&id)),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::new();
        for fruit in fruits {
            for (facet, values) in fruit {
                let entry = total.entry(facet).or_default();
                for (value, count) in values {
                    *entry.entry(value).or_default() += count;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, column, n, counts) in &mut self.strings {
            for ord in column.term_ords(doc) {
                // An ordinal past the dictionary is damage: not counted.
                if ord < *n {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
        let audit = self.audit.as_ref().and_then(|c| c.first(doc));
        let audit = audit.and_then(|a| usize::try_from(a).ok());
        self.audits.add(audit);
        let local = self.theme_set.as_ref().and_then(|c| c.first(doc));
        let sets = audit.and_then(|a| self.audit_sets.get(a));
        self.themes
            .add(sets.zip(local).and_then(|(sets, l)| theme_set_row(sets, l)));
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (facet, column, _, counts) in self.strings {
            let values = out.entry(facet.to_string()).or_default();
            for (ord, count) in counts {
                let mut value = String::new();
                if column.ord_to_str(ord, &mut value).unwrap_or(false) {
                    values.insert(value, count);
                }
            }
        }
        self.audits.harvest(&mut out);
        self.themes.harvest(&mut out);
        out
    }
}
