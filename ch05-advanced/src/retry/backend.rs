//! The server side: grpc-go's failing echo server, which turns the first calls away with
//! `UNAVAILABLE`, and can be slow to answer the rest.
//!
//! grpc-go's example counts its calls and fails all but every fourth; this one fails the first
//! N (3 by default, as there) and answers every call after them, after a delay when asked:
//! the same backend is then the slow one the client hedges against. The answer itself is the
//! load-balancing sample's echo, which names the port that answered.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use book_proto::echo::echo_server::{Echo, EchoServer};
use book_proto::echo::{EchoRequest, EchoResponse};
use ch03_patterns::service::ResponseStream;
use futures::FutureExt as _;
use tokio::net::TcpListener;
use tonic::{Request, Response, Status, Streaming};

use crate::loadbalancing::backend::EchoBackend;

/// How many calls grpc-go's retry server turns away before one succeeds.
pub const FAIL_FIRST: u64 = 3;

/// What grpc-go's failing server says.
pub const FAILURE: &str = "maybeFailRequest: failing it";

/// How a backend behaves: how many calls it fails first, how long it takes over the others.
#[derive(Debug, Clone, Default)]
pub struct Backend {
    fail_first: u64,
    delay: Duration,
    counts: Arc<Counts>,
}

impl Backend {
    /// A backend that fails its first `calls` calls with `UNAVAILABLE` (`u64::MAX`: all).
    pub fn failing_first(calls: u64) -> Self {
        Self {
            fail_first: calls,
            ..Self::default()
        }
    }

    /// Answers each call it does not fail after `delay`.
    pub fn answering_after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// What the backend has seen so far; shared, so it can be read while it serves.
    pub fn counts(&self) -> Arc<Counts> {
        Arc::clone(&self.counts)
    }
}

/// The calls a backend has seen: what the tests count attempts with.
#[derive(Debug, Default)]
pub struct Counts {
    calls: AtomicU64,
    cancelled: AtomicU64,
}

impl Counts {
    /// Calls received: every attempt, failed, answered or cancelled.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// Calls whose client went away before the answer (a hedge that lost).
    pub fn cancelled(&self) -> u64 {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// The echo service a [`Backend`] serves.
struct FlakyEcho {
    backend: Backend,
    echo: EchoBackend,
    /// `:PORT`, which tells the two backends' log lines apart.
    port: String,
}

#[tonic::async_trait]
impl Echo for FlakyEcho {
    async fn unary_echo(
        &self,
        request: Request<EchoRequest>,
    ) -> Result<Response<EchoResponse>, Status> {
        let counts = &self.backend.counts;
        let count = counts.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if request.get_ref().message.is_empty() {
            tracing::info!(
                "request refused count: {count} on {} (empty message)",
                self.port
            );
            return Err(Status::invalid_argument("the message is empty"));
        }
        if count <= self.backend.fail_first {
            tracing::info!("request failed count: {count} on {}", self.port);
            return Err(Status::unavailable(FAILURE));
        }
        let answering = Answering {
            count,
            port: self.port.clone(),
            counts: Arc::clone(counts),
            finished: false,
        };
        if !self.backend.delay.is_zero() {
            tracing::info!(
                "request count: {count} on {}: answering in {} ms",
                self.port,
                self.backend.delay.as_millis()
            );
            tokio::time::sleep(self.backend.delay).await;
        }
        let reply = self.echo.unary_echo(request).await;
        answering.finish();
        tracing::info!("request succeeded count: {count} on {}", self.port);
        reply
    }

    type ServerStreamingEchoStream = ResponseStream<EchoResponse>;

    async fn server_streaming_echo(
        &self,
        _request: Request<EchoRequest>,
    ) -> Result<Response<Self::ServerStreamingEchoStream>, Status> {
        Err(Status::unimplemented("not implemented"))
    }

    async fn client_streaming_echo(
        &self,
        _request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<EchoResponse>, Status> {
        Err(Status::unimplemented("not implemented"))
    }

    type BidirectionalStreamingEchoStream = ResponseStream<EchoResponse>;

    async fn bidirectional_streaming_echo(
        &self,
        _request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<Self::BidirectionalStreamingEchoStream>, Status> {
        Err(Status::unimplemented("not implemented"))
    }
}

/// A call being answered. tonic drops the handler, and this with it, when the client resets
/// the call; dropped unfinished, it counts and logs the cancellation.
struct Answering {
    count: u64,
    port: String,
    counts: Arc<Counts>,
    finished: bool,
}

impl Answering {
    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        if !self.finished {
            self.counts.cancelled.fetch_add(1, Ordering::SeqCst);
            tracing::info!(
                "request cancelled count: {} on {} (the client went away)",
                self.count,
                self.port
            );
        }
    }
}

/// Serves `backend` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    backend: Backend,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(
        "serving on :{} (fails the first {} calls, answers after {} ms)",
        addr.port(),
        backend.fail_first,
        backend.delay.as_millis()
    );
    let service = FlakyEcho {
        backend,
        echo: EchoBackend::new(addr),
        port: format!(":{}", addr.port()),
    };
    common::server::builder()
        .add_service(EchoServer::new(service))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
        .map_err(io::Error::other)
}

/// Serves two backends, each on its listener, until `shutdown` completes; then both stop.
pub async fn serve_two(
    first: (TcpListener, Backend),
    second: (TcpListener, Backend),
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let shutdown = shutdown.boxed().shared();
    futures::try_join!(
        serve(first.0, first.1, shutdown.clone()),
        serve(second.0, second.1, shutdown),
    )?;
    Ok(())
}
