//! The `grpc-timeout` header, held to the spec before any handler runs.
//!
//! `PROTOCOL-HTTP2.md` defines it as `TimeoutValue TimeoutUnit`: a positive integer of at most
//! eight ASCII digits, then one of `H M S m u n`. tonic parses it, but on a malformed value
//! it logs at trace level and serves the call with no deadline, so a client that meant "give
//! up after a second" is never told its header was ignored. grpc-go answers such a call with
//! `INTERNAL` "malformed grpc-timeout", and so do we.

use http::HeaderMap;
use tonic::Status;

/// The header's name.
const GRPC_TIMEOUT: &str = "grpc-timeout";

/// The status to answer a call with instead of serving it, if its `grpc-timeout` is malformed
/// (`INTERNAL`) or zero (`DEADLINE_EXCEEDED`: the deadline passed before the call arrived).
pub(super) fn refusal(headers: &HeaderMap) -> Option<Status> {
    let value = headers.get(GRPC_TIMEOUT)?.as_bytes();
    match digits(value) {
        None => Some(Status::internal(format!(
            "malformed grpc-timeout: {:?}",
            String::from_utf8_lossy(value)
        ))),
        Some(0) => Some(Status::deadline_exceeded(
            "the call's deadline (grpc-timeout 0) had passed when it arrived",
        )),
        Some(_) => None,
    }
}

/// The number in a well-formed value, or `None`.
fn digits(value: &[u8]) -> Option<u32> {
    let (unit, number) = value.split_last()?;
    if !matches!(unit, b'H' | b'M' | b'S' | b'm' | b'u' | b'n')
        || number.is_empty()
        || number.len() > 8
        || !number.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    std::str::from_utf8(number).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_s_values_are_accepted_and_others_are_not() {
        for good in ["1S", "100m", "99999999n", "5H", "0M"] {
            assert!(digits(good.as_bytes()).is_some(), "{good}");
        }
        for bad in [
            "abc",
            "99999999999S",
            "-1S",
            "1X",
            "S",
            "",
            "1.5S",
            " 1S",
            "1s",
        ] {
            assert!(digits(bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
