//! The `main` of every sample server, and the limits every server runs with, once.
//!
//! Each server binary parses its flags, sets up logging (first, so nothing it logs while
//! getting ready is lost) and hands its chapter's `serve` function to [`run`], which binds
//! `--addr` (logging `Server started, listening on …`), serves until Ctrl-C or SIGTERM, lets
//! the calls in flight finish for at most [`DRAIN_TIMEOUT`], and logs `Server stopped`.
//!
//! Each chapter's `serve` starts from [`builder`] and accepts connections through
//! [`incoming`] instead of tonic's own `Server::builder()` and `TcpIncoming`: readers copy
//! these servers into real services, and tonic's defaults leave a server open to a single
//! hostile peer (see each item's comment).

use std::error::Error;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::Duration;

use futures::Stream;
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::Server;
use tower::layer::util::{Identity, Stack};

use wire::conformance::ConformanceLayer;

use crate::args::ServerAddr;

/// The largest request message a server accepts, in bytes: 4 MiB, the default of grpc-go,
/// grpc-java and tonic alike.
pub const MAX_MESSAGE_SIZE: usize = 4 * 1024 * 1024;

/// How many calls one connection may have open at once, advertised in SETTINGS.
///
/// tonic advertises no limit, so one connection could open streams until the server runs out
/// of memory (each costs tens of KiB). 100 is the smallest value RFC 9113 §6.5.2 recommends,
/// and what nginx and Envoy advertise; a client that needs more calls at once opens another
/// connection, which a gRPC client does by itself.
pub const MAX_CONCURRENT_STREAMS: u32 = 100;

/// How many streams the server itself may reset on one connection before it sends GOAWAY.
///
/// A peer can make the server reset streams by sending frames the server must refuse (the
/// "MadeYouReset" attack, CVE-2025-8671). hyper caps that at 1024 by default, but tonic passes
/// its own default of `None`, which turns the cap off; this puts hyper's back.
pub const MAX_LOCAL_ERROR_RESET_STREAMS: usize = 1024;

/// How long a server asked to stop waits for the calls in flight before it exits anyway.
///
/// A graceful stop closes the listener, tells every connection to open no new calls (HTTP/2
/// GOAWAY) and waits until the calls already open have ended. A unary call ends in
/// milliseconds, but some calls never end on their own: a health `Watch`, a server stream whose
/// client went quiet. Without a limit, one of them keeps a stopped server alive until Docker or
/// Kubernetes kill it (SIGKILL, after 10 s and 30 s by default): no `Server stopped`, and a
/// non-zero exit. 5 s is far more than any sample's unary call takes, and well inside both.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The first and the longest pause after a failed `accept`: Go's `net/http` values.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(5), Duration::from_secs(1));

/// A tonic server with this workspace's limits and the conformance checks in front of
/// every service: add layers and services to it as to `Server::builder()`.
///
/// The [`ConformanceLayer`] (`wire::conformance`, told which of the book's methods take one
/// request message) is the outermost layer: a request that is not gRPC, or whose
/// message is over [`MAX_MESSAGE_SIZE`], is answered before any of the chapter's layers
/// (logging, metrics, authentication) sees it.
pub fn builder() -> Server<Stack<ConformanceLayer, Identity>> {
    Server::builder()
        .max_concurrent_streams(MAX_CONCURRENT_STREAMS)
        .http2_max_local_error_reset_streams(Some(MAX_LOCAL_ERROR_RESET_STREAMS))
        .layer(ConformanceLayer::new(
            MAX_MESSAGE_SIZE,
            book_proto::SINGLE_REQUEST_METHODS,
        ))
}

/// The connections `listener` accepts, with `TCP_NODELAY` set, for
/// `serve_with_incoming_shutdown`.
///
/// Small request/response exchanges are what gRPC carries most; without `TCP_NODELAY`,
/// Nagle's algorithm holds a short reply back waiting for more bytes.
///
/// A failed `accept` never ends the stream. tonic's `TcpIncoming` retries at once, so when
/// the process runs out of file descriptors (`EMFILE`) its accept loop spins at 100% CPU until
/// one is freed. Here an error that belongs to one connection (it was reset before we took it)
/// is skipped, and any other is logged and waited out, 5 ms at first and doubling up to 1 s,
/// as Go's `net/http` and hyper-util do.
pub fn incoming(listener: TcpListener) -> impl Stream<Item = io::Result<TcpStream>> + Send {
    futures::stream::unfold(listener, |listener| async move {
        let mut pause = ACCEPT_BACKOFF.0;
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    if let Err(error) = stream.set_nodelay(true) {
                        tracing::debug!(%error, "cannot set TCP_NODELAY");
                    }
                    return Some((Ok(stream), listener));
                }
                Err(error) if is_connection_error(&error) => {}
                Err(error) => {
                    tracing::warn!(%error, "accept failed; retrying in {pause:?}");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(ACCEPT_BACKOFF.1);
                }
            }
        }
    })
}

/// An `accept` error about the connection being accepted, not about the listener.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// The shutdown signal a server is handed: Ctrl-C or SIGTERM.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs a sample server on `addr` until it is asked to stop, then gives the calls in flight
/// [`DRAIN_TIMEOUT`] to finish.
///
/// Either way it logs `Server stopped` and returns `Ok`, so the process exits 0: a stop that
/// had to cut calls is still the stop that was asked for, and it is logged as a warning.
pub async fn run<F, Fut, E>(addr: &ServerAddr, serve: F) -> Result<(), Box<dyn Error>>
where
    F: FnOnce(TcpListener, Shutdown) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Error + 'static,
{
    let listener = addr.listen().await?;
    drain_within(DRAIN_TIMEOUT, crate::shutdown::signal(), |shutdown| {
        serve(listener, shutdown)
    })
    .await?;
    tracing::info!("Server stopped");
    Ok(())
}

/// Runs `serve` until it returns, or until `grace` has passed since `shutdown` completed.
///
/// `serve` gets `shutdown` back, wrapped so that its completion also starts the clock. When
/// the clock runs out first, this stops waiting and returns. The connections still open (tonic
/// serves each in a task of its own) close when the runtime shuts down, which for a sample
/// binary is at once: `run` returns to `main`, and `main` returns.
async fn drain_within<F, Fut, E>(
    grace: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
    serve: F,
) -> Result<(), E>
where
    F: FnOnce(Shutdown) -> Fut,
    Fut: Future<Output = Result<(), E>>,
{
    let (draining_tx, draining) = tokio::sync::oneshot::channel::<()>();
    let shutdown = Box::pin(async move {
        shutdown.await;
        let _ = draining_tx.send(());
    });
    let grace_over = async {
        // A dropped sender means the server ended before it was asked to stop: let it finish.
        if draining.await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        served = serve(shutdown) => served,
        () = grace_over => {
            tracing::warn!("Calls still open after {grace:?}; closing their connections");
            Ok(())
        }
    }
}
