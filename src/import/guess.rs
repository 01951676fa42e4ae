//! A value an import found, and how sure it is: a guess carries the note that the draft
//! writes beside it as a review marker (`# review: …`), which `insyn check` reports.

/// A value and, when it is not certain, why a reviewer should look at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guess<T> {
    pub value: T,
    /// `None`: certain (given on the command line, or read from a fixed phrase).
    pub review: Option<String>,
}

impl<T> Guess<T> {
    /// A value given on the command line or read unambiguously.
    pub fn sure(value: T) -> Guess<T> {
        Guess {
            value,
            review: None,
        }
    }

    /// A value to review, for the reason given.
    pub fn review(value: T, why: impl Into<String>) -> Guess<T> {
        Guess {
            value,
            review: Some(why.into()),
        }
    }
}
