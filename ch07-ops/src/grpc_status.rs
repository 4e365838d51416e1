//! How a call ended, as both observing layers read it from the wire.
//!
//! A call's `grpc-status` (and `grpc-message`, percent-encoded) comes either in the response
//! headers, when the server fails the call before sending any message ("trailers-only"), or
//! in the trailers after the last message. tonic's `Status::from_header_map` would do, but it
//! panics on a malformed `grpc-status-details-bin` from the peer, so the layers read the two
//! entries they need themselves.

use http::HeaderMap;
use tonic::Code;

/// The status in `headers` (response headers or trailers), if there is one.
pub(crate) fn status_in(headers: &HeaderMap) -> Option<tonic::Status> {
    let code = headers.get("grpc-status")?.to_str().ok()?.parse().ok()?;
    let message = headers
        .get("grpc-message")
        .map(|value| percent_encoding::percent_decode(value.as_bytes()).decode_utf8_lossy())
        .unwrap_or_default();
    Some(tonic::Status::new(Code::from_i32(code), message))
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
    }

    #[test]
    fn no_or_bad_status_is_none() {
        let mut headers = HeaderMap::new();
        assert!(status_in(&headers).is_none());
        headers.insert("grpc-status", HeaderValue::from_static("five"));
        assert!(status_in(&headers).is_none());
    }
}
