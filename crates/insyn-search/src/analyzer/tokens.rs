//! Normalisation and tokens: a text cut into words (runs of letters and digits), each
//! lower-cased and folded, stop words marked, hyphen groups tied, and the tokens indexed and
//! searched for (stems, and a hyphen group joined).

use super::Stemmer;

/// Words (and hyphen groups joined) longer than this, in bytes, are not indexed: no one
/// searches for them, and each would cost the index a term.
pub const MAX_TOKEN: usize = 100;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
