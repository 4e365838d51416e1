//! The book's OAuth 2.0 token, once, and the one way this workspace compares secrets.
//!
//! Chapter 6's token server and chapter 8's middleware both accept the book's token, and the
//! tour, the tests and the attack suite send it: one constant keeps them from drifting apart.
//!
//! A server that checks a password or a token with `==` answers sooner the sooner the guess
//! goes wrong: slice equality stops at the first differing byte. Someone who can time many
//! refusals then learns how many leading bytes of a guess were right, and can find the secret
//! one byte at a time instead of guessing it whole. [`same_secret`] takes as long for a guess
//! that is wrong in its first byte as for one wrong in its last.

use subtle::ConstantTimeEq;

/// The token's text, once: a macro, so `concat!` can build [`BOOK_BEARER`] from it at compile
/// time (it takes literals, not constants).
macro_rules! book_token {
    () => {
        "some-secret-token"
    };
}

/// The book's OAuth 2.0 access token (`authorization: Bearer some-secret-token`), accepted by
/// `ch06-server token` and `ch08-middleware-server`.
pub const BOOK_TOKEN: &str = book_token!();

/// The `authorization` value that bears [`BOOK_TOKEN`], for a caller that writes the header
/// itself.
pub const BOOK_BEARER: &str = concat!("Bearer ", book_token!());

/// Whether `given` is `expected`, in a time that does not depend on where they first differ.
///
/// The time does depend on the lengths: two slices of different lengths are refused at once,
/// so the length of the secret can leak, as it does with every compare of this kind (Go's
/// `subtle.ConstantTimeCompare` does the same). Its content does not, and a secret long enough
/// to be worth keeping is not found by knowing its length.
pub fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.ct_eq(expected).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_bytes_are_the_same_secret() {
        let token = BOOK_TOKEN.as_bytes();
        assert!(same_secret(token, token));
        assert!(same_secret(b"", b""));
        let last_byte_wrong = format!("{}N", &BOOK_TOKEN[..BOOK_TOKEN.len() - 1]);
        let longer = format!("{BOOK_TOKEN}-and-more");
        for guess in [
            last_byte_wrong.as_bytes(),
            &token[..token.len() - 1],
            longer.as_bytes(),
            b"",
        ] {
            assert!(!same_secret(guess, token), "{guess:?}");
        }
    }
}
