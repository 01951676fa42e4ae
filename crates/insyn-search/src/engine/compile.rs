//! Query compilation: a parsed query ([`crate::query`]) and a request's filters become
//! tantivy queries: words as stems, whole or as compound parts, corrected when unknown
//! ([`crate::correction`]), split when written together, hyphen groups, phrases, prefixes,
//! names of municipalities and audit firms; and what the snippets highlight.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery,
    Query as TantivyQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Score, Searcher, Term};

use super::{Engine, Filters};
use crate::analyzer::{Split, decompound, words};
use crate::bundle::Header;
use crate::correction::{self, max_edits};
use crate::query::{Clause, Query};
use crate::schema::{Fields, name};
use crate::snippet::Highlighter;

impl Engine {
    /// Whether the normalised word `w` (stemmed) is a word of the corpus, on its own or as
    /// a part of compounds.
    pub(super) fn is_known(&self, searcher: &Searcher, w: &str) -> bool {
        w.chars().count() >= 3 && {
            let stem = self.stemmer.stem(w);
            [self.fields.text, self.fields.parts]
                .into_iter()
                .any(|field| self.doc_freq(searcher, field, &stem) > 0)
        }
    }

    pub(super) fn doc_freq(
        &self,
        searcher: &Searcher,
        field: tantivy::schema::Field,
        term: &str,
    ) -> u64 {
        searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// The query for the text part of a request.
    pub(super) fn text_query(
        &self,
        searcher: &Searcher,
        parsed: &Query,
        out: &mut Compiled,
    ) -> TextQuery {
        let mut text = TextQuery {
            // Only exclusions: everything but them.
            all: parsed.is_empty() && !parsed.excluded.is_empty(),
            ..TextQuery::default()
        };
        for group in &parsed.required {
            let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = group
                .iter()
                .filter_map(|c| self.clause(searcher, c, out))
                .map(|q| (Occur::Should, q))
                .collect();
            match alternatives.len() {
                // Only stop words.
                0 => {}
                1 => text.groups.extend(alternatives.pop().map(|(_, q)| q)),
                _ => text.groups.push(Box::new(BooleanQuery::new(alternatives))),
            }
        }
        for clause in &parsed.excluded {
            text.excluded
                .extend(self.clause(searcher, clause, &mut Compiled::default()));
        }
        text
    }

    /// The query for one clause; `None` when it has no words (e.g. only stop words).
    pub(super) fn clause(
        &self,
        searcher: &Searcher,
        clause: &Clause,
        out: &mut Compiled,
    ) -> Option<Box<dyn TantivyQuery>> {
        match clause {
            Clause::Phrase(text) => Some(self.phrase(text, &mut out.highlight)),
            Clause::Word { text, prefix: true } => {
                Some(self.prefix(searcher, text, &mut out.highlight))
            }
            Clause::Word {
                text,
                prefix: false,
            } => {
                let ws = words(text);
                let content: Vec<_> = ws.iter().filter(|w| !w.stop).collect();
                match (content.len(), ws.first().and_then(|w| w.group)) {
                    (0, _) => None,
                    (1, _) if ws.len() == 1 => {
                        Some(self.word(searcher, &content[0].text, out, true))
                    }
                    (_, Some(g)) if ws.iter().all(|w| w.group == Some(g)) => {
                        Some(self.hyphenated(searcher, text, out))
                    }
                    _ => {
                        // Several words glued by punctuation ("a/b"): all must match.
                        let parts = content
                            .iter()
                            .map(|w| (Occur::Must, self.word(searcher, &w.text, out, true)))
                            .collect();
                        Some(Box::new(BooleanQuery::new(parts)))
                    }
                }
            }
        }
    }

    /// A single word: whole-word matches first, then parts of compounds (both ways). A word
    /// found nowhere in the index is, when `correct`, read as the closest indexed word
    /// (typo tolerance, see [`crate::correction`]), and otherwise as a compound of known
    /// words written together.
    pub(super) fn word(
        &self,
        searcher: &Searcher,
        word: &str,
        out: &mut Compiled,
        correct: bool,
    ) -> Box<dyn TantivyQuery> {
        let stem = self.stemmer.stem(word).into_owned();
        let mut alternatives = self.stem_alternatives(searcher, &stem);
        let mut stems = vec![stem.clone()];
        // A municipality's or a firm's name also finds what is about it ("kumla",
        // "pwc"): weakly, as a filter more than a match.
        let names: Vec<(Occur, Box<dyn TantivyQuery>)> = self
            .names
            .get(&fold_ascii(word))
            .into_iter()
            .flatten()
            .map(|name| {
                let q = TermQuery::new(name.clone(), IndexRecordOption::Basic);
                let q: Box<dyn TantivyQuery> = Box::new(BoostQuery::new(Box::new(q), NAME_WEIGHT));
                (Occur::Should, q)
            })
            .collect();
        // A word found nowhere is read as the closest indexed word, if one is near enough,
        // before it is tried as a compound of known words.
        let closest = (alternatives.is_empty() && names.is_empty() && correct)
            .then(|| max_edits(word.chars().count()))
            .flatten()
            .and_then(|max| {
                let fields = [self.fields.text, self.fields.parts];
                correction::closest(searcher, &fields, word, max)
            });
        if let Some(closest) = closest {
            alternatives = self.stem_alternatives(searcher, &closest);
            out.corrections.push((word.to_string(), closest.clone()));
            stems.push(closest);
        } else if let Some(parts) = decompound(word, &|w| self.is_known(searcher, w), Split::Coarse)
        {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| self.stemmer.stem(p).into_owned())
                .collect();
            let all = parts
                .iter()
                .map(|s| (Occur::Must, term(self.fields.text, s, 1.0)))
                .collect();
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), 0.5)),
            ));
            stems.extend(parts);
        }
        alternatives.extend(names);
        out.highlight.stems.extend(stems);
        if alternatives.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(BooleanQuery::new(alternatives))
    }

    /// An indexed stem as a whole word, or (ranked lower) as a part of compounds.
    pub(super) fn stem_alternatives(
        &self,
        searcher: &Searcher,
        stem: &str,
    ) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        let f = self.fields;
        [(f.text, 1.0), (f.parts, PART_WEIGHT)]
            .into_iter()
            .filter(|&(field, _)| self.doc_freq(searcher, field, stem) > 0)
            .map(|(field, weight)| (Occur::Should, term(field, stem, weight)))
            .collect()
    }

    /// `IT-säkerhet`: the words joined (`itsäkerhet`, which indexing also makes of every
    /// `IT-säkerhet`), or — ranked lower — all of them anywhere (`IT säkerhet`, `styrning av
    /// IT` for `IT-styrning`). Only when no passage has the joined form do the words next
    /// to each other rank first: that phrase reads every position of its words (`it` and
    /// `styrning`: 7.5 MB at 100,000 audits, 100 KB at 2,000), and the joined form finds
    /// the same hyphenated passages from a posting list of its own, with the same order of
    /// hits on the judged queries.
    pub(super) fn hyphenated(
        &self,
        searcher: &Searcher,
        text: &str,
        out: &mut Compiled,
    ) -> Box<dyn TantivyQuery> {
        let ws = words(text);
        let joined: String = ws.iter().map(|w| w.text.as_str()).collect();
        let joined_stem = self.stemmer.stem(&joined).into_owned();
        let indexed = self.doc_freq(searcher, self.fields.text, &joined_stem) > 0;
        let phrase = (!indexed).then(|| self.phrase(text, &mut out.highlight));
        // The joined form is never corrected: its words may well be in the index apart.
        let whole = self.word(searcher, &joined, out, false);
        let anywhere: Vec<(Occur, Box<dyn TantivyQuery>)> = ws
            .iter()
            .filter(|w| !w.stop)
            .map(|w| (Occur::Must, self.word(searcher, &w.text, out, true)))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        if let Some(phrase) = phrase {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(phrase, 2.0))));
        }
        // Without the phrase (weight 2) the joined form carries both weights, so that a
        // hyphenated passage scores as it did when it matched both.
        let whole_weight = if indexed { 3.0 } else { 1.0 };
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(whole, whole_weight)),
        ));
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(BooleanQuery::new(anywhere)), 0.5)),
        ));
        Box::new(BooleanQuery::new(clauses))
    }

    /// Words in this order, stop words allowed in between where they were.
    pub(super) fn phrase(&self, text: &str, highlight: &mut Highlighter) -> Box<dyn TantivyQuery> {
        let ws = words(text);
        let terms: Vec<(usize, Term)> = ws
            .iter()
            .filter(|w| !w.stop)
            .map(|w| {
                (
                    w.position as usize,
                    Term::from_field_text(self.fields.text, &self.stemmer.stem(&w.text)),
                )
            })
            .collect();
        highlight.stems.extend(
            ws.iter()
                .filter(|w| !w.stop)
                .map(|w| self.stemmer.stem(&w.text).into_owned()),
        );
        match terms.len() {
            0 => Box::new(EmptyQuery),
            1 => Box::new(TermQuery::new(
                terms.into_iter().next().expect("one").1,
                IndexRecordOption::WithFreqs,
            )),
            _ => {
                let first = terms[0].0;
                let terms = terms.into_iter().map(|(p, t)| (p - first, t)).collect();
                Box::new(PhraseQuery::new_with_offset(terms))
            }
        }
    }

    /// `word*`: every indexed word starting with it (as typed, or as its stem).
    pub(super) fn prefix(
        &self,
        searcher: &Searcher,
        text: &str,
        highlight: &mut Highlighter,
    ) -> Box<dyn TantivyQuery> {
        let normalized: String = words(text).iter().map(|w| w.text.as_str()).collect();
        if normalized.is_empty() {
            return Box::new(EmptyQuery);
        }
        let stem = self.stemmer.stem(&normalized).into_owned();
        let mut found: Vec<String> = Vec::new();
        for start in [normalized.as_str(), stem.as_str()] {
            found.extend(terms_with_prefix(searcher, self.fields.text, start, 200));
        }
        found.sort();
        found.dedup();
        highlight.prefixes.push(normalized.clone());
        highlight.stems.extend(found.iter().cloned());
        if found.is_empty() {
            return Box::new(EmptyQuery);
        }
        let alternatives = found
            .iter()
            .map(|t| (Occur::Should, term(self.fields.text, t, 1.0)))
            .collect();
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `query` restricted by `filters`.
    pub(super) fn with_filters(
        &self,
        query: Box<dyn TantivyQuery>,
        filters: &Filters,
    ) -> Box<dyn TantivyQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![(Occur::Must, query)];
        let schema_fields = [
            (name::MUNICIPALITY, self.fields.municipality),
            (name::COUNTY, self.fields.county),
            (name::AUDITOR, self.fields.auditor),
            (name::THEME, self.fields.theme),
            (name::KIND, self.fields.kind),
            (name::REPORT_TYPE, self.fields.report_type),
            (name::STATUS, self.fields.status),
            (name::ORIGIN, self.fields.origin),
        ];
        for (facet, field) in schema_fields {
            let values = filters.values(facet);
            if values.is_empty() {
                continue;
            }
            let any: Vec<(Occur, Box<dyn TantivyQuery>)> = values
                .iter()
                .map(|v| {
                    let q: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let year = |y: u64| Term::from_field_u64(self.fields.year, y);
        if !filters.year.is_empty() {
            let any = filters
                .year
                .iter()
                .map(|&y| {
                    let q: Box<dyn TantivyQuery> =
                        Box::new(TermQuery::new(year(y), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if filters.year_from.is_some() || filters.year_to.is_some() {
            let lower = filters
                .year_from
                .map_or(Bound::Unbounded, |y| Bound::Included(year(y)));
            let upper = filters
                .year_to
                .map_or(Bound::Unbounded, |y| Bound::Included(year(y)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if clauses.len() == 1 {
            return clauses.pop().expect("one clause").1;
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// What compiling a query's text finds out besides the query.
#[derive(Default)]
pub(super) struct Compiled {
    pub(super) highlight: Highlighter,
    /// Corrected words: as typed, and the indexed stem searched instead.
    pub(super) corrections: Vec<(String, String)>,
}

/// The text part of a request as queries.
#[derive(Default)]
pub(super) struct TextQuery {
    /// One query per group of the query's words; a full match matches them all.
    groups: Vec<Box<dyn TantivyQuery>>,
    /// What must not match.
    excluded: Vec<Box<dyn TantivyQuery>>,
    /// Without groups: match everything (but the excluded) rather than nothing.
    all: bool,
}

impl TextQuery {
    /// Every passage (browsing by filters alone).
    pub(super) fn browse() -> TextQuery {
        TextQuery {
            all: true,
            ..TextQuery::default()
        }
    }

    /// Passages that hold every group and none of the excluded.
    pub(super) fn strict(&self) -> Box<dyn TantivyQuery> {
        if self.groups.is_empty() && !self.all {
            return Box::new(EmptyQuery);
        }
        if self.groups.len() == 1 && self.excluded.is_empty() {
            return self.groups[0].box_clone();
        }
        let base: Vec<(Occur, Box<dyn TantivyQuery>)> = if self.groups.is_empty() {
            vec![(Occur::Must, Box::new(AllQuery))]
        } else {
            self.groups
                .iter()
                .map(|g| (Occur::Must, g.box_clone()))
                .collect()
        };
        if base.len() == 1 && self.excluded.is_empty() {
            return Box::new(AllQuery);
        }
        Box::new(BooleanQuery::new(self.with_excluded(base)))
    }

    /// Passages that hold at least one group and none of the excluded, scored by how many
    /// groups they hold ([`COVERAGE`] each), then by relevance; `None` for fewer than two
    /// groups (nothing to relax).
    pub(super) fn relaxed(&self) -> Option<Box<dyn TantivyQuery>> {
        if self.groups.len() < 2 {
            return None;
        }
        let any = self
            .groups
            .iter()
            .flat_map(|g| {
                let covered: Box<dyn TantivyQuery> =
                    Box::new(ConstScoreQuery::new(g.box_clone(), COVERAGE));
                [(Occur::Should, covered), (Occur::Should, g.box_clone())]
            })
            .collect();
        Some(Box::new(BooleanQuery::new(self.with_excluded(any))))
    }

    pub(super) fn with_excluded(
        &self,
        mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)>,
    ) -> Vec<(Occur, Box<dyn TantivyQuery>)> {
        clauses.extend(
            self.excluded
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        clauses
    }
}

/// The weight of a word's matches as a part of compounds, against 1 for whole words.
pub(super) const PART_WEIGHT: f32 = 0.35;
/// The weight of a word's match as the name of a passage's municipality or audit firm.
pub(super) const NAME_WEIGHT: f32 = 0.2;

/// Folded words of the names of municipalities (one-word names) and audit firms → the
/// facet terms they name, from the index's facet labels.
pub(super) fn names(header: &Header, fields: &Fields) -> HashMap<String, Vec<Term>> {
    let mut names: HashMap<String, Vec<Term>> = HashMap::new();
    for (facet, field) in [
        (name::MUNICIPALITY, fields.municipality),
        (name::AUDITOR, fields.auditor),
    ] {
        for (value, label) in header.labels.get(facet).into_iter().flatten() {
            let term = Term::from_field_text(field, value);
            let mut keys = vec![fold_ascii(value)];
            if !label.contains(char::is_whitespace) {
                keys.push(fold_ascii(label));
            }
            keys.dedup();
            for key in keys {
                names.entry(key).or_default().push(term.clone());
            }
        }
    }
    names
}

/// Lower-case letters and digits, `å ä ö` and other accents folded to ASCII: how a name
/// and a query word are compared (`Örebro`, `orebro`).
pub(super) fn fold_ascii(word: &str) -> String {
    crate::analyzer::normalize(word)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect()
}

/// Score per group of words a passage holds, when no passage holds them all: more than
/// any relevance score, so the passages holding the most words come first.
pub(super) const COVERAGE: Score = 10_000.0;

pub(super) fn term(field: tantivy::schema::Field, text: &str, boost: f32) -> Box<dyn TantivyQuery> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(q)
    } else {
        Box::new(BoostQuery::new(Box::new(q), boost))
    }
}

/// Indexed terms of `field` that start with `prefix` (at most `max`).
pub(super) fn terms_with_prefix(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
    max: usize,
) -> Vec<String> {
    let mut out = HashSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) || out.len() >= max {
                break;
            }
            if let Ok(s) = std::str::from_utf8(key) {
                out.insert(s.to_string());
            }
        }
    }
    let mut out: Vec<String> = out.into_iter().collect();
    out.sort();
    out
}
