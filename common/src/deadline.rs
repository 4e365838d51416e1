//! One deadline over several calls, the way the book's Go clients use a context.
//!
//! The book's chapter 2 client creates `context.WithTimeout(ctx, time.Second)` once and passes
//! it to both `AddProduct` and `GetProduct`: the second call gets whatever time the first one
//! left. tonic has no context; this type plays its part for the deadline.
//!
//! Each call gets two things from it:
//! * the `grpc-timeout` header, set to the time remaining, so the server knows when to give up;
//! * a local timer, so the client gives up on time even if the server never answers.
//!
//! On the server, [`Deadline::of_call`] reads the caller's `grpc-timeout` back, so a server
//! that calls another service can pass on the time that is left (deadline propagation).
//!
//! When the time runs out the call fails with `DEADLINE_EXCEEDED`, as in grpc-go. (tonic itself
//! reports an expired `grpc-timeout` as `CANCELLED` "Timeout expired"; a client that sees that
//! after its own deadline passed reports `DEADLINE_EXCEEDED` too, as the gRPC spec asks.)

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;
use tonic::metadata::MetadataMap;
use tonic::{Code, Request, Status};

/// A point in time after which calls made under it fail with `DEADLINE_EXCEEDED`.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
}

impl Deadline {
    /// A deadline `timeout` from now.
    pub fn after(timeout: Duration) -> Self {
        Self {
            at: Instant::now() + timeout,
        }
    }

    /// The deadline of an incoming call, from its `grpc-timeout` header: `None` when the
    /// caller set none (or sent one that is not a valid timeout).
    pub fn of_call(metadata: &MetadataMap) -> Option<Self> {
        let timeout = metadata.get("grpc-timeout")?.to_str().ok()?;
        parse_grpc_timeout(timeout).map(Self::after)
    }

    /// The same deadline, `ahead` earlier.
    pub fn earlier_by(&self, ahead: Duration) -> Self {
        Self {
            at: self.at - ahead,
        }
    }

    /// The time left, zero once the deadline has passed.
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// Wraps `message` in a request that carries the remaining time as `grpc-timeout`.
    pub fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        request.set_timeout(self.remaining());
        request
    }

    /// Runs one call under this deadline.
    ///
    /// The call is abandoned (its future dropped, which resets the HTTP/2 stream) when the
    /// deadline passes first.
    pub async fn run<T>(&self, call: impl Future<Output = Result<T, Status>>) -> Result<T, Status> {
        match tokio::time::timeout_at(self.at, call).await {
            Ok(Err(status)) if status.code() == Code::Cancelled && self.has_passed() => {
                Err(Self::exceeded())
            }
            Ok(result) => result,
            Err(_elapsed) => Err(Self::exceeded()),
        }
    }

    /// Whether the deadline has passed.
    pub fn has_passed(&self) -> bool {
        Instant::now() >= self.at
    }

    fn exceeded() -> Status {
        Status::deadline_exceeded("deadline exceeded")
    }
}

/// Parses a `grpc-timeout` value: at most 8 digits and a unit, `H`ours, `M`inutes, `S`econds,
/// `m`illiseconds, `u` microseconds or `n`anoseconds (`"1999m"`, `"5S"`).
fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let digits = value.get(..value.len().checked_sub(1)?)?;
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: u64 = digits.parse().ok()?;
    Some(match value.as_bytes().last()? {
        b'H' => Duration::from_secs(amount * 3600),
        b'M' => Duration::from_secs(amount * 60),
        b'S' => Duration::from_secs(amount),
        b'm' => Duration::from_millis(amount),
        b'u' => Duration::from_micros(amount),
        b'n' => Duration::from_nanos(amount),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_values_parse_as_the_spec_says() {
        assert_eq!(
            parse_grpc_timeout("1999m"),
            Some(Duration::from_millis(1999))
        );
        assert_eq!(parse_grpc_timeout("5S"), Some(Duration::from_secs(5)));
        assert_eq!(parse_grpc_timeout("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(
            parse_grpc_timeout("99999999n"),
            Some(Duration::from_nanos(99_999_999))
        );
        for invalid in ["", "m", "123456789m", "5s", "-5S", "5", "1.5S", "５S"] {
            assert_eq!(parse_grpc_timeout(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn a_request_carries_the_time_left_and_a_server_reads_it_back() {
        let request = Deadline::after(Duration::from_secs(2)).request(());
        let deadline = Deadline::of_call(request.metadata()).expect("a grpc-timeout header");
        let left = deadline.remaining();
        assert!(
            left <= Duration::from_secs(2) && left > Duration::from_secs(1),
            "{left:?}"
        );
        assert!(Deadline::of_call(&MetadataMap::new()).is_none());
    }
}
