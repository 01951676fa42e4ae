//! Counting facet values over all hits (not only the page shown).

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// Facet → value → number of hits.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

/// A collector counting every facet's values.
pub struct FacetCounter;

/// Per segment: term-ordinal counts of the string facets, value counts of the year.
pub struct SegmentFacetCounter {
    strings: Vec<(&'static str, StrColumn, Vec<u64>)>,
    year: Option<Column<u64>>,
    years: BTreeMap<u64, u64>,
}

impl Collector for FacetCounter {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let fast = segment.fast_fields();
        let mut strings = Vec::new();
        for facet in FACETS.iter().filter(|f| **f != name::YEAR) {
            if let Some(column) = fast.str(facet)? {
                let n = column.num_terms();
                strings.push((*facet, column, vec![0; n]));
            }
        }
        Ok(SegmentFacetCounter {
            strings,
            year: fast.u64(name::YEAR).ok(),
            years: BTreeMap::new(),
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
        if let Some(year) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.years.entry(year).or_default() += 1;
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
        let years = out.entry(name::YEAR.to_string()).or_default();
        for (year, count) in self.years {
            years.insert(year.to_string(), count);
        }
        out
    }
}
