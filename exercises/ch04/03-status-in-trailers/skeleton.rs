//! Exercise ch04/03 · 트레일러 속 상태 (The status in the trailers). The task is in
//! `README.md` beside this file; the checks are `tests/ch04_status_in_trailers.rs`.
//!
//! A call's outcome travels in the trailers, the HEADERS frame that ends the response:
//! `grpc-status` is the code as a decimal number, `grpc-message` the message, percent-encoded
//! so that only visible ASCII goes into an HTTP/2 header. [`encode_grpc_message`] writes
//! that encoding and [`status_from_trailers`] reads both back. [`TrailerError`] and its
//! messages are complete.

use std::fmt;

use http::HeaderMap;
use tonic::Status;

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

/// `message` as a `grpc-message` value: every byte of its UTF-8 outside the visible ASCII
/// range 0x20 to 0x7E, and `%` itself, written as `%` and two upper-case hex digits.
pub fn encode_grpc_message(message: &str) -> String {
    // EXERCISE: go through `message.bytes()` and write each byte as it is, or as `%XX`.
    message.to_owned()
}

/// The status the trailers carry: the code from `grpc-status`, the message from
/// `grpc-message` percent-decoded (empty when there is none).
pub fn status_from_trailers(trailers: &HeaderMap) -> Result<Status, TrailerError> {
    // EXERCISE: read `grpc-status` (missing: `MissingStatus`; not a number from 0 to 16:
    // `InvalidStatus`) and make a `tonic::Code` of it with `Code::from_i32`. Decode
    // `grpc-message`: `%` and two hex digits is one byte; any other `%` stays as it is; bytes
    // that are not UTF-8 become U+FFFD (`String::from_utf8_lossy`).
    let _ = trailers;
    Err(TrailerError::MissingStatus)
}
