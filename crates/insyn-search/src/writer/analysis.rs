//! Analysing passages for the index: the corpus's words ([`Vocabulary`]), their compound
//! parts split against those words and the lexicon ([`Known`]), and each passage's tokens,
//! stemmed once per word and handed to tantivy ready-made ([`PreparedTokens`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

use super::IndexInput;
use crate::analyzer::{self, FxBuild, Split, Stemmer, Surface, Token, decompound_with, words};
use crate::lexicon::Lexicon;

/// Word → stems of its compound parts.
pub(super) type Parts = HashMap<String, Vec<Arc<str>>, FxBuild>;

/// Word → stem.
type StemCache = HashMap<Box<str>, Arc<str>, FxBuild>;

/// A token of the build: its stem is shared by every occurrence of the word.
pub(super) type Prepared = Token<Arc<str>>;

/// A document's analysis: the tokens of its `text` and `parts` fields.
pub(super) struct Analysed {
    pub(super) text: Vec<Prepared>,
    pub(super) parts: Vec<Prepared>,
}

#[derive(Default)]
pub(crate) struct Vocabulary {
    pub(super) stems: HashSet<String, FxBuild>,
    pub(super) words: HashSet<String, FxBuild>,
}

impl Vocabulary {
    pub(super) fn extend(&mut self, other: Vocabulary) {
        self.stems.extend(other.stems);
        self.words.extend(other.words);
    }
}

/// The stems and (non-stop) words of the passages of `input`. Words are gathered first and
/// stemmed once each: a corpus repeats its words.
pub(super) fn vocabulary(input: &IndexInput) -> Vocabulary {
    type Words = HashSet<String, FxBuild>;
    let (words, joined) = input
        .docs
        .par_iter()
        .fold(
            || (Words::default(), Words::default()),
            |(mut found, mut joined), d| {
                analyzer::surfaces(&d.text, |surface, kind| {
                    let set = match kind {
                        Surface::Word => &mut found,
                        Surface::Group => &mut joined,
                    };
                    if !set.contains(surface) {
                        set.insert(surface.to_string());
                    }
                });
                (found, joined)
            },
        )
        .reduce(
            || (Words::default(), Words::default()),
            |(mut words, mut joined), (w, j)| {
                words.extend(w);
                joined.extend(j);
                (words, joined)
            },
        );
    // Compared with heads by Snowball's stem (see `Stemmer::stem_once`).
    let stems = words
        .par_iter()
        .chain(joined.par_iter())
        .map_init(Stemmer::default, |s, w| s.stem_once(w).into_owned())
        .collect();
    Vocabulary { stems, words }
}

/// A tokenizer that hands tantivy tokens analysed beforehand: the field's value is the
/// document's number in its segment, and the tokens are that document's (taken, as each
/// document is tokenized once). Clones share the slots: the writer's tokenizer reads what
/// the segment's builder [`fill`](PreparedTokens::fill)s, a batch of documents at a time.
#[derive(Clone)]
pub(super) struct PreparedTokens {
    /// Per document of the segment, its tokens.
    tokens: Arc<Vec<Mutex<Vec<Prepared>>>>,
}

impl PreparedTokens {
    /// Empty slots for `docs` documents.
    pub(super) fn empty(docs: usize) -> PreparedTokens {
        PreparedTokens {
            tokens: Arc::new((0..docs).map(|_| Mutex::default()).collect()),
        }
    }

    /// Gives document `n` its tokens.
    pub(super) fn fill(&self, n: usize, tokens: Vec<Prepared>) {
        if let Some(slot) = self.tokens.get(n) {
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = tokens;
        }
    }
}

impl Tokenizer for PreparedTokens {
    type TokenStream<'a> = PreparedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreparedStream {
        let tokens = text
            .parse::<usize>()
            .ok()
            .and_then(|n| self.tokens.get(n))
            .map(|m| std::mem::take(&mut *m.lock().unwrap_or_else(PoisonError::into_inner)))
            .unwrap_or_default();
        PreparedStream {
            tokens: tokens.into_iter(),
            token: TantivyToken::default(),
        }
    }
}

/// The tokens of one document, copied into one reused tantivy token as they are read.
pub(super) struct PreparedStream {
    tokens: std::vec::IntoIter<Prepared>,
    token: TantivyToken,
}

impl TokenStream for PreparedStream {
    fn advance(&mut self) -> bool {
        let Some(next) = self.tokens.next() else {
            return false;
        };
        let token = &mut self.token;
        token.text.clear();
        token.text.push_str(&next.text);
        token.offset_from = next.start;
        token.offset_to = next.end;
        token.position = next.position as usize;
        token.position_length = 1;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

thread_local! {
    /// The stemmer of compound splitting, per thread.
    static SPLIT_STEMMER: Stemmer = Stemmer::default();
    /// Stems by word, per thread: the words of a corpus repeat, stemming is the costly part.
    static STEMS: std::cell::RefCell<(Stemmer, StemCache)> =
        std::cell::RefCell::new((Stemmer::default(), HashMap::default()));
}

fn stem(word: &str) -> Arc<str> {
    STEMS.with(|cell| {
        let (stemmer, cache) = &mut *cell.borrow_mut();
        if let Some(s) = cache.get(word) {
            return Arc::clone(s);
        }
        let s: Arc<str> = Arc::from(stemmer.stem(word).as_ref());
        cache.insert(word.into(), Arc::clone(&s));
        s
    })
}

/// The tokens of a passage: its text's, and its compound words' parts at their positions;
/// none of the words within `masked`.
pub(super) fn analyse(text: &str, masked: &[Range<usize>], parts: &Parts) -> Analysed {
    let mut words = words(text);
    if !masked.is_empty() {
        // Positions stay as they were, so phrases never match across a gap.
        words.retain(|w| !masked.iter().any(|m| m.start <= w.start && w.end <= m.end));
    }
    let part_tokens = words
        .iter()
        .filter(|w| !w.stop)
        .flat_map(|w| {
            parts.get(&w.text).into_iter().flatten().map(|stem| Token {
                text: Arc::clone(stem),
                start: w.start,
                end: w.end,
                position: w.position,
            })
        })
        .collect();
    Analysed {
        text: analyzer::tokens_of(&words, &stem),
        parts: part_tokens,
    }
}

/// What the indexer knows of words, to split compounds by: the words of the corpus (this
/// build's and those kept from earlier builds) and the lexicon's.
pub(crate) struct Known<'a> {
    pub corpus: [&'a Vocabulary; 2],
    pub lexicon: &'a Lexicon,
}

impl Known<'_> {
    /// A head: a word of the lexicon that may end a compound, by stem (heads are inflected:
    /// `lönsamhetskalkylen`), or an inflected form of a noun of it (`strategin`); or a
    /// word of the corpus, by stem, unless the lexicon knows that stem only as one that never
    /// ends a compound (a verb's: `fram-kommer`). Never a stem that is a stop word (an
    /// ending: `blank-etter`).
    fn head(&self, w: &str) -> bool {
        if w.chars().count() < 3 {
            return false;
        }
        let s = SPLIT_STEMMER.with(|stemmer| stemmer.stem_once(w).into_owned());
        !analyzer::is_stop_word(&s)
            && (self.lexicon.is_head(&s)
                || self.lexicon.noun_base(w).is_some()
                || (self.corpus.iter().any(|v| v.stems.contains(&*s))
                    && !self.lexicon.is_not_head(&s)))
    }

    /// A first part, as written: a word of the corpus, or of the lexicon if it has at least
    /// four letters or is a noun (short words of the lexicon are more often pieces of other
    /// words than first parts: `bes-lutas`, but `ram-avtal`), or, two letters long, of the
    /// lexicon (`it`).
    ///
    /// A form with a linking `s` or `e` is not a first part of its own when the form without
    /// it is one, unless the lexicon has it as a noun (`kurs`, `arbete`): the corpus writes
    /// `säkerhets` alone (`säkerhets- och …`), but the part is `säkerhet`, which the
    /// stemmer does not bring together with it.
    fn modifier(&self, w: &str) -> bool {
        let linked = w.strip_suffix(['s', 'e']).is_some_and(|unlinked| {
            unlinked.chars().count() >= 3
                && !self.lexicon.ends_compounds(w)
                && self.known_modifier(unlinked)
        });
        !linked && self.known_modifier(w)
    }

    fn known_modifier(&self, w: &str) -> bool {
        match w.chars().count() {
            0 | 1 => false,
            2 => self.lexicon.contains(w),
            3 => self.corpus.iter().any(|v| v.words.contains(w)) || self.lexicon.ends_compounds(w),
            _ => self.corpus.iter().any(|v| v.words.contains(w)) || self.lexicon.contains(w),
        }
    }

    /// The parts of `word` to index, unstemmed: its compound parts, split finely and coarsely
    /// (so a search for any part, or for a known sub-compound, finds it), and the base form
    /// of each inflected noun whose stem the stemmer does not bring to its base's, the word's
    /// or a part's (`strategin`, `itstrategin` → `strategi`; `kompetensen` → `kompetens`).
    pub(crate) fn parts(&self, word: &str) -> Vec<String> {
        let head = |w: &str| self.head(w);
        let modifier = |w: &str| self.modifier(w);
        let mut parts = decompound_with(word, &head, &modifier, Split::Fine).unwrap_or_default();
        parts.extend(decompound_with(word, &head, &modifier, Split::Coarse).unwrap_or_default());
        let bases: Vec<String> = std::iter::once(word)
            .chain(parts.iter().map(String::as_str))
            .filter_map(|w| Some(w).zip(self.lexicon.noun_base(w)))
            .filter(|(w, base)| stem(w) != stem(base))
            .map(|(_, base)| base.to_string())
            .collect();
        parts.extend(bases);
        parts
    }
}

/// Word → stems of its parts ([`Known::parts`]; none for a word that is no compound), for
/// each of `words`. With
/// `INSYN_PRINT_SPLITS` set, prints each word and its parts to standard error (to review
/// what the lexicon splits: `INSYN_PRINT_SPLITS=1 insyn build -q 2>&1 | sort`).
pub(super) fn compound_parts(words: &[&str], known: &Known) -> Parts {
    let print = std::env::var_os("INSYN_PRINT_SPLITS").is_some();
    words
        .par_iter()
        .map(|word| {
            let parts = known.parts(word);
            if print && !parts.is_empty() {
                eprintln!("split: {word} = {}", parts.join(" "));
            }
            let mut stems: Vec<Arc<str>> = parts.iter().map(|p| stem(p)).collect();
            stems.sort();
            stems.dedup();
            (word.to_string(), stems)
        })
        .collect()
}
