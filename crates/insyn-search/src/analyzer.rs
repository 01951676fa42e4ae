//! Swedish text analysis, the same for indexing and querying, natively and in WebAssembly.
//!
//! A text becomes words (runs of letters and digits; a hyphen between two words ties them
//! into a group, as in `IT-säkerhet`), each lower-cased and folded (`é` → `e`, but `å ä ö`
//! stay themselves, as Swedish needs), stop words dropped (their positions kept, so phrases
//! still line up), and stemmed with Snowball's Swedish stemmer.
//!
//! Two more things make Swedish findable:
//! - a hyphen group is also indexed joined (`IT-säkerhet` → `it`, `säker`, and `itsäker`),
//!   so `IT-säkerhet`, `IT säkerhet` and `itsäkerhet` find each other;
//! - compound words are split against the vocabulary of the corpus, and when indexing
//!   natively against a Swedish lexicon too (`crate::lexicon`, feature `write`)
//!   ([`decompound`]): `informationssäkerhetspolicy` → `information`, `säkerhet`, `policy`,
//!   with the linking `-s-` and `-e-` handled, so a search for a part finds the whole.

use std::borrow::Cow;

/// The stemmer for Swedish.
pub struct Stemmer(frostem::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer(frostem::Stemmer::new(frostem::Algorithm::Swedish))
    }
}

impl Stemmer {
    /// The stem of a normalised (lower-cased, folded) word. Numbers are left alone.
    ///
    /// Snowball's Swedish stemmer takes off one ending, and what is left may end like
    /// another one: `kompetensen` → `kompetens` but `kompetens` → `kompet`, `licenser` →
    /// `licens` but `licens` → `lic`, so that a word and its own inflections would not meet.
    /// The stemmer is therefore applied until the stem stays the same. It also leaves a
    /// definite `-et` after a doubled consonant (`rummet`, `programmet`) and the doubled
    /// consonant itself (`rumm-en`): both are undone, so `serverrummet` meets `serverrum`.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return Cow::Borrowed(word);
        }
        let mut stem = self.stem_once(word);
        for _ in 0..MAX_STEM_ROUNDS {
            let again = self.0.stem(&stem);
            if again == stem {
                break;
            }
            stem = Cow::Owned(again.into_owned());
        }
        match undouble(&stem) {
            Some(shorter) => Cow::Owned(shorter),
            None => stem,
        }
    }
}

impl Stemmer {
    /// Snowball's stem of a normalised word: one ending off. Compound splitting compares
    /// parts by it (a part inflected as the whole word is: `lönsamhets-kalkylen`); its rules
    /// were tuned with it, and the shorter stems of [`Stemmer::stem`] would let more pieces
    /// of words pass for words (`säker-hets`).
    pub fn stem_once<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if word.chars().any(|c| c.is_ascii_digit()) {
            Cow::Borrowed(word)
        } else {
            self.0.stem(word)
        }
    }
}

/// How many more times the stemmer is applied at most (a stem shortens each time).
const MAX_STEM_ROUNDS: usize = 3;

/// `stem` without a definite `-et` after a doubled consonant and without a doubled final
/// consonant (`rummet` → `rum`, `programm` → `program`); `None` when neither applies.
fn undouble(stem: &str) -> Option<String> {
    let base = stem
        .strip_suffix("et")
        .filter(|b| ends_doubled(b))
        .unwrap_or(stem);
    ends_doubled(base).then(|| {
        let mut shorter = base.to_string();
        shorter.pop();
        shorter
    })
}

/// Whether `word` ends in the same consonant twice, with at least three letters before.
fn ends_doubled(word: &str) -> bool {
    let mut rev = word.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(a), Some(b)) => a == b && !is_vowel(a) && a.is_alphabetic() && rev.count() >= 3,
        _ => false,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'å' | 'ä' | 'ö')
}

/// A word of a text, normalised, with where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased and folded.
    pub text: String,
    /// Byte offsets in the original text.
    pub start: usize,
    pub end: usize,
    /// Position in the text, counting every word (stop words too).
    pub position: u32,
    /// Words tied by hyphens share a group number; `None` for a word on its own.
    pub group: Option<u32>,
    pub stop: bool,
}

/// Swedish stop words: Snowball's list, and `många` (`hur många …`, the question word of a
/// journalist's query, more often than a word of the answer). They carry no meaning on their
/// own.
const STOP_WORDS: &[&str] = &[
    "alla", "allt", "att", "av", "blev", "bli", "blir", "blivit", "de", "dem", "den", "denna",
    "deras", "dess", "dessa", "det", "detta", "dig", "din", "dina", "ditt", "du", "där", "då",
    "efter", "ej", "eller", "en", "er", "era", "ert", "ett", "från", "för", "ha", "hade", "han",
    "hans", "har", "henne", "hennes", "hon", "honom", "hur", "här", "i", "icke", "ingen", "inom",
    "inte", "jag", "ju", "kan", "kunde", "man", "med", "mellan", "men", "mig", "min", "mina",
    "mitt", "mot", "mycket", "många", "ni", "nu", "när", "någon", "något", "några", "och", "om",
    "oss", "på", "samma", "sedan", "sig", "sin", "sina", "sitta", "själv", "skulle", "som", "så",
    "sådan", "sådana", "sådant", "till", "under", "upp", "ut", "utan", "vad", "var", "vara",
    "varför", "varit", "varje", "vars", "vart", "vem", "vi", "vid", "vilka", "vilkas", "vilken",
    "vilket", "vår", "våra", "vårt", "än", "är", "åt", "över",
];

/// The longest stop word, in bytes.
const LONGEST_STOP_WORD: usize = 7;

/// A word of at most eight bytes as one integer, so that the stop-word test, asked of
/// every word of the corpus, compares integers instead of strings.
const fn stop_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() {
        key = key << 8 | word[i] as u64;
        i += 1;
    }
    key
}

/// [`STOP_WORDS`] as sorted [`stop_key`]s (words hold no zero bytes, so keys are unique).
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0u64; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = stop_key(STOP_WORDS[i].as_bytes());
        // Insertion sort: `sort` is not available in constants.
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
};

/// Is `word` (normalised) a stop word?
pub fn is_stop_word(word: &str) -> bool {
    word.len() <= LONGEST_STOP_WORD && STOP_KEYS.binary_search(&stop_key(word.as_bytes())).is_ok()
}

/// Lower-cases and folds one character: foreign accents go, `å ä ö` stay.
fn fold(c: char, out: &mut String) {
    for c in c.to_lowercase() {
        let folded: &str = match c {
            'å' | 'ä' | 'ö' => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ä",
            'ø' | 'œ' => "ö",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ł' | 'ľ' | 'ĺ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
            'ŕ' | 'ř' => "r",
            'ß' => "ss",
            'ś' | 'š' | 'ş' => "s",
            'ť' | 'ţ' | 'þ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            c => {
                out.push(c);
                continue;
            }
        };
        out.push_str(folded);
    }
}

/// Lower-cases and folds a word.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// Lower-cases and folds a word onto the end of `out`.
pub fn normalize_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            fold(c, out);
        }
    }
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// The character at byte `i` of `text` (a char boundary) and its length in bytes.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (char::from(b), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c, c.len_utf8())
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// A word as [`scan`] finds it, normalised into a buffer that the next word reuses.
pub struct WordRef<'a> {
    pub text: &'a str,
    /// Byte offsets in the original text.
    pub start: usize,
    pub end: usize,
    /// Position in the text, counting every word.
    pub position: u32,
    pub stop: bool,
    /// A hyphen follows, and a word right after it: this word and the next are tied.
    pub tied_to_next: bool,
}

/// Calls `f` with each word of `text`, in order, without allocating per word.
pub fn scan(text: &str, mut f: impl FnMut(WordRef<'_>)) {
    let mut buffer = String::new();
    let mut position = 0u32;
    let mut i = 0;
    while i < text.len() {
        let (c, len) = char_at(text, i);
        if !is_word_char(c) {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        while i < text.len() {
            let (c, len) = char_at(text, i);
            if !is_word_char(c) {
                break;
            }
            i += len;
        }
        buffer.clear();
        normalize_into(&text[start..i], &mut buffer);
        let mut rest = text[i..].chars();
        f(WordRef {
            text: &buffer,
            start,
            end: i,
            position,
            stop: is_stop_word(&buffer),
            tied_to_next: rest.next().is_some_and(is_hyphen)
                && rest.next().is_some_and(is_word_char),
        });
        position += 1;
    }
}

/// Splits `text` into words, marking hyphen groups and stop words.
pub fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut group_id = 0u32;
    // The group of the previous word, when it is tied to this one.
    let mut open_group: Option<u32> = None;
    scan(text, |w| {
        let group = match (open_group, w.tied_to_next) {
            (Some(g), _) => Some(g),
            (None, true) => {
                group_id += 1;
                Some(group_id)
            }
            (None, false) => None,
        };
        open_group = if w.tied_to_next { group } else { None };
        words.push(Word {
            text: w.text.to_string(),
            start: w.start,
            end: w.end,
            position: w.position,
            group,
            stop: w.stop,
        });
    });
    words
}

/// What a token is made of, before stemming: a word, or a hyphen group joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Word,
    Group,
}

/// Calls `f` with the unstemmed form of each token of `text` (see [`tokens_of`]), without
/// allocating per word: for gathering a corpus's vocabulary.
pub fn surfaces(text: &str, mut f: impl FnMut(&str, Surface)) {
    let mut group = String::new();
    let mut in_group = false;
    scan(text, |w| {
        if !w.stop && w.text.len() <= MAX_TOKEN {
            f(w.text, Surface::Word);
        }
        // Past the longest token, a group grows no more: it will not be indexed.
        if (in_group || w.tied_to_next) && group.len() <= MAX_TOKEN {
            group.push_str(w.text);
        }
        in_group = w.tied_to_next;
        if !in_group && !group.is_empty() {
            if group.len() <= MAX_TOKEN {
                f(&group, Surface::Group);
            }
            group.clear();
        }
    });
}

/// A token for the index: a stem at a position, with the byte span it came from. The stem
/// is a `String`, or a shared `Arc<str>` where the build caches stems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<T = String> {
    pub text: T,
    pub start: usize,
    pub end: usize,
    pub position: u32,
}

/// The tokens of the `text` field: the stems of the words that are not stop words, and for
/// each hyphen group the stem of its words joined, at the group's first position. Words and
/// groups longer than [`MAX_TOKEN`] bytes are left out.
pub fn text_tokens(text: &str, stemmer: &Stemmer) -> Vec<Token> {
    tokens_of(&words(text), &|w| stemmer.stem(w).into_owned())
}

/// The `text` tokens of words already split (see [`text_tokens`]); `stem` stems a word.
pub fn tokens_of<T>(words: &[Word], stem: &dyn Fn(&str) -> T) -> Vec<Token<T>> {
    let mut tokens = Vec::with_capacity(words.len() + 4);
    for (i, w) in words.iter().enumerate() {
        if !w.stop && w.text.len() <= MAX_TOKEN {
            tokens.push(Token {
                text: stem(&w.text),
                start: w.start,
                end: w.end,
                position: w.position,
            });
        }
        if let Some((joined, end)) = group_at(words, i).filter(|(j, _)| j.len() <= MAX_TOKEN) {
            tokens.push(Token {
                text: stem(&joined),
                start: w.start,
                end,
                position: w.position,
            });
        }
    }
    tokens
}

/// When word `i` begins a hyphen group: the group's words joined, and its end in the text.
fn group_at(words: &[Word], i: usize) -> Option<(String, usize)> {
    let g = words[i].group?;
    if i > 0 && words[i - 1].group == Some(g) {
        return None;
    }
    let members = words[i..].iter().take_while(|x| x.group == Some(g));
    let joined = members.clone().map(|m| m.text.as_str()).collect();
    let end = members.last().map_or(words[i].end, |m| m.end);
    Some((joined, end))
}

/// FxHash (as in rustc): a fast hasher for the build's word maps, where keys are not
/// attacker-chosen in a way that matters (a build is the author's own content).
#[derive(Clone, Copy, Default)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Words shorter than this are never split into parts.
const MIN_COMPOUND: usize = 6;
/// Words longer than this (in characters) are never split: it bounds the work per word,
/// whatever a text holds (the longest word of the lexicon has 30 letters).
pub const MAX_COMPOUND: usize = 64;
/// Words (and hyphen groups joined) longer than this, in bytes, are not indexed: no one
/// searches for them, and each would cost the index a term.
pub const MAX_TOKEN: usize = 100;
/// The shortest part a compound may be split into, but for [`SHORT_MODIFIERS`].
const MIN_PART: usize = 3;
/// Two-letter words that may begin a compound when they are known (`itstrategin`, the
/// joined form of `IT-strategin`). Other two-letter words make more false splits than true
/// ones (`bo` + `stad`, `ny` + `het`).
const SHORT_MODIFIERS: &[&str] = &["it"];
/// The shortest head (last part), unless it is one of [`SHORT_HEADS`].
const MIN_HEAD: usize = 4;
/// Three-letter words common as the head of Swedish compounds (`verksamhetsmål`).
const SHORT_HEADS: &[&str] = &["bud", "fel", "lag", "led", "mål", "nät", "råd", "tid"];
/// Endings that look like words but are inflections or derivations (`verksamhet-ens`,
/// `kommun-erna`); never a head of their own.
const NOT_HEADS: &[&str] = &[
    "anden", "andet", "aren", "arens", "arna", "else", "elsen", "ensam", "elser", "endet", "ensen",
    "enser", "erna", "heten", "heter", "ighet", "ingar", "ingarna", "ings", "lighet", "liga",
    "ligt", "ning", "ningar", "ningen", "orna", "rade", "rades", "ring", "ringar", "ringarna",
    "ringen", "ringens", "rings", "skap", "skapet", "tens", "tion", "tioner",
];
/// Endings of present participles, never a head (`fram-kommande`, `grund-läggande`, and the
/// endings themselves: `verksamhet-ande`).
const NOT_HEAD_ENDINGS: &[&str] = &["ande", "ende"];
/// Words that are also prefixes bound to the word they begin (`samverkan`, `alltid`), and
/// adverbs that begin verbs rather than compounds (`framkommer`, `genomföra`): never a first
/// part of their own.
const NOT_MODIFIERS: &[&str] = &[
    "all", "besk", "däri", "därvid", "fast", "fort", "fram", "före", "förut", "genom", "huru",
    "inne", "komp", "kvar", "platt", "port", "sam", "samman", "ska", "trans", "väl", "åstad",
];

fn is_head(head: &str) -> bool {
    let n = head.chars().count();
    (n >= MIN_HEAD || SHORT_HEADS.contains(&head))
        && !NOT_HEADS.contains(&head)
        && !NOT_HEAD_ENDINGS.iter().any(|e| head.ends_with(e))
        && !is_stop_word(head)
}

/// How finely [`decompound`] splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// Into the fewest known words: `informationssäkerhet` + `policy` (for queries: precise).
    Coarse,
    /// Into the smallest known words: `information` + `säkerhet` + `policy` (for the index:
    /// a search for any part finds the whole).
    Fine,
}

/// Splits a compound word into the words it is made of, when every part is a known word
/// (`known` is asked about normalised surface forms).
///
/// The head (the last part) is tried longest first; the rest must itself be a known word,
/// possibly with a linking `s` or `e` (`informations-`, `säkerhets-`) or with its final `a`
/// turned into `o` or `u` (`nytto-`, `gatu-`), or split further. Returns `None` when the
/// word is not a compound of known words, or is longer than [`MAX_COMPOUND`]. The work is
/// bounded: each part of the word is looked at once (cubic in its length at worst).
pub fn decompound(word: &str, known: &dyn Fn(&str) -> bool, split: Split) -> Option<Vec<String>> {
    decompound_with(word, known, known, split)
}

/// [`decompound`] with one test for heads (last parts) and another for first parts, each
/// asked about normalised surface forms: the native indexer knows heads by stem and first
/// parts as written.
pub fn decompound_with(
    word: &str,
    head: &dyn Fn(&str) -> bool,
    modifier: &dyn Fn(&str) -> bool,
    split: Split,
) -> Option<Vec<String>> {
    if word.len() < MIN_COMPOUND || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .take(MAX_COMPOUND + 1)
        .collect();
    let n = bounds.len();
    if !(MIN_COMPOUND..=MAX_COMPOUND).contains(&n) {
        return None;
    }
    bounds.push(word.len());
    let cells = (n + 1) * (n + 1);
    let mut splitter = Splitter {
        word,
        bounds,
        head,
        modifier,
        split,
        heads: vec![None; cells],
        known_modifiers: vec![None; cells],
        compounds: vec![None; cells],
        modifiers: vec![None; cells],
    };
    splitter.compound(0, n)
}

/// The state of one [`decompound`]: what is known of each part of the word (by the char
/// range it spans), so that no part is looked at twice.
struct Splitter<'a> {
    word: &'a str,
    /// The byte offset of each char, and the word's length.
    bounds: Vec<usize>,
    head: &'a dyn Fn(&str) -> bool,
    modifier: &'a dyn Fn(&str) -> bool,
    split: Split,
    heads: Vec<Option<bool>>,
    known_modifiers: Vec<Option<bool>>,
    compounds: Vec<Option<Option<Vec<String>>>>,
    modifiers: Vec<Option<Option<Vec<String>>>>,
}

impl<'a> Splitter<'a> {
    fn cell(&self, a: usize, b: usize) -> usize {
        a * self.bounds.len() + b
    }

    fn part(&self, a: usize, b: usize) -> &'a str {
        &self.word[self.bounds[a]..self.bounds[b]]
    }

    /// Whether chars `a..b` are a known head.
    fn head(&mut self, a: usize, b: usize) -> bool {
        let cell = self.cell(a, b);
        if let Some(k) = self.heads[cell] {
            return k;
        }
        let part = self.part(a, b);
        let k = is_head(part) && (self.head)(part);
        self.heads[cell] = Some(k);
        k
    }

    /// Whether chars `a..b` are a known first part, as written.
    fn known(&mut self, a: usize, b: usize) -> bool {
        let cell = self.cell(a, b);
        if let Some(k) = self.known_modifiers[cell] {
            return k;
        }
        let k = (self.modifier)(self.part(a, b));
        self.known_modifiers[cell] = Some(k);
        k
    }

    /// A head at `at` and a first part before it, as parts.
    fn split_at(&mut self, a: usize, at: usize, b: usize) -> Option<Vec<String>> {
        if !self.head(at, b) {
            return None;
        }
        let mut parts = self.modifier(a, at)?;
        let head_parts = match self.split {
            Split::Fine => self.compound(at, b),
            Split::Coarse => None,
        };
        parts.extend(head_parts.unwrap_or_else(|| vec![self.part(at, b).to_string()]));
        Some(parts)
    }

    /// The parts of chars `a..b` as a compound: a modifier and a head.
    fn compound(&mut self, a: usize, b: usize) -> Option<Vec<String>> {
        let cell = self.cell(a, b);
        if let Some(done) = &self.compounds[cell] {
            return done.clone();
        }
        let parts = self.compound_uncached(a, b);
        self.compounds[cell] = Some(parts.clone());
        parts
    }

    fn compound_uncached(&mut self, a: usize, b: usize) -> Option<Vec<String>> {
        if b - a < MIN_COMPOUND {
            return None;
        }
        for at in a + 2..=b - 3 {
            let Some(parts) = self.split_at(a, at, b) else {
                continue;
            };
            // A head that begins with a linking letter is read without it when that splits
            // too: `personuppgifts` + `lagen`, not `personuppgift` + `slagen`.
            let linked = matches!(self.part(at, at + 1), "s" | "e")
                .then(|| self.split_at(a, at + 1, b))
                .flatten();
            return Some(linked.unwrap_or(parts));
        }
        None
    }

    /// The parts of chars `a..e` as the first element of a compound: a known word, the same
    /// with a linking `s` or `e` or an `a` turned `o`/`u`, or a compound itself.
    fn modifier(&mut self, a: usize, e: usize) -> Option<Vec<String>> {
        let cell = self.cell(a, e);
        if let Some(done) = &self.modifiers[cell] {
            return done.clone();
        }
        let parts = self.modifier_uncached(a, e);
        self.modifiers[cell] = Some(parts.clone());
        parts
    }

    /// The base form of chars `a..e` when the first part of a compound lost or changed its
    /// last vowel: `nytto` → `nytta`, `gatu` → `gata` (tried before the form itself, which
    /// the lexicon may know as a form of compounds only), `beställar` → `beställare`, `skol`
    /// → `skola` (a noun: not `förs` → `förse`).
    fn base_form(&self, a: usize, e: usize) -> Option<String> {
        if e - a <= MIN_PART {
            return None;
        }
        let (prefix, last) = (self.part(a, e), self.part(e - 1, e));
        let base = match last {
            "o" | "u" => format!("{}a", self.part(a, e - 1)),
            "r" => format!("{prefix}e"),
            _ => format!("{prefix}a"),
        };
        let noun = !matches!(last, "o" | "u" | "r");
        ((self.modifier)(&base) && (!noun || (self.head)(&base))).then_some(base)
    }

    fn modifier_uncached(&mut self, a: usize, e: usize) -> Option<Vec<String>> {
        let prefix = self.part(a, e);
        let short = e - a < MIN_PART;
        if (short && !SHORT_MODIFIERS.contains(&prefix))
            || is_stop_word(prefix)
            || NOT_MODIFIERS.contains(&prefix)
        {
            return None;
        }
        let last = self.part(e - 1, e);
        // Without its linking letter: `informations` → `information`.
        let linked = e - a > MIN_PART
            && matches!(last, "s" | "e")
            && !is_stop_word(self.part(a, e - 1))
            && !NOT_MODIFIERS.contains(&self.part(a, e - 1));
        let vowel_changed = matches!(last, "o" | "u");
        let whole = match vowel_changed.then(|| self.base_form(a, e)).flatten() {
            Some(base) => Some(base),
            None if self.known(a, e) => Some(prefix.to_string()),
            None if linked && self.known(a, e - 1) => Some(self.part(a, e - 1).to_string()),
            None => self.base_form(a, e),
        };
        if self.split == Split::Fine || whole.is_none() {
            let finer = self.compound(a, e).or_else(|| {
                if linked {
                    self.compound(a, e - 1)
                } else {
                    None
                }
            });
            if finer.is_some() {
                return finer;
            }
        }
        whole.map(|w| vec![w])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn surfaces_are_the_tokens_unstemmed() {
        for text in [
            "IT-säkerheten i kommunerna och e-tjänsterna",
            "Kommun-, IT- och säkerhets-chefen; a-b-c-d, x- y -z",
            "Ett avtal: 2019-05-01, IT–stöd och it\u{2010}stöd.",
            "",
        ] {
            let expected: Vec<String> = tokens_of(&words(text), &|w| w.to_string())
                .into_iter()
                .map(|t| t.text)
                .collect();
            let mut found = Vec::new();
            surfaces(text, |s, _| found.push(s.to_string()));
            // `tokens_of` puts a group right after its first word, `surfaces` after its last.
            let (mut expected, mut found) = (expected, found);
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn stop_words_are_found_and_only_they() {
        for word in STOP_WORDS {
            assert!(
                word.len() <= LONGEST_STOP_WORD,
                "{word} is longer than the limit"
            );
            assert!(is_stop_word(word), "{word}");
        }
        for word in [
            "", "al", "allas", "atta", "vårta", "övers", "kommun", "ä", "öv",
        ] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn words_fold_accents_but_keep_swedish_letters() {
        let w = words("Café Ångström ÖVERSYN naïve");
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["cafe", "ångström", "översyn", "naive"]);
    }

    #[test]
    fn hyphen_groups() {
        let w = words("IT-säkerhet och e-tjänster, men inte IT- eller");
        let groups: Vec<Option<u32>> = w.iter().map(|w| w.group).collect();
        assert_eq!(
            groups,
            [
                Some(1),
                Some(1),
                None,
                Some(2),
                Some(2),
                None,
                None,
                None,
                None
            ]
        );
        assert!(w[2].stop);
    }

    #[test]
    fn text_tokens_stem_and_join_hyphen_groups() {
        let s = Stemmer::default();
        let t = text_tokens("IT-säkerheten i kommunerna", &s);
        let texts: Vec<(&str, u32)> = t.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert!(texts.contains(&("it", 0)));
        assert!(texts.contains(&(s.stem("säkerheten").as_ref(), 1)));
        assert!(texts.contains(&(s.stem("itsäkerheten").as_ref(), 0)));
        assert!(
            texts.contains(&(s.stem("kommunerna").as_ref(), 3)),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|(t, _)| *t == "i"), "stop word dropped");
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let s = Stemmer::default();
        for forms in [
            &["rekommendationer", "rekommendationen", "rekommendation"][..],
            &["kommunerna", "kommunen", "kommun", "kommunens"],
            &["kompetens", "kompetensen", "kompetenser"],
            &["licens", "licenser", "licenserna"],
            &["finansieras", "finansierats", "finansierat"],
            &["serverrum", "serverrummet", "serverrummen"],
            &["program", "programmet"],
            &["system", "systemet", "systemen"],
        ] {
            let stems: Vec<_> = forms.iter().map(|f| s.stem(f)).collect();
            assert!(stems.iter().all(|x| *x == stems[0]), "{forms:?}: {stems:?}");
        }
        // Different words stay apart.
        assert_ne!(s.stem("styrning"), s.stem("styrelse"));
        assert_ne!(s.stem("system"), s.stem("systemförvaltning"));
    }

    fn vocabulary(words: &[&str]) -> impl Fn(&str) -> bool {
        let set: HashSet<String> = words.iter().map(|w| w.to_string()).collect();
        move |w: &str| set.contains(w)
    }

    #[test]
    fn compounds_split_with_linking_s() {
        let known = vocabulary(&[
            "information",
            "säkerhet",
            "policy",
            "kompetens",
            "system",
            "förvaltning",
        ]);
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Fine),
            Some(vec![
                "information".into(),
                "säkerhet".into(),
                "policy".into()
            ])
        );
        assert_eq!(
            decompound("systemförvaltning", &known, Split::Fine),
            Some(vec!["system".into(), "förvaltning".into()])
        );
        assert_eq!(decompound("policy", &known, Split::Fine), None);
        assert_eq!(
            decompound("okändkompetens", &known, Split::Fine),
            None,
            "unknown first part"
        );
    }

    #[test]
    fn coarse_splits_keep_known_compounds_whole() {
        let known = vocabulary(&["information", "informationssäkerhet", "säkerhet", "policy"]);
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Coarse),
            Some(vec!["informationssäkerhet".into(), "policy".into()])
        );
        assert_eq!(
            decompound("informationssäkerhetspolicy", &known, Split::Fine),
            Some(vec![
                "information".into(),
                "säkerhet".into(),
                "policy".into()
            ])
        );
    }

    #[test]
    fn short_prefixes_and_stop_words_do_not_split() {
        let known = vocabulary(&["svar", "verkan", "och"]);
        assert_eq!(decompound("ansvar", &known, Split::Fine), None);
        assert_eq!(decompound("samverkan", &known, Split::Fine), None);
    }

    #[test]
    fn linking_e_and_changed_vowels() {
        let known = vocabulary(&[
            "tjänst",
            "leverans",
            "nytta",
            "kalkyl",
            "gata",
            "belysning",
            "beställare",
            "kompetens",
        ]);
        let split = |w| decompound(w, &known, Split::Fine);
        assert_eq!(
            split("tjänsteleverans"),
            Some(vec!["tjänst".into(), "leverans".into()])
        );
        assert_eq!(
            split("nyttokalkyl"),
            Some(vec!["nytta".into(), "kalkyl".into()])
        );
        assert_eq!(
            split("gatubelysning"),
            Some(vec!["gata".into(), "belysning".into()])
        );
        assert_eq!(
            split("beställarkompetens"),
            Some(vec!["beställare".into(), "kompetens".into()])
        );
    }

    #[test]
    fn a_linking_s_is_not_read_as_the_head_s_first_letter() {
        let known = vocabulary(&["personuppgift", "lag", "slag", "lagen", "slagen"]);
        assert_eq!(
            decompound("personuppgiftslagen", &known, Split::Fine),
            Some(vec!["personuppgift".into(), "lagen".into()])
        );
    }

    #[test]
    fn two_letter_parts_only_from_the_short_list() {
        let known = vocabulary(&["it", "strategi", "bo", "stad"]);
        assert_eq!(
            decompound("itstrategi", &known, Split::Fine),
            Some(vec!["it".into(), "strategi".into()])
        );
        assert_eq!(decompound("bostad", &known, Split::Fine), None);
    }

    #[test]
    fn bound_prefixes_do_not_split() {
        let known = vocabulary(&["sam", "verkan", "fram", "kommer", "all", "tid"]);
        assert_eq!(decompound("samverkan", &known, Split::Fine), None);
        assert_eq!(decompound("framkommer", &known, Split::Fine), None);
        assert_eq!(decompound("alltid", &known, Split::Fine), None);
    }

    #[test]
    fn long_words_are_bounded_and_fast() {
        // Every piece known: without memoising, splitting is exponential in the length.
        let all = |w: &str| w.chars().count() >= 3;
        let word = "abc".repeat(MAX_COMPOUND / 3);
        let start = std::time::Instant::now();
        for split in [Split::Fine, Split::Coarse] {
            assert!(decompound(&word, &all, split).is_some());
        }
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        // Past the cap, nothing is split, and a huge word is analysed in linear time.
        let huge = "a".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(decompound(&huge, &all, Split::Fine), None);
        assert_eq!(decompound(&"abc".repeat(22), &all, Split::Fine), None);
        let text = format!("en {huge} och {huge}-{huge} kalkyl");
        let tokens = text_tokens(&text, &Stemmer::default());
        let mut found = Vec::new();
        surfaces(&text, |s, _| found.push(s.to_string()));
        assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
        assert_eq!(
            tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["kalkyl"],
            "tokens longer than MAX_TOKEN are not indexed"
        );
        assert_eq!(found, ["kalkyl"]);
    }

    #[test]
    fn inflection_endings_are_not_heads() {
        let known = vocabulary(&["verksamhet", "ens", "kommun", "erna", "mål"]);
        assert_eq!(decompound("verksamhetens", &known, Split::Fine), None);
        assert_eq!(decompound("kommunerna", &known, Split::Fine), None);
        assert_eq!(
            decompound("verksamhetsmål", &known, Split::Fine),
            Some(vec!["verksamhet".into(), "mål".into()])
        );
    }
}
