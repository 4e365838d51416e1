//! Wait for ready (beyond the book; grpc-go's `features/wait_for_ready` example): what a call
//! does while its server is not up yet.
//!
//! By default a gRPC call is *fail-fast*: when the channel cannot connect, the call fails at
//! once with `UNAVAILABLE`, a few milliseconds after it was made. A call made with grpc-go's
//! `grpc.WaitForReady(true)` waits instead: the channel keeps trying to connect, pausing longer
//! after each failure (gRPC's connection backoff), and the call goes out once a connection is
//! up. The call's deadline bounds the wait; when it passes first, the call fails with
//! `DEADLINE_EXCEEDED`. grpc-go's example makes three calls at once to a server that starts two
//! seconds later: fail-fast with a 10 s deadline (`UNAVAILABLE`), wait-for-ready with 10 s (it
//! succeeds) and wait-for-ready with 1 s (`DEADLINE_EXCEEDED`). [`book_flow`] makes the same
//! three.
//!
//! tonic has no wait-for-ready flag: its lazy channel tries to connect when a call needs it and
//! fails that call if it cannot, which is fail-fast. [`Dialer`] adds the waiting, small: it
//! connects before the call, trying again with backoff ([`Backoff`]) while the deadline lasts,
//! and then makes the call once, on the connection that is up.
//!
//! This is not a retry policy. A retry policy (grpc-go's service config `retryPolicy`) makes a
//! *call* again after it failed, so the server may have seen it already, and only calls safe
//! to repeat may be retried. A wait-for-ready call is never sent while it waits: only the
//! *connection* is tried again, and the call goes out exactly once. Any method may wait.
//!
//! What it does not cover: once connected, [`Dialer`] keeps the channel, and tonic reconnects it
//! on its own if the connection drops; a call made while that reconnection fails fails fast,
//! where grpc-go's would wait again.
//!
//! The tests need a server that is "not up yet" on a port they know in advance, without the
//! race of closing a port and hoping nobody takes it before the server binds it again.
//! [`ClosedPort`] binds a socket without listening: the port is ours, connections to it are
//! refused (as to a server not started), and [`ClosedPort::listen`] opens it later.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use book_proto::echo::EchoRequest;
use book_proto::echo::echo_client::EchoClient;
use common::channel::Channel;
use common::deadline::Deadline;
use common::status::RpcError;
use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use tokio::net::{TcpListener, TcpSocket};
use tokio::time::Instant;
use tonic::transport::Endpoint;
use tonic::{Code, Status};

/// What a call does while its channel cannot connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Fail at once with `UNAVAILABLE` (gRPC's default).
    FailFast,
    /// Keep trying to connect until the deadline, then make the call (grpc-go's
    /// `grpc.WaitForReady(true)`).
    WaitForReady,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::FailFast => "fail-fast",
            Self::WaitForReady => "wait-for-ready",
        })
    }
}

/// The pauses between connection attempts: gRPC's connection backoff (`connection-backoff.md`),
/// with shorter times.
///
/// grpc-go waits 1 s after the first failure, then 1.6 times longer after each, up to 120 s,
/// each pause made up to 20% longer or shorter at random so that clients that lost the same
/// server do not all come back at the same instant. Those are times for a fleet; a sample that
/// waits for a server to start takes [`Backoff::SAMPLE`].
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The pause after the first failed attempt.
    pub first: Duration,
    /// How much longer each pause is than the one before.
    pub multiplier: f64,
    /// The longest pause.
    pub max: Duration,
    /// How much a pause varies at random, as a fraction of it (0.2 is ±20%).
    pub jitter: f64,
}

impl Backoff {
    /// grpc-go's shape with a 100 ms start and a 1 s cap.
    pub const SAMPLE: Self = Self {
        first: Duration::from_millis(100),
        multiplier: 1.6,
        max: Duration::from_secs(1),
        jitter: 0.2,
    };

    fn next(&self, pause: Duration) -> Duration {
        pause.mul_f64(self.multiplier).min(self.max)
    }

    fn jittered(&self, pause: Duration) -> Duration {
        // A number in [0, 1] from the standard library's random hash keys (each `RandomState`
        // gets new ones), which is random enough to spread reconnections.
        let random = RandomState::new().hash_one(()) as f64 / u64::MAX as f64;
        pause.mul_f64(1.0 + self.jitter * (2.0 * random - 1.0))
    }
}

/// A channel to one server that a call may wait for.
pub struct Dialer {
    endpoint: Endpoint,
    backoff: Backoff,
    connected: Mutex<Option<Channel>>,
}

impl Dialer {
    /// A dialer to `endpoint` that pauses as `backoff` says between attempts.
    pub fn new(endpoint: Endpoint, backoff: Backoff) -> Self {
        Self {
            endpoint,
            backoff,
            connected: Mutex::new(None),
        }
    }

    /// A connected channel for one call under `deadline`.
    ///
    /// Fail-fast makes one connection attempt and answers `UNAVAILABLE` if it fails.
    /// Wait-for-ready tries again after each failure, pausing as the backoff says, until a
    /// connection is up or the deadline passes (`DEADLINE_EXCEEDED`). Nothing is sent to the
    /// server until the channel is returned.
    pub async fn channel(&self, mode: Mode, deadline: &Deadline) -> Result<Channel, Status> {
        let mut pause = self.backoff.first;
        let mut attempt = 1;
        loop {
            if let Some(channel) = self.connected_channel() {
                return Ok(channel);
            }
            let failure = match deadline.run(self.connect()).await {
                Ok(channel) => {
                    *self
                        .connected
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(channel.clone());
                    return Ok(channel);
                }
                Err(status) if status.code() == Code::DeadlineExceeded => return Err(status),
                Err(status) => status,
            };
            if mode == Mode::FailFast {
                return Err(failure);
            }
            let wait = self.backoff.jittered(pause);
            tracing::info!(
                "not ready ({}): attempt {attempt} failed, next in {} ms",
                failure.message(),
                wait.as_millis()
            );
            deadline
                .run(async {
                    tokio::time::sleep(wait).await;
                    Ok(())
                })
                .await?;
            pause = self.backoff.next(pause);
            attempt += 1;
        }
    }

    fn connected_channel(&self) -> Option<Channel> {
        self.connected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    async fn connect(&self) -> Result<Channel, Status> {
        match self.endpoint.connect().await {
            Ok(channel) => Ok(common::channel::guard(channel)),
            // grpc-go's words for it: "connection error: desc = … connection refused".
            Err(error) => Err(Status::unavailable(format!(
                "connection error: {}",
                root_cause(&error)
            ))),
        }
    }
}

/// The last of `error`'s sources, which names what went wrong ("Connection refused"); tonic's
/// own message is only "transport error".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// `UnaryEcho` of `message` under `deadline`, sent once a channel is ready as `mode` says.
pub async fn unary_echo(
    dialer: &Dialer,
    mode: Mode,
    deadline: &Deadline,
    message: &str,
) -> Result<String, Status> {
    let channel = dialer.channel(mode, deadline).await?;
    let request = deadline.request(EchoRequest {
        message: message.to_owned(),
    });
    let reply = deadline
        .run(EchoClient::new(channel).unary_echo(request))
        .await?;
    Ok(reply.into_inner().message)
}

/// The deadline of grpc-go's first two calls.
pub const LONG_DEADLINE: Duration = Duration::from_secs(10);

/// The deadline of grpc-go's third call: shorter than the server takes to start.
pub const SHORT_DEADLINE: Duration = Duration::from_secs(1);

/// When grpc-go's example starts its server.
pub const START_AFTER: Duration = Duration::from_secs(2);

/// One of the sample's calls: its number, mode and deadline, and what gRPC should answer.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// grpc-go's number for it, `[1]` to `[3]`.
    pub number: usize,
    /// How it treats a server that is not up.
    pub mode: Mode,
    /// How long it may take, waiting included.
    pub deadline: Duration,
    /// The code it should end with when the server comes up after [`SHORT_DEADLINE`] and
    /// before [`LONG_DEADLINE`].
    pub wanted: Code,
}

/// grpc-go's three calls, with the two deadlines given.
pub fn calls(long: Duration, short: Duration) -> [Call; 3] {
    [
        Call {
            number: 1,
            mode: Mode::FailFast,
            deadline: long,
            wanted: Code::Unavailable,
        },
        Call {
            number: 2,
            mode: Mode::WaitForReady,
            deadline: long,
            wanted: Code::Ok,
        },
        Call {
            number: 3,
            mode: Mode::WaitForReady,
            deadline: short,
            wanted: Code::DeadlineExceeded,
        },
    ]
}

/// grpc-go's client: makes `calls` at the same time through one [`Dialer`] and prints each
/// outcome as it comes, with the time it took. Returns whether each call got what it wanted.
pub async fn book_flow(dialer: &Dialer, calls: &[Call], mut print: impl FnMut(String)) -> bool {
    let started = Instant::now();
    let mut pending: FuturesUnordered<_> = calls
        .iter()
        .map(|call| async move {
            let deadline = Deadline::after(call.deadline);
            let message = format!("call {}", call.number);
            let outcome = unary_echo(dialer, call.mode, &deadline, &message).await;
            (call, outcome)
        })
        .collect();
    let mut all_as_wanted = true;
    while let Some((call, outcome)) = pending.next().await {
        let took = started.elapsed().as_millis();
        let got = outcome.as_ref().map_or_else(Status::code, |_| Code::Ok);
        all_as_wanted &= got == call.wanted;
        let what = match &outcome {
            Ok(reply) => format!("reply {reply:?}"),
            Err(status) => RpcError(status).to_string(),
        };
        print(format!(
            "[{}] {}, deadline {} ms: wanted = {:?}, got = {got:?} after {took} ms ({what})",
            call.number,
            call.mode,
            call.deadline.as_millis(),
            call.wanted,
        ));
    }
    all_as_wanted
}

/// A loopback port that is taken but not yet listened on: connections to it are refused, as
/// to a server that has not started, until [`listen`](Self::listen).
///
/// Binding claims the port, so no other program can take it between the moment a test learns
/// it and the moment the server opens it (closing a listener and binding the same port again
/// later would leave that gap). A TCP connection to a bound socket that does not listen is
/// answered with a reset, which the client sees as "connection refused".
pub struct ClosedPort {
    socket: TcpSocket,
    addr: SocketAddr,
}

impl ClosedPort {
    /// Binds `127.0.0.1:0` without listening.
    pub fn bind() -> std::io::Result<Self> {
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        let addr = socket.local_addr()?;
        Ok(Self { socket, addr })
    }

    /// The address the server will listen on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts listening: from now on connections are accepted.
    pub fn listen(self) -> std::io::Result<TcpListener> {
        self.socket.listen(1024)
    }
}
