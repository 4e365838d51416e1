//! How a call's outcome travels: the `grpc-status` and `grpc-message` headers.
//!
//! They come in the trailers (the HEADERS frame that ends the response), or in the only
//! HEADERS frame of a Trailers-Only response, which a server sends when it fails before
//! having anything to answer. `grpc-status` is a decimal number with no leading zeros, sent
//! even for OK. `grpc-message` is free text: UTF-8, then percent-encoded so that only
//! visible ASCII goes into the header (`Product does not exist: 커피` arrives as
//! `Product%20does%20not%20exist%3A%20%EC%BB%A4%ED%94%BC`).

use std::fmt;

use http::HeaderMap;

/// The status codes, by number (grpc's `doc/statuscodes.md`).
pub const CODE_NAMES: [&str; 17] = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
];

/// The outcome of a call as the server stated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrpcStatus {
    /// The `grpc-status` code.
    pub code: u32,
    /// The `grpc-message`, percent-decoded; empty when there was none.
    pub message: String,
}

impl GrpcStatus {
    /// Reads the status from a HEADERS frame (trailers, or a Trailers-Only response).
    ///
    /// `None` when the frame has no `grpc-status`; an error when it has one that is not a
    /// status code.
    pub fn from_headers(headers: &HeaderMap) -> Option<Result<Self, StatusError>> {
        let code = headers.get("grpc-status")?;
        let message = headers
            .get("grpc-message")
            .map(|value| percent_decode(value.as_bytes()))
            .unwrap_or_default();
        Some(parse_code(code.as_bytes()).map(|code| Self { code, message }))
    }

    /// The code's name, `NOT_FOUND` for 5.
    pub fn code_name(&self) -> &'static str {
        code_name(self.code)
    }
}

impl fmt::Display for GrpcStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code_name(), self.code)?;
        if !self.message.is_empty() {
            write!(f, " {:?}", self.message)?;
        }
        Ok(())
    }
}

/// The name of status code `code`; codes past 16 are not defined.
pub fn code_name(code: u32) -> &'static str {
    usize::try_from(code)
        .ok()
        .and_then(|index| CODE_NAMES.get(index))
        .copied()
        .unwrap_or("(undefined code)")
}

/// A `grpc-status` header that is not a status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError(pub String);

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grpc-status {:?} is not a decimal status code", self.0)
    }
}

impl std::error::Error for StatusError {}

/// Parses a `grpc-status` value: ASCII digits, no sign, no leading zero.
pub fn parse_code(value: &[u8]) -> Result<u32, StatusError> {
    let invalid = || StatusError(String::from_utf8_lossy(value).into_owned());
    let text = std::str::from_utf8(value).map_err(|_| invalid())?;
    let digits_only = !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if !digits_only || (text.len() > 1 && text.starts_with('0')) {
        return Err(invalid());
    }
    text.parse().map_err(|_| invalid())
}

/// Decodes a percent-encoded `grpc-message`.
///
/// `%` and two hex digits stand for one byte; the bytes are then read as UTF-8. As the spec
/// asks, this never fails: a `%` not followed by two hex digits stays as it is, and bytes
/// that are not UTF-8 become U+FFFD.
pub fn percent_decode(value: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(value.len());
    let mut index = 0;
    while index < value.len() {
        let escaped = match value.get(index..index + 3) {
            Some([b'%', high, low]) => hex_digit(*high).zip(hex_digit(*low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                bytes.push((high << 4) | low);
                index += 3;
            }
            None => {
                bytes.push(value[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_become_utf8() {
        assert_eq!(
            percent_decode(b"Product%20does%20not%20exist%3A%20%EC%BB%A4%ED%94%BC"),
            "Product does not exist: 커피"
        );
        assert_eq!(percent_decode(b"%F0%9F%9A%80 100%25"), "🚀 100%");
    }

    #[test]
    fn bad_escapes_never_fail() {
        assert_eq!(percent_decode(b"100% sure %zz %4"), "100% sure %zz %4");
        assert_eq!(percent_decode(b"%FF!"), "\u{fffd}!");
    }

    #[test]
    fn status_codes_are_plain_decimals() {
        assert_eq!(parse_code(b"0"), Ok(0));
        assert_eq!(parse_code(b"16"), Ok(16));
        for bad in [&b""[..], b"05", b"+5", b"-1", b"five", b"99999999999"] {
            assert!(parse_code(bad).is_err(), "{bad:?}");
        }
        assert_eq!(code_name(5), "NOT_FOUND");
        assert_eq!(code_name(17), "(undefined code)");
    }
}
