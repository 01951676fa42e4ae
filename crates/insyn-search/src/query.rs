//! Reading what people type into a search box, leniently.
//!
//! The syntax is what search boxes usually accept: plain words (all must match),
//! `"exact phrases"`, `OR` between alternatives, `-word` to exclude, `word*` for a prefix.
//! Anything else is read as words; no input is an error.

/// A parsed query: groups that must all match (each group matches when one of its
/// alternatives does) and clauses that must not match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub required: Vec<Vec<Clause>>,
    pub excluded: Vec<Clause>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
    }
}

/// One thing to match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    /// A word as typed (it may still hold a hyphen, `IT-säkerhet`); `prefix` for `word*`.
    Word { text: String, prefix: bool },
    /// The text between quotes.
    Phrase(String),
}

/// Longest query read; more is ignored (a search box is not a document).
const MAX_QUERY: usize = 1000;
/// Most clauses read.
const MAX_CLAUSES: usize = 32;

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// A lexical token: a clause, with whether it was negated, or the `OR` keyword.
enum Lexeme {
    Clause(Clause, bool),
    Or,
}

fn lex(input: &str) -> Vec<Lexeme> {
    let input: String = input.chars().take(MAX_QUERY).collect();
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-' && {
            let mut ahead = chars.clone();
            ahead.next();
            ahead
                .peek()
                .is_some_and(|n| !n.is_whitespace() && *n != '-')
        };
        if negated || c == '+' {
            chars.next();
        }
        if chars.peek().is_some_and(|&c| is_quote(c)) {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| !is_quote(c)).collect();
            out.push(Lexeme::Clause(Clause::Phrase(phrase), negated));
            continue;
        }
        let mut raw = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || is_quote(c) {
                break;
            }
            raw.push(c);
            chars.next();
        }
        if raw == "OR" || raw == "|" || raw == "ELLER" {
            out.push(Lexeme::Or);
            continue;
        }
        let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '*');
        let prefix = trimmed.ends_with('*');
        let text = trimmed.trim_end_matches('*').to_string();
        if text.chars().any(char::is_alphanumeric) {
            out.push(Lexeme::Clause(Clause::Word { text, prefix }, negated));
        }
    }
    out
}

/// Parses `input`. Never fails: unbalanced quotes end at the end, a dangling `OR` is
/// ignored; a query of only exclusions means everything but them.
pub fn parse(input: &str) -> Query {
    let mut query = Query::default();
    let mut join_next = false;
    let mut clauses = 0;
    for lexeme in lex(input) {
        match lexeme {
            Lexeme::Or => join_next = !query.required.is_empty(),
            Lexeme::Clause(clause, negated) => {
                clauses += 1;
                if clauses > MAX_CLAUSES {
                    break;
                }
                if negated {
                    query.excluded.push(clause);
                } else if join_next {
                    query
                        .required
                        .last_mut()
                        .expect("join_next needs a group")
                        .push(clause);
                } else {
                    query.required.push(vec![clause]);
                }
                join_next = false;
            }
        }
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Clause {
        Clause::Word {
            text: t.into(),
            prefix: false,
        }
    }

    #[test]
    fn words_phrases_or_and_exclusion() {
        let q = parse(r#"IT-säkerhet "styrning av IT" pm3 OR ITIL -skola rekommend*"#);
        assert_eq!(
            q.required,
            vec![
                vec![word("IT-säkerhet")],
                vec![Clause::Phrase("styrning av IT".into())],
                vec![word("pm3"), word("ITIL")],
                vec![Clause::Word {
                    text: "rekommend".into(),
                    prefix: true
                }],
            ]
        );
        assert_eq!(q.excluded, vec![word("skola")]);
    }

    #[test]
    fn malformed_input_is_read_leniently() {
        assert!(parse("").is_empty());
        assert!(parse("   \"  ").required.len() <= 1);
        assert_eq!(parse("OR OR a OR").required, vec![vec![word("a")]]);
        assert_eq!(
            parse("\"öppen fras").required,
            vec![vec![Clause::Phrase("öppen fras".into())]]
        );
        assert_eq!(parse("(styrning)").required, vec![vec![word("styrning")]]);
        assert!(parse("***  --- ()").is_empty());
        assert_eq!(parse("- a").required, vec![vec![word("a")]]);
    }

    #[test]
    fn long_input_is_capped() {
        let long = "ord ".repeat(10_000);
        assert_eq!(parse(&long).required.len(), MAX_CLAUSES);
    }
}
