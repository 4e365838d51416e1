//! Draining a server (beyond the book; grpc-go's `features/gracefulstop`, and its keepalive
//! example's `MaxConnectionAge`): a backend leaves without losing a call.
//!
//! A server that is told to stop (Ctrl-C, SIGTERM from Docker or Kubernetes, a rollout) stops
//! *gracefully*: it stops accepting connections, sends HTTP/2 `GOAWAY` on each one it has,
//! lets the calls in flight finish, and only then exits. `GOAWAY` names the last stream the
//! server will process; a call the client opens after it is refused before the server's code
//! sees it, so the client may safely make it again elsewhere (`common::channel` reports such a
//! refusal as `UNAVAILABLE`, as the gRPC spec asks). grpc-go's `GracefulStop` does this, with a
//! `Stop` after a timeout for calls that never end; tonic's `serve_with_incoming_shutdown`
//! does it too, and [`serve`] bounds it by [`GRACE`].
//!
//! The sample runs two echo backends, A and B ([`Backend`]: chapter 5's load-balancing echo,
//! with some work per call), and a client that keeps calls in flight through chapter 5's
//! [`Balancer`] with pick-first, so every call goes to A while A is there. Then A drains. The
//! calls A had begun finish on A; the next ones find A gone and the balancer makes each again
//! on B, which is safe because A never started them. Nothing is lost: every call is answered
//! once, by A or by B ([`run_calls`] says which, and how many attempts were refused first).
//!
//! A call can find A gone in three ways, and in each it never left the client or was refused
//! before A's service saw it, which the client learns as `UNAVAILABLE`:
//! * A's port is closed (a draining server accepts no connections): "tcp connect error";
//! * A's `GOAWAY` refused the stream (`common::channel` reports it as `UNAVAILABLE`);
//! * the call was queued on A's connection just as that connection closed after its
//!   `GOAWAY`. hyper fails such a call without sending it (its "operation was canceled:
//!   connection closed"), and tonic 0.14 reports that as `CANCELLED`, the code of a call the
//!   caller gave up on, which no client retries. `common::channel` reports it as
//!   `UNAVAILABLE`; before it did, about a third of this sample's test runs lost a call.
//!
//! The balancer passes over a backend that answers `UNAVAILABLE`; when every backend did (the
//! one backend of a server that only replaced its connection, say), the call is made again, at
//! most [`TRANSPARENT_RETRIES`] times, as gRPC's "transparent retry" makes a call again that
//! never reached the server's application (gRFC A6). This is not a retry policy: only a call
//! that failed with `UNAVAILABLE` is made again, which the sample's backends never answer
//! themselves, so here it always means a call no server began (a service that does answer
//! `UNAVAILABLE` needs the retry sample's care). The tests count, on the servers, the calls
//! begun: exactly one per call the client made.
//!
//! A server can also drain its connections one at a time while it keeps running: with
//! `max_connection_age` (grpc-go's `keepalive.ServerParameters{MaxConnectionAge}`), it sends
//! `GOAWAY` on every connection that has lived that long, and the client connects again. The
//! new connection may go to another backend: behind a TCP load balancer or a Kubernetes
//! Service, that is how long-lived gRPC connections spread over backends added since. Each
//! backend logs each connection it accepts and closes ([`serve`]), so the reconnections show.
//!
//! Where tonic 0.14 differs: `max_connection_age_grace` (grpc-go's `MaxConnectionAgeGrace`,
//! the time the calls in flight get after the age's `GOAWAY`) does not follow the `GOAWAY` in
//! tonic 0.14.9; it replaces it: with a grace set, a connection gets no `GOAWAY` at its age,
//! and is closed, calls and all, when the grace has passed too (`connection_timeout_future` in
//! tonic's `transport/server/mod.rs`). So [`serve`] sets `max_connection_age` alone: the
//! connection then drains for as long as its calls take.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use book_proto::echo::echo_client::EchoClient;
use book_proto::echo::echo_server::{Echo, EchoServer};
use book_proto::echo::{EchoRequest, EchoResponse};
use common::deadline::Deadline;
use common::status::RpcError;
use futures::TryStreamExt as _;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tonic::transport::Endpoint;
use tonic::transport::server::{Connected, TcpConnectInfo};
use tonic::{Code, Request, Response, Status, Streaming};

use crate::loadbalancing::backend::EchoBackend;
use crate::loadbalancing::{Balancer, Policy};

/// How long each call works on a backend, so that calls are in flight when one drains.
pub const WORK: Duration = Duration::from_millis(500);

/// How long after its first call backend A starts draining, in the sample's server.
pub const DRAIN_AFTER: Duration = Duration::from_secs(2);

/// How long a draining backend waits for its calls in flight before it closes their
/// connections anyway: the workspace's limit for every server (`common::server`).
pub const GRACE: Duration = common::server::DRAIN_TIMEOUT;

/// The deadline of each of the client's calls.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// How many more times a call that every backend refused is made.
pub const TRANSPARENT_RETRIES: usize = 2;

/// What a backend has done so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Calls its service began.
    pub started: usize,
    /// Calls its service answered.
    pub finished: usize,
    /// Connections it accepted.
    pub connections: usize,
}

impl Stats {
    /// Calls begun and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.started - self.finished
    }
}

/// An echo backend with a name, that works a while on each call and counts what it does.
#[derive(Clone)]
pub struct Backend {
    name: Arc<str>,
    work: Duration,
    stats: Arc<watch::Sender<Stats>>,
}

impl Backend {
    /// A backend called `name` whose calls each take `work`.
    pub fn new(name: &str, work: Duration) -> Self {
        Self {
            name: name.into(),
            work,
            stats: Arc::new(watch::Sender::new(Stats::default())),
        }
    }

    /// The backend's name, `A` or `B`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its counts, to read now or to wait on.
    pub fn stats(&self) -> watch::Receiver<Stats> {
        self.stats.subscribe()
    }

    /// Completes `after` the backend's first call began: when the sample's server drains A.
    pub async fn first_call_then(&self, after: Duration) {
        let mut stats = self.stats();
        // The sender lives in `self`, so the wait ends only with a call.
        let _ = stats.wait_for(|stats| stats.started > 0).await;
        tokio::time::sleep(after).await;
    }
}

/// Chapter 5's echo backend behind a delay; the reply names the port, as there.
struct SlowEcho {
    backend: Backend,
    echo: EchoBackend,
}

#[tonic::async_trait]
impl Echo for SlowEcho {
    async fn unary_echo(
        &self,
        request: Request<EchoRequest>,
    ) -> Result<Response<EchoResponse>, Status> {
        self.backend.stats.send_modify(|stats| stats.started += 1);
        tokio::time::sleep(self.backend.work).await;
        let reply = self.echo.unary_echo(request).await;
        self.backend.stats.send_modify(|stats| stats.finished += 1);
        reply
    }

    type ServerStreamingEchoStream = <EchoBackend as Echo>::ServerStreamingEchoStream;

    async fn server_streaming_echo(
        &self,
        request: Request<EchoRequest>,
    ) -> Result<Response<Self::ServerStreamingEchoStream>, Status> {
        self.echo.server_streaming_echo(request).await
    }

    async fn client_streaming_echo(
        &self,
        request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<EchoResponse>, Status> {
        self.echo.client_streaming_echo(request).await
    }

    type BidirectionalStreamingEchoStream = <EchoBackend as Echo>::BidirectionalStreamingEchoStream;

    async fn bidirectional_streaming_echo(
        &self,
        request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<Self::BidirectionalStreamingEchoStream>, Status> {
        self.echo.bidirectional_streaming_echo(request).await
    }
}

/// Serves `backend` on `listener` until `drain` completes, then drains: `GOAWAY` on every
/// connection, the calls in flight finish (for at most [`GRACE`]), and it returns.
///
/// With `max_connection_age`, each connection is also drained once it has lived that long,
/// and the client connects again. Every connection accepted and closed is logged.
pub async fn serve(
    listener: TcpListener,
    backend: Backend,
    max_connection_age: Option<Duration>,
    drain: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!("{}: serving on {addr}", backend.name);
    let echo = SlowEcho {
        echo: EchoBackend::new(addr),
        backend: backend.clone(),
    };
    let name = backend.name.clone();
    let stats = backend.stats.clone();
    let (draining_tx, draining) = tokio::sync::oneshot::channel::<()>();
    let drain = async move {
        drain.await;
        tracing::info!(
            "{name}: draining: GOAWAY sent; calls in flight: {}",
            stats.borrow().in_flight()
        );
        let _ = draining_tx.send(());
    };

    let mut server = common::server::builder();
    if let Some(age) = max_connection_age {
        server = server.max_connection_age(age);
    }
    let incoming = common::server::incoming(listener).map_ok({
        let backend = backend.clone();
        move |stream| TrackedConnection::accepted(stream, &backend)
    });
    let served = server
        .add_service(EchoServer::new(echo))
        .serve_with_incoming_shutdown(incoming, drain);
    let grace_over = async {
        if draining.await.is_ok() {
            tokio::time::sleep(GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        served = served => served?,
        () = grace_over => tracing::warn!(
            "{}: calls still open after {GRACE:?}; closing their connections",
            backend.name
        ),
    }
    let stats = *backend.stats.borrow();
    tracing::info!(
        "{}: drained and stopped: {} calls answered, {} cut",
        backend.name,
        stats.finished,
        stats.in_flight()
    );
    Ok(())
}

/// A connection a backend accepted: logs when it opens and when it closes.
struct TrackedConnection {
    stream: TcpStream,
    backend: Arc<str>,
    number: usize,
    opened: Instant,
}

impl TrackedConnection {
    fn accepted(stream: TcpStream, backend: &Backend) -> Self {
        let mut number = 0;
        backend.stats.send_modify(|stats| {
            stats.connections += 1;
            number = stats.connections;
        });
        let peer = stream
            .peer_addr()
            .map_or_else(|_| "an unknown peer".to_owned(), |addr| addr.to_string());
        tracing::info!("{}: connection {number} from {peer}", backend.name);
        Self {
            stream,
            backend: backend.name.clone(),
            number,
            opened: Instant::now(),
        }
    }
}

impl Drop for TrackedConnection {
    fn drop(&mut self) {
        tracing::info!(
            "{}: connection {} closed after {} ms",
            self.backend,
            self.number,
            self.opened.elapsed().as_millis()
        );
    }
}

impl Connected for TrackedConnection {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        self.stream.connect_info()
    }
}

impl AsyncRead for TrackedConnection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for TrackedConnection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The sample's name for the backend at `index` in a list of addresses: `A`, `B`, …
pub fn backend_name(index: usize) -> String {
    ('A'..='Z')
        .nth(index)
        .map_or_else(|| format!("backend {}", index + 1), String::from)
}

/// The client's names for its backends, by address: `A` for the first, `B` for the second, …
pub fn backend_names(addrs: &[String]) -> HashMap<String, String> {
    addrs
        .iter()
        .enumerate()
        .map(|(index, addr)| (addr.clone(), backend_name(index)))
        .collect()
}

/// What became of one of the client's calls.
#[derive(Debug)]
pub struct Outcome {
    /// Its number, from 1, in the order the calls were made.
    pub call: usize,
    /// The name of the backend that answered it, or why it failed.
    pub answer: Result<String, Status>,
    /// The attempts refused before it was answered: `UNAVAILABLE`, the call never started.
    pub refused: Vec<Status>,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.answer {
            Ok(backend) => {
                write!(f, "call {:2} -> {backend}", self.call)?;
                for refusal in &self.refused {
                    let reason = refusal_reason(refusal);
                    write!(f, " (refused first, never started: {reason})")?;
                }
                Ok(())
            }
            Err(status) => write!(
                f,
                "call {:2} failed after {} attempts: {}",
                self.call,
                self.refused.len() + 1,
                RpcError(status)
            ),
        }
    }
}

/// How the client's calls went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many calls each backend answered, by name.
    pub answered: std::collections::BTreeMap<String, usize>,
    /// Calls that failed.
    pub failed: usize,
    /// Attempts refused before they started, and made again on the next backend.
    pub refused: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let answered: Vec<_> = self
            .answered
            .iter()
            .map(|(backend, calls)| format!("{calls} by {backend}"))
            .collect();
        let answered = if answered.is_empty() {
            "none".to_owned()
        } else {
            answered.join(", ")
        };
        write!(
            f,
            "answered: {answered}; failed: {}; refused before they started and made again: {}",
            self.failed, self.refused
        )
    }
}

/// A pick-first balancer over `addrs` (each `HOST:PORT`), as the drain client uses.
pub fn balancer(addrs: &[String]) -> Result<Balancer, common::args::InvalidAddr> {
    let endpoints = addrs
        .iter()
        .map(|addr| {
            Endpoint::from_shared(format!("http://{addr}"))
                .map_err(|_| common::args::InvalidAddr(addr.clone()))
        })
        .collect::<Result<_, _>>()?;
    Ok(Balancer::new(endpoints, Policy::PickFirst))
}

/// Makes `calls` calls through `balancer`, keeping `in_flight` of them open at a time (each
/// next call as soon as one is answered), and hands each [`Outcome`] to `report` as it comes.
pub async fn run_calls(
    balancer: &Balancer,
    names: &HashMap<String, String>,
    calls: usize,
    in_flight: usize,
    report: impl FnMut(&Outcome) + Send,
) -> Summary {
    let next_call = AtomicUsize::new(1);
    let report = Mutex::new(report);
    let summary = Mutex::new(Summary::default());
    let worker = || async {
        loop {
            let call = next_call.fetch_add(1, Ordering::Relaxed);
            if call > calls {
                return;
            }
            let outcome = one_call(balancer, names, call).await;
            {
                let mut summary = locked(&summary);
                match &outcome.answer {
                    Ok(backend) => *summary.answered.entry(backend.clone()).or_default() += 1,
                    Err(_) => summary.failed += 1,
                }
                summary.refused += outcome.refused.len();
            }
            (locked(&report))(&outcome);
        }
    };
    futures::future::join_all((0..in_flight.max(1)).map(|_| worker())).await;
    summary.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The value behind `mutex`, poisoned or not (a panicking report cannot leave it half-made).
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The last of the refusal's causes ("Connection refused" rather than tonic's "tcp connect
/// error"), or its message.
fn refusal_reason(refusal: &Status) -> String {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = None;
    let mut source = std::error::Error::source(refusal);
    while let Some(next) = source {
        cause = Some(next);
        source = next.source();
    }
    match cause {
        Some(cause) => format!("{}: {cause}", refusal.message()),
        None => refusal.message().to_owned(),
    }
}

/// One `UnaryEcho` through `balancer`, noting the attempts refused on the way; made again, up
/// to [`TRANSPARENT_RETRIES`] times, when every backend refused it.
async fn one_call(balancer: &Balancer, names: &HashMap<String, String>, call: usize) -> Outcome {
    let refused = Mutex::new(Vec::new());
    let deadline = Deadline::after(CALL_TIMEOUT);
    let attempt = || {
        balancer.call_named(|channel| {
            let request = deadline.request(EchoRequest {
                message: format!("call {call}"),
            });
            let refused = &refused;
            async move {
                let reply = EchoClient::new(channel).unary_echo(request).await;
                if let Err(status) = &reply
                    && status.code() == Code::Unavailable
                {
                    locked(refused).push(status.clone());
                }
                reply
            }
        })
    };
    let mut answered = deadline.run(attempt()).await;
    for _ in 0..TRANSPARENT_RETRIES {
        match &answered {
            Err(status) if status.code() == Code::Unavailable => {
                answered = deadline.run(attempt()).await;
            }
            _ => break,
        }
    }
    let mut refused = refused.into_inner().unwrap_or_else(PoisonError::into_inner);
    let answer = match answered {
        Ok((authority, _reply)) => Ok(names
            .get(authority)
            .cloned()
            .unwrap_or_else(|| authority.to_owned())),
        Err(status) => {
            // The last refusal is the call's own failure, not a refusal it got past.
            if status.code() == Code::Unavailable {
                refused.pop();
            }
            Err(status)
        }
    };
    Outcome {
        call,
        answer,
        refused,
    }
}
