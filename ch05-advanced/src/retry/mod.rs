//! 재시도와 헤징 (Retries and hedging), beyond the book: what a client does about a call that
//! fails for a moment, or that is slow.
//!
//! grpc-go's `examples/features/retry` runs an echo server that fails three calls in four with
//! `UNAVAILABLE`, and a client whose service config retries `UNAVAILABLE` up to 4 attempts:
//! the client sees one answer, `Try and Success`, and the server logs the attempts it refused.
//! This sample does the same, and adds hedging (grpc-go's `hedgingPolicy`, which has no
//! example of its own): a second backend is asked when the first is slow to answer.
//!
//! tonic has no service config and no retries. The pieces here:
//!
//! * [`policy`]: [`RetryPolicy`], grpc-go's `retryPolicy` as a struct (printed as its JSON),
//!   carried out by tower's `retry` middleware: a [`tower::retry::Policy`] decides after each
//!   attempt, waits out an exponential backoff with jitter, and clones the request for the
//!   next attempt. One [`Deadline`] bounds the whole call, attempts and waits together, and
//!   each attempt tells the server the time left.
//! * [`hedge`]: [`HedgingPolicy`], and the race between two backends, written on tokio (its
//!   module says why not tower's `hedge`).
//! * [`backend`]: the failing, and optionally slow, echo server.
//!
//! Where grpc-go differs: its retries are transparent (configured on the channel, invisible to
//! the code that calls), and it adds what this sample leaves out: the
//! `grpc-previous-rpc-attempts` header, server pushback (`grpc-retry-pushback-ms`), and retry
//! throttling, a token bucket per channel that stops retries when most calls fail (tower's
//! `retry::budget` is the same idea). Only retry what the server cannot have acted on:
//! `UNAVAILABLE` means the call never reached the service, a `DEADLINE_EXCEEDED` may have
//! been half done.

pub mod backend;
pub mod hedge;
pub mod policy;

use std::time::Duration;

use book_proto::echo::EchoRequest;
use book_proto::echo::echo_client::EchoClient;
use common::channel::Channel;
use common::deadline::Deadline;
use common::status::RpcError;
use tonic::Status;
use tower::util::rng::HasherRng;

pub use backend::{Backend, Counts, FAIL_FIRST, serve, serve_two};
pub use hedge::{Attempt, HedgingPolicy};
pub use policy::{Report, RetryPolicy};

/// The message grpc-go's retry client sends.
pub const MESSAGE: &str = "Try and Success";

/// The message of the hedged call.
pub const HEDGED_MESSAGE: &str = "Hedge and Win";

/// grpc-go's retry client gives its call one second, all attempts included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// How long the first backend of the sample's server takes over each answer: longer than
/// the hedging delay, so the hedge to the second backend wins.
pub const SLOW_ANSWER: Duration = Duration::from_millis(300);

/// `UnaryEcho` of `message` on `channel`, retried under `policy`, within `deadline`.
pub async fn unary_echo_with_retry(
    channel: Channel,
    policy: &RetryPolicy,
    deadline: Deadline,
    message: &str,
    report: Report,
) -> Result<String, Status> {
    let client = EchoClient::new(channel);
    let request = EchoRequest {
        message: message.to_owned(),
    };
    let retrying = policy.retrying(HasherRng::new(), report);
    policy::call(retrying, deadline, request, move |request| {
        let mut client = client.clone();
        async move { client.unary_echo(request).await }
    })
    .await
    .map(|reply| reply.into_inner().message)
}

/// `UnaryEcho` of `message` on the `first` backend, hedged to the `second` under `policy`,
/// within `deadline`. Each backend is named by its address.
pub async fn unary_echo_hedged(
    first: (&str, Channel),
    second: (&str, Channel),
    policy: &HedgingPolicy,
    deadline: Deadline,
    message: &str,
    report: &Report,
) -> Result<String, Status> {
    let call = |channel: Channel| {
        let request = EchoRequest {
            message: message.to_owned(),
        };
        async move {
            let reply = EchoClient::new(channel)
                .unary_echo(deadline.request(request))
                .await?;
            Ok(reply.into_inner().message)
        }
    };
    let race = hedge::hedge(
        policy,
        Attempt {
            name: first.0.to_owned(),
            call: call(first.1),
        },
        Attempt {
            name: second.0.to_owned(),
            call: call(second.1),
        },
        report,
    );
    deadline.run(race).await
}

/// grpc-go's retry client, then a hedged call: prints the policies, each attempt and each
/// answer. `primary` is the backend that fails first (and is slow), `replica` the one the
/// hedge goes to, each with its address.
pub async fn book_flow(
    primary: (&str, Channel),
    replica: (&str, Channel),
    retry: &RetryPolicy,
    hedging: &HedgingPolicy,
    timeout: Duration,
    print: Report,
) -> Result<(), String> {
    let failed = |status: Status| format!("UnaryEcho error: {}", RpcError(&status));

    print(format!("retry policy: {retry}"));
    let reply = unary_echo_with_retry(
        primary.1.clone(),
        retry,
        Deadline::after(timeout),
        MESSAGE,
        print.clone(),
    )
    .await
    .map_err(failed)?;
    print(format!("UnaryEcho reply: message:{reply:?}"));

    print(format!("hedging policy: {hedging}"));
    let reply = unary_echo_hedged(
        primary,
        replica,
        hedging,
        Deadline::after(timeout),
        HEDGED_MESSAGE,
        &print,
    )
    .await
    .map_err(failed)?;
    print(format!("UnaryEcho reply: message:{reply:?}"));
    Ok(())
}
