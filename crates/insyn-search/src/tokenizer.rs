//! The Swedish analyzer as a tantivy tokenizer, registered under [`crate::schema::ANALYZER`]
//! by both the writer and the reader (tantivy stores only the analyzer's name).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analyzer::{Stemmer, text_tokens};

/// Tokenizes with [`text_tokens`]: stems, stop words removed, hyphen groups joined.
#[derive(Clone, Default)]
pub struct SwedishTokenizer;

/// The tokens of one text.
pub struct SwedishTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = SwedishTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SwedishTokenStream {
        let stemmer = Stemmer::default();
        SwedishTokenStream {
            tokens: to_tantivy(text_tokens(text, &stemmer)),
            next: 0,
        }
    }
}

/// Converts analyzer tokens to tantivy's.
fn to_tantivy(tokens: Vec<crate::analyzer::Token>) -> Vec<Token> {
    tokens
        .into_iter()
        .map(|t| Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position as usize,
            text: t.text,
            position_length: 1,
        })
        .collect()
}

impl TokenStream for SwedishTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Tantivy's default tokenizers plus the Swedish analyzer.
pub fn manager() -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    for name in [crate::schema::ANALYZER, crate::schema::PARTS_ANALYZER] {
        manager.register(
            name,
            tantivy::tokenizer::TextAnalyzer::from(SwedishTokenizer),
        );
    }
    manager
}
