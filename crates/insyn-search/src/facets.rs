//! Counting facet values over all hits (not only the page shown).
//!
//! A passage's own facets (kind, themes, status) are read from its columns. The facets it
//! has because of its audit (municipality, county, auditor, report type, year) are counted
//! per audit and then added up from the segment's audits table: storing them per passage
//! would make the index a browser downloads much larger for no new information.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::bundle::Header;
use crate::schema::name;

/// The facets every response counts.
pub const FACETS: [&str; 8] = [
    name::MUNICIPALITY,
    name::COUNTY,
    name::AUDITOR,
    name::THEME,
    name::KIND,
    name::REPORT_TYPE,
    name::STATUS,
    name::YEAR,
];

/// The facets of a passage itself, read from its columns.
const PASSAGE_FACETS: [&str; 3] = [name::KIND, name::THEME, name::STATUS];

/// Facet → value → number of hits.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// Per audit of a segment's audits table: its audit facets' values.
pub type AuditFacets = Vec<Vec<(&'static str, String)>>;

/// Per segment (by id): the facets of its audits, and their dates (`YYYYMMDD`).
#[derive(Clone, Default)]
pub struct AuditTables {
    pub facets: HashMap<String, Arc<AuditFacets>>,
    pub dates: HashMap<String, Arc<Vec<u64>>>,
}

impl AuditTables {
    pub fn new(header: &Header) -> AuditTables {
        let mut tables = AuditTables::default();
        for (id, segment) in &header.segments {
            let facets = segment.audits.iter().map(|a| a.facets()).collect();
            let dates = segment
                .audits
                .iter()
                .map(|a| crate::bundle::date_number(&a.date))
                .collect();
            tables.facets.insert(id.clone(), Arc::new(facets));
            tables.dates.insert(id.clone(), Arc::new(dates));
        }
        tables
    }
}

/// A collector counting every facet's values.
pub struct FacetCounter<'a>(pub &'a AuditTables);

/// Per segment: term-ordinal counts of the passage facets, hit counts per audit.
pub struct SegmentFacetCounter {
    strings: Vec<(&'static str, StrColumn, Vec<u64>)>,
    audit: Option<Column<u64>>,
    per_audit: Vec<u64>,
    audits: Arc<AuditFacets>,
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
                let n = column.num_terms();
                strings.push((facet, column, vec![0; n]));
            }
        }
        let audits = self
            .0
            .facets
            .get(&segment.segment_id().uuid_string())
            .cloned()
            .unwrap_or_default();
        Ok(SegmentFacetCounter {
            strings,
            audit: fast.u64(name::AUDIT).ok(),
            per_audit: vec![0; audits.len()],
            audits,
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
        for (_, column, counts) in &mut self.strings {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
        let audit = self.audit.as_ref().and_then(|c| c.first(doc));
        if let Some(count) = audit.and_then(|a| self.per_audit.get_mut(a as usize)) {
            *count += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::new();
        for (facet, column, counts) in self.strings {
            let values = out.entry(facet.to_string()).or_default();
            for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                let mut value = String::new();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    values.insert(value, count);
                }
            }
        }
        for (audit, &count) in self.per_audit.iter().enumerate().filter(|(_, c)| **c > 0) {
            for (facet, value) in &self.audits[audit] {
                *out.entry(facet.to_string())
                    .or_default()
                    .entry(value.clone())
                    .or_default() += count;
            }
        }
        out
    }
}
