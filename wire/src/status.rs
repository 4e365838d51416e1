//! How a call ended, read from the wire.
//!
//! A call's `grpc-status` (and `grpc-message`, percent-encoded) comes either in the response
//! headers, when the server fails the call before sending any message ("Trailers-Only"), or
//! in the trailers after the last message. tonic's `Status::from_header_map` would do, but it
//! panics on a malformed `grpc-status-details-bin` from the peer, so a layer that watches
//! other people's calls reads the two entries it needs itself, with these.

use http::HeaderMap;
use tonic::{Code, Status};

/// The code in `headers` (response headers or trailers), if there is one: all a load tester
/// needs, without decoding the message.
pub fn code_in(headers: &HeaderMap) -> Option<Code> {
    let code = headers
        .get(Status::GRPC_STATUS)?
        .to_str()
        .ok()?
        .parse()
        .ok()?;
    Some(Code::from_i32(code))
}

/// The status in `headers` (response headers or trailers), if there is one, with its
/// message percent-decoded.
pub fn status_in(headers: &HeaderMap) -> Option<Status> {
    let code = code_in(headers)?;
    let message = headers
        .get(Status::GRPC_MESSAGE)
        .map(|value| percent_encoding::percent_decode(value.as_bytes()).decode_utf8_lossy())
        .unwrap_or_default();
    Some(Status::new(code, message))
}

/// The status code's name in the gRPC spec: `OK`, `NOT_FOUND`, `UNAVAILABLE`, ...
pub fn spec_name(code: Code) -> String {
    if code == Code::Ok {
        return "OK".into();
    }
    let mut name = String::new();
    for (i, c) in format!("{code:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    #[test]
    fn the_message_is_decoded() {
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", HeaderValue::from_static("5"));
        trailers.insert(
            "grpc-message",
            HeaderValue::from_static("Product%20does%20not%20exist."),
        );
        let status = status_in(&trailers).expect("a status");
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(status.message(), "Product does not exist.");
        assert_eq!(code_in(&trailers), Some(Code::NotFound));
    }

    #[test]
    fn code_names_follow_the_spec() {
        assert_eq!(spec_name(Code::Ok), "OK");
        assert_eq!(spec_name(Code::NotFound), "NOT_FOUND");
        assert_eq!(spec_name(Code::DeadlineExceeded), "DEADLINE_EXCEEDED");
    }

    #[test]
    fn no_or_bad_status_is_none() {
        let mut headers = HeaderMap::new();
        assert!(status_in(&headers).is_none());
        headers.insert("grpc-status", HeaderValue::from_static("five"));
        assert!(status_in(&headers).is_none());
        assert!(code_in(&headers).is_none());
    }
}
