//! Keepalive: HTTP/2 PINGs that find a dead peer, next to the book's timeout demo.
//!
//! The book's `keepalive` sample configures no keepalive at all: it is a second timeout demo,
//! a client with a one-second timeout calling an `addOrder` that sleeps five seconds, so the
//! client reports `DEADLINE_EXCEEDED`. This sample keeps that, and adds what the name
//! promises: both sides send HTTP/2 PING frames on a quiet connection, and close it when a
//! PING goes unanswered. A peer that vanished without closing its socket (a crashed host, a
//! cable pulled, a NAT that dropped the mapping) is found within interval + timeout, instead
//! of when the OS gives up on TCP hours later; a call waiting on it fails with `UNAVAILABLE`.
//!
//! grpc-go sets this with `keepalive.ServerParameters{Time, Timeout}` and
//! `keepalive.ClientParameters{Time, Timeout, PermitWithoutStream}`; tonic with
//! `Server::http2_keepalive_interval`/`http2_keepalive_timeout` and
//! `Endpoint::http2_keep_alive_interval`/`keep_alive_timeout`/`keep_alive_while_idle` (a
//! tonic server always pings, calls or not). tonic has no counterpart of grpc-go's
//! `EnforcementPolicy` (how often a client may ping) or `MaxConnectionIdle`.
//!
//! A server may ping as often as it likes, but a client must keep to the server's policy.
//! grpc-go's and grpc-java's default one lets a client ping at most every 5 minutes, and only
//! while a call is open; a client that pings more often gets `GOAWAY` `ENHANCE_YOUR_CALM`
//! ("too_many_pings") on its third offence. So the server here pings after 5 s without
//! traffic (grpc-go's keepalive example), while the client pings only during calls, after
//! [`MIN_CLIENT_PING_INTERVAL`] of quiet, which any default gRPC server accepts. Each waits
//! 1 s for the answer.

use std::future::Future;
use std::time::Duration;

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::{Client, add_order, order_101};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::args::InvalidAddr;
use common::channel::Channel;
use common::deadline::Deadline;
use tokio::net::TcpListener;
use tonic::transport::Endpoint;

use crate::deadlines::{WORK_TIME, work_then_add};

/// When a side pings and how long it waits for the PING's acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keepalive {
    /// Quiet time on the connection after which a PING goes out.
    pub interval: Duration,
    /// How long to wait for the acknowledgement before closing the connection.
    pub timeout: Duration,
    /// Whether a client also pings with no call in flight (grpc-go's `PermitWithoutStream`).
    /// A tonic server always does, so [`serve`] ignores it.
    pub while_idle: bool,
}

/// The most often a client may ping a server with gRPC's default enforcement policy
/// (grpc-go's `EnforcementPolicy{MinTime: 5 * time.Minute}`, grpc-java's
/// `permitKeepAliveTime`); such a server also takes no pings without a call in flight.
pub const MIN_CLIENT_PING_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The server's keepalive (grpc-go example: `Time: 5s, Timeout: 1s`).
pub const SERVER_KEEPALIVE: Keepalive = Keepalive {
    interval: Duration::from_secs(5),
    timeout: Duration::from_secs(1),
    while_idle: true,
};

/// The client's keepalive: pings only during calls, and no more often than a grpc-go or
/// grpc-java server allows by default, so such a server never answers it with
/// `GOAWAY` "too_many_pings" (grpc-go's keepalive example pings every 10 s, even without
/// calls, because its server's policy permits it: the book's servers keep the default).
pub const CLIENT_KEEPALIVE: Keepalive = Keepalive {
    interval: MIN_CLIENT_PING_INTERVAL,
    timeout: Duration::from_secs(1),
    while_idle: false,
};

// The client's keepalive keeps to that policy (checked when compiling).
const _: () = assert!(
    !CLIENT_KEEPALIVE.while_idle
        && CLIENT_KEEPALIVE.interval.as_secs() >= MIN_CLIENT_PING_INTERVAL.as_secs()
);

/// The book's client timeout.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves chapter 3's order service on `listener` until `shutdown` completes, pinging each
/// connection as `keepalive` says. Its `addOrder` is the deadline sample's slow one: it works
/// for [`WORK_TIME`] before it adds the order.
pub async fn serve(
    listener: TcpListener,
    keepalive: Keepalive,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .http2_keepalive_interval(Some(keepalive.interval))
        .http2_keepalive_timeout(Some(keepalive.timeout))
        .add_service(OrderManagementServer::new(
            OrderManagementService::new(OrderStore::book())
                .with_add_order(|store, request| work_then_add(WORK_TIME, store, request)),
        ))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// An endpoint for the server at `addr` (`HOST:PORT`) that pings as `keepalive` says.
pub fn endpoint(addr: &str, keepalive: Keepalive) -> Result<Endpoint, InvalidAddr> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|_| InvalidAddr(addr.to_owned()))?;
    Ok(endpoint
        .http2_keep_alive_interval(keepalive.interval)
        .keep_alive_timeout(keepalive.timeout)
        .keep_alive_while_idle(keepalive.while_idle))
}

/// The book's client: adds order 101 under [`CALL_TIMEOUT`] and prints the outcome through
/// `print` in the book's words; against this sample's server that is
/// `Error Occured -> addOrder : , DeadlineExceeded:`.
pub async fn book_flow(channel: Channel, mut print: impl FnMut(String)) {
    let deadline = Deadline::after(CALL_TIMEOUT);
    match add_order(&mut Client::new(channel), &deadline, order_101()).await {
        Ok(reply) => print(format!("AddOrder Response -> {reply}")),
        Err(status) => print(format!(
            "Error Occured -> addOrder : , {:?}:",
            status.code()
        )),
    }
}
