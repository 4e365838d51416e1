//! 로드밸런싱 (Load Balancing): a name resolver, and pick-first and round-robin balancing on
//! the client.
//!
//! The book's server process runs two echo backends, on ports 50051 and 50052, and each tags
//! its replies with its port. The book's client dials `example:///lb.example.grpc.io` twice:
//! a resolver it registered for the scheme `example` turns the name into both addresses, and
//! grpc-go's balancer spreads the calls. With the default policy, `pick_first`, all ten calls
//! reach `:50051`; with `round_robin` they alternate between the two.
//!
//! tonic has neither a resolver registry nor those policies. `Channel::balance_list` (and
//! `balance_channel`, fed address changes by hand) balances with "power of two choices" over
//! random pairs of ready endpoints, which gives neither the book's all-on-one nor its
//! alternation. So this sample writes both pieces, small:
//!
//! * [`resolver`]: the book's static resolver, target in, endpoints out;
//! * [`balancer`]: one lazily connected channel per endpoint, and a [`Policy`] that picks the
//!   backend for each call, passing over a backend that is down;
//! * [`backend`]: the two echo servers;
//! * [`book_flow`]: the book's client, ten calls under each policy.

pub mod backend;
pub mod balancer;
pub mod resolver;

use std::fmt;
use std::time::Duration;

use book_proto::echo::EchoRequest;
use book_proto::echo::echo_client::EchoClient;
use common::deadline::Deadline;
use common::status::RpcError;
use tonic::Status;

pub use backend::{serve, serve_all};
pub use balancer::{Balancer, Policy};
pub use resolver::{ResolveError, Resolver, TARGET};

/// The book's backends, as its resolver returns them.
pub const BOOK_BACKENDS: [&str; 2] = ["localhost:50051", "localhost:50052"];

/// The message the book's client echoes.
pub const MESSAGE: &str = "this is examples/load_balancing";

/// How many calls the book's client makes under each policy.
pub const CALLS: usize = 10;

/// The book's client gives each call its own one-second timeout.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// `UnaryEcho` of `message` on the backend `balancer` picks, under [`CALL_TIMEOUT`]; the
/// reply names the backend that answered.
pub async fn unary_echo(balancer: &Balancer, message: &str) -> Result<String, Status> {
    let deadline = Deadline::after(CALL_TIMEOUT);
    let reply = deadline
        .run(balancer.call(|channel| {
            let request = deadline.request(EchoRequest {
                message: message.to_owned(),
            });
            async move { EchoClient::new(channel).unary_echo(request).await }
        }))
        .await?;
    Ok(reply.into_inner().message)
}

/// The book's client: resolves `target`, then makes [`CALLS`] calls with `pick_first` and as
/// many with `round_robin`, each policy over its own channels, printing each reply through
/// `print`.
pub async fn book_flow(
    resolver: &Resolver,
    target: &str,
    mut print: impl FnMut(String),
) -> Result<(), FlowError> {
    for policy in [Policy::PickFirst, Policy::RoundRobin] {
        let balancer = Balancer::new(resolver.resolve(target)?, policy);
        print(format!(
            "==== Calling grpc.examples.echo.Echo/UnaryEcho with {policy} ===="
        ));
        for _ in 0..CALLS {
            let reply = unary_echo(&balancer, MESSAGE)
                .await
                .map_err(FlowError::Call)?;
            print(reply);
        }
    }
    Ok(())
}

/// Why the book's client stopped.
#[derive(Debug)]
pub enum FlowError {
    /// The target did not resolve.
    Resolve(ResolveError),
    /// A call failed.
    Call(Status),
}

impl From<ResolveError> for FlowError {
    fn from(error: ResolveError) -> Self {
        Self::Resolve(error)
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Resolve(error) => write!(f, "could not resolve the target: {error}"),
            Self::Call(status) => write!(f, "could not greet: {}", RpcError(status)),
        }
    }
}

impl std::error::Error for FlowError {}
