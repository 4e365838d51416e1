//! Timeouts: no call runs longer than a fixed limit, whatever deadline the client set.
//!
//! A client's deadline protects the client; this protects the server from a handler stuck
//! on a slow dependency, freeing its resources after the limit.
//!
//! The timing is tower's [`TimeoutLayer`]. It fails a call that runs over with an
//! [`Elapsed`] error, and an error out of a tower service is no gRPC answer: tonic would
//! reset the stream, the client would see a transport error, and the layers above would
//! count and log nothing. [`layer`] therefore maps that one error to the status a gRPC
//! server answers a call that ran out of time with, DEADLINE_EXCEEDED, in a trailers-only
//! response that the layers above see like any other.

use std::time::Duration;

use tonic::Status;
use tower::layer::util::{Identity, Stack};
use tower::timeout::TimeoutLayer;
use tower::timeout::error::Elapsed;
use tower::util::{MapRequestLayer, MapResultLayer};
use tower::{BoxError, ServiceBuilder};

/// A call's outcome, as the timeout layer gives it: a response, or an error.
type Outcome<R> = Result<http::Response<R>, BoxError>;

/// The layers of [`layer`], innermost first: the timeout, the mapping of its error, the log
/// line on the way in.
pub type Limited<Announce, Answer> = ServiceBuilder<
    Stack<TimeoutLayer, Stack<MapResultLayer<Answer>, Stack<MapRequestLayer<Announce>, Identity>>>,
>;

/// tower's [`TimeoutLayer`] with `limit`, its [`Elapsed`] error answered DEADLINE_EXCEEDED,
/// and a `[timeout]` line for each call it admits. `B` and `R` are the request and response
/// bodies of the service it wraps.
#[expect(
    clippy::type_complexity,
    reason = "two closures, and a closure's type has no name to shorten it with"
)]
pub fn layer<B, R: Default>(
    limit: Duration,
) -> Limited<
    impl FnMut(http::Request<B>) -> http::Request<B> + Clone,
    impl FnOnce(Outcome<R>) -> Outcome<R> + Clone,
> {
    ServiceBuilder::new()
        .map_request(move |request: http::Request<B>| {
            tracing::info!("[timeout] limit {limit:?}");
            request
        })
        .map_result(move |outcome: Outcome<R>| match outcome {
            Err(error) if error.is::<Elapsed>() => {
                tracing::warn!("[timeout] no answer within {limit:?}");
                let status = Status::deadline_exceeded(format!(
                    "the server's {limit:?} limit for a call was exceeded"
                ));
                Ok(status.into_http())
            }
            answered => answered,
        })
        .timeout(limit)
}
