//! Exercise ch04/03 · 트레일러 속 상태 (The status in the trailers): a reference solution.
//!
//! HTTP/2 header values may hold visible ASCII only, and a status message is any UTF-8 text,
//! so the gRPC over HTTP/2 spec has `grpc-message` percent-encoded: bytes from 0x20 to 0x7E
//! go as they are, except `%`, which starts an escape; every other byte goes as `%XX`. The
//! encoding works on bytes, not characters: a Korean syllable is three UTF-8 bytes, three
//! escapes.
//!
//! Reading is lenient where the spec asks it to be: a `%` not followed by two hex digits is
//! kept as it is, and bytes that do not make UTF-8 become U+FFFD, since a client that throws
//! a status away over a bad message would hide the code, which matters more. The code itself
//! is strict: a status that is not a number from 0 to 16 is no status at all.

use std::fmt;

use http::HeaderMap;
use tonic::{Code, Status};

/// Why trailers hold no status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailerError {
    /// There is no `grpc-status` at all.
    MissingStatus,
    /// `grpc-status` is not a code from 0 to 16; the value is as it came (non-UTF-8 bytes
    /// replaced).
    InvalidStatus(String),
}

impl fmt::Display for TrailerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingStatus => write!(f, "the trailers have no grpc-status"),
            Self::InvalidStatus(value) => {
                write!(f, "grpc-status {value:?} is not a status code from 0 to 16")
            }
        }
    }
}

impl std::error::Error for TrailerError {}

/// The largest status code there is, `UNAUTHENTICATED`.
const LAST_CODE: u32 = 16;

/// `message` as a `grpc-message` value: every byte of its UTF-8 outside the visible ASCII
/// range 0x20 to 0x7E, and `%` itself, written as `%` and two upper-case hex digits.
pub fn encode_grpc_message(message: &str) -> String {
    let mut encoded = String::with_capacity(message.len());
    for byte in message.bytes() {
        if (0x20..=0x7e).contains(&byte) && byte != b'%' {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The status the trailers carry: the code from `grpc-status`, the message from
/// `grpc-message` percent-decoded (empty when there is none).
pub fn status_from_trailers(trailers: &HeaderMap) -> Result<Status, TrailerError> {
    let value = trailers
        .get("grpc-status")
        .ok_or(TrailerError::MissingStatus)?
        .as_bytes();
    let code = parse_code(value)
        .ok_or_else(|| TrailerError::InvalidStatus(String::from_utf8_lossy(value).into_owned()))?;
    let message = trailers
        .get("grpc-message")
        .map(|message| percent_decode(message.as_bytes()))
        .unwrap_or_default();
    Ok(Status::new(code, message))
}

/// One or more decimal digits making a number from 0 to 16. `u32::from_str` alone would
/// also take a leading `+`.
fn parse_code(value: &[u8]) -> Option<Code> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number: u32 = std::str::from_utf8(value).ok()?.parse().ok()?;
    if number > LAST_CODE {
        return None;
    }
    Some(Code::from_i32(i32::try_from(number).ok()?))
}

/// `%XX` (either case) becomes the byte `0xXX`; every other byte, a lone `%` included, stays.
/// The bytes are then read as UTF-8, with U+FFFD for any that are not.
fn percent_decode(encoded: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some((&first, after)) = rest.split_first() {
        if first == b'%'
            && let [high, low, after_escape @ ..] = after
            && let (Some(high), Some(low)) = (hex_digit(*high), hex_digit(*low))
        {
            bytes.push(high << 4 | low);
            rest = after_escape;
        } else {
            bytes.push(first);
            rest = after;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The value of one hex digit, `0`-`9`, `a`-`f` or `A`-`F`.
fn hex_digit(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}
