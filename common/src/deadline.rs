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
//! When the time runs out the call fails with `DEADLINE_EXCEEDED`, as in grpc-go. (tonic itself
//! reports an expired `grpc-timeout` as `CANCELLED` "Timeout expired"; a client that sees that
//! after its own deadline passed reports `DEADLINE_EXCEEDED` too, as the gRPC spec asks.)

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;
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

    fn has_passed(&self) -> bool {
        Instant::now() >= self.at
    }

    fn exceeded() -> Status {
        Status::deadline_exceeded("deadline exceeded")
    }
}
