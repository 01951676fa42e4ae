//! The incremental cache: an [`Indexer`] plans the segments (cuts that do not move when an
//! audit is edited, for `insyn serve`), keeps the segments it built and the words it split,
//! and rebuilds only the segments whose audits changed.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::analysis::{Parts, compound_parts, vocabulary};
use super::pack::pack;
use super::segment::{Segment, segment};
use super::{Built, Corpus, IndexInput, Known, Partition, SEGMENT_DOCS, Vocabulary};
use crate::bundle;
use crate::lexicon;

/// Builds indexes, keeping the segments it built so that the next build of a slightly
/// different input rebuilds only the segments whose audits changed.
pub struct Indexer {
    partition: Partition,
    /// Whether segments and vocabulary are kept for the next build.
    keep: bool,
    /// Segments by the ids of their audits.
    segments: HashMap<String, Arc<Segment>>,
    /// Stems and words of the corpus, for compound splitting. Kept across builds and grown
    /// by rebuilt segments: a rebuilt segment splits compounds by words that an unchanged
    /// segment may have lost since, which a full build would not (a preview may differ
    /// from the build in which compound parts match, never in which words match).
    vocabulary: Vocabulary,
    /// The parts of every word split so far (none for a word that is no compound), kept
    /// across builds like the vocabulary: an edit's segment splits only its new words.
    parts: Parts,
}

/// One planned segment: a run of audits.
pub(super) struct Plan {
    pub(super) audits: Range<usize>,
    /// The audits' ids, joined: the segment's identity for reuse.
    pub(super) key: String,
}

/// Where a full build writes each segment's packs as it is built: `(file name, bytes)`.
pub type Spill<'a> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 'a;

/// Audits an incremental indexer's segment holds on average: small, so that rebuilding the
/// segment of an edited audit takes milliseconds.
pub const INCREMENTAL_AUDITS: u64 = 8;

impl Indexer {
    /// An indexer for one full build: few, large segments.
    pub fn full() -> Indexer {
        Indexer {
            keep: false,
            ..Indexer::new(Partition::Docs(SEGMENT_DOCS))
        }
    }

    /// An indexer for a site that changes audit by audit (`insyn serve`): small segments
    /// with cuts that do not move when an audit is edited.
    pub fn incremental() -> Indexer {
        Indexer::new(Partition::ById(INCREMENTAL_AUDITS))
    }

    pub fn new(partition: Partition) -> Indexer {
        Indexer {
            partition,
            keep: true,
            segments: HashMap::new(),
            vocabulary: Vocabulary::default(),
            parts: Parts::default(),
        }
    }

    /// Builds the index of `corpus`. With `changed` (audit ids), segments built before whose
    /// audits are the same and unchanged are reused; without it everything is built.
    pub fn build(
        &mut self,
        corpus: &dyn Corpus,
        changed: Option<&HashSet<String>>,
    ) -> tantivy::Result<Built> {
        self.build_spilling(corpus, changed, None)
    }

    /// Like [`Indexer::build`], but a full build hands each segment's packs to `spill` as
    /// soon as the segment is built, and the [`Built`] it returns lists none of them: a
    /// national site's packs (about a gigabyte at 100,000 audits) are never all in memory.
    /// An indexer that keeps its segments for the next build keeps their packs too, and
    /// ignores `spill`.
    pub fn build_spilling(
        &mut self,
        corpus: &dyn Corpus,
        changed: Option<&HashSet<String>>,
        spill: Option<&Spill<'_>>,
    ) -> tantivy::Result<Built> {
        let (all, _) = self.build_with_first(corpus, changed, spill, None)?;
        Ok(all)
    }

    /// Like [`Indexer::build_spilling`], and with `first` (a number of audits) also the
    /// bundle of the corpus's first `first` audits alone: the segments are cut there, so
    /// that the first bundle lists the first segments of the whole and shares their packs
    /// (its [`Built::packs`] is empty). A site's audits come newest first: this is the index
    /// of its newest audits, which a first search opens, at the cost of one segment (and
    /// term dictionary) more in the whole.
    pub fn build_with_first(
        &mut self,
        corpus: &dyn Corpus,
        changed: Option<&HashSet<String>>,
        spill: Option<&Spill<'_>>,
        first: Option<usize>,
    ) -> tantivy::Result<(Built, Option<Built>)> {
        let spill = spill.filter(|_| !self.keep);
        let plans = plan(corpus, self.partition, first);
        let reusable = |p: &Plan| {
            changed.is_some_and(|c| {
                self.segments.contains_key(&p.key)
                    && !p.audits.clone().any(|a| c.contains(corpus.id(a)))
            })
        };
        let fresh: Vec<&Plan> = plans.iter().filter(|p| !reusable(p)).collect();
        // A single fresh segment keeps its input from the vocabulary's pass to its own
        // (making it is a tenth of a 2,000-audit index's time); with several, each is made
        // again when its segment is built, so that only the segments being built hold theirs.
        let (found, kept): (Vocabulary, _) = match fresh.as_slice() {
            [only] => {
                let input = corpus.input(only.audits.clone());
                (vocabulary(&input), Some(input))
            }
            _ => {
                let found = fresh
                    .par_iter()
                    .map(|p| vocabulary(&corpus.input(p.audits.clone())))
                    .reduce(Vocabulary::default, |mut a, b| {
                        a.extend(b);
                        a
                    });
                (found, None)
            }
        };
        if changed.is_none() {
            self.vocabulary = Vocabulary::default();
            self.parts = Parts::default();
        }
        let mut unique: Vec<&str> = found
            .words
            .iter()
            .map(String::as_str)
            .filter(|w| !self.parts.contains_key(*w))
            .collect();
        unique.sort_unstable();
        let split = compound_parts(
            &unique,
            &Known {
                corpus: [&found, &self.vocabulary],
                lexicon: lexicon::get(),
            },
        );
        self.parts.extend(split);
        let parts = &self.parts;
        let build = |p: &Plan, input: &IndexInput| {
            let mut built = segment(p, input, parts)?;
            if let Some(spill) = spill {
                for (name, bytes) in std::mem::take(&mut built.packs) {
                    spill(&name, &bytes).map_err(|e| {
                        tantivy::TantivyError::InternalError(format!("cannot write {name}: {e}"))
                    })?;
                }
            }
            Ok(built)
        };
        let built: Vec<Segment> = match (kept, fresh.as_slice()) {
            (Some(input), [only]) => vec![build(only, &input)?],
            _ => fresh
                .par_iter()
                .map(|p| build(p, &corpus.input(p.audits.clone())))
                .collect::<tantivy::Result<_>>()?,
        };
        self.vocabulary.extend(found);
        let mut built: HashMap<&str, Segment> =
            fresh.iter().map(|p| p.key.as_str()).zip(built).collect();
        let mut segments = HashMap::with_capacity(plans.len());
        for p in &plans {
            let segment = match built.remove(p.key.as_str()) {
                Some(s) => Arc::new(s),
                None => Arc::clone(&self.segments[&p.key]),
            };
            segments.insert(p.key.clone(), segment);
        }
        let ordered: Vec<Arc<Segment>> = plans
            .iter()
            .map(|p| Arc::clone(&segments[&p.key]))
            .collect();
        if self.keep {
            self.segments = segments;
        } else {
            self.vocabulary = Vocabulary::default();
            self.parts = Parts::default();
        }
        let labels = corpus.labels();
        let first = match first {
            Some(n) => {
                let within = plans.iter().take_while(|p| p.audits.end <= n).count();
                let mut built = pack(&labels, &ordered[..within])?;
                built.packs.clear();
                Some(built)
            }
            None => None,
        };
        Ok((pack(&labels, &ordered)?, first))
    }
}

/// Cuts the audits into segments, and after the first `cut_after` audits.
fn plan(corpus: &dyn Corpus, partition: Partition, cut_after: Option<usize>) -> Vec<Plan> {
    let count = corpus.audits();
    let mut plans = Vec::new();
    let (mut first, mut docs) = (0, 0);
    for a in 0..count {
        docs += corpus.passages(a);
        let cut = match partition {
            Partition::Docs(n) => docs >= n,
            Partition::ById(n) => bundle::fnv1a64(corpus.id(a).as_bytes()).is_multiple_of(n.max(1)),
        };
        if cut || a + 1 == count || cut_after == Some(a + 1) {
            let audits = first..a + 1;
            let key = audits
                .clone()
                .map(|x| corpus.id(x))
                .collect::<Vec<_>>()
                .join("\n");
            plans.push(Plan { audits, key });
            (first, docs) = (a + 1, 0);
        }
    }
    plans
}
