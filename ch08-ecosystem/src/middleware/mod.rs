//! Middleware (「미들웨어」): a server built from a chain of tower layers.
//!
//! grpc-go chains interceptors with go-grpc-middleware; tonic servers are tower services, so
//! the same cross-cutting concerns are tower layers around the whole server. Each layer is a
//! service wrapping the next one: a request passes them outermost first, the response comes
//! back through them in reverse. [`serve`] stacks them in this order:
//!
//! 1. [`logging`]: logs each call and its outcome; outermost, so it sees every call,
//!    including those the layers below turn away. tower-http's `TraceLayer`.
//! 2. [`metrics`]: counts calls per method and status code, rejected ones included.
//!    Hand-written: no crate counts calls by gRPC status.
//! 3. [`auth`]: turns away calls without the bearer token, before any work is done.
//!    tower-http's `ValidateRequestHeaderLayer`, with our check of the token.
//! 4. [`timeout`]: gives each admitted call at most a fixed time. tower's `TimeoutLayer`,
//!    its error answered as a gRPC status.
//! 5. [`recovery`]: innermost, right around the handlers: a handler that panics becomes an
//!    INTERNAL status that every layer above sees and logs, and the server keeps serving.
//!    tower-http's `CatchPanicLayer`, with our gRPC answer and a panic hook that keeps the
//!    caught panic off stderr.
//!
//! Where a crate has the layer, the sample uses it and writes only what the crate leaves to
//! its user (the callbacks, the answers, the token check); each module says why the rest is
//! hand-written. What every layer writes is gRPC's: a refused, timed-out or panicking call
//! gets a trailers-only response with its `grpc-status`, never an HTTP error code or a reset
//! stream, so the client reads a status and the layers above count and log it.
//!
//! Every layer logs a `[name]` line on the way in (and [`logging`] and [`metrics`] on the
//! way out), so the server's log shows the order. The service behind them is chapter 2's
//! ProductInfo with a planted bug ([`fragile`]) to give recovery something to catch.

pub mod auth;
pub mod fragile;
pub mod logging;
pub mod metrics;
pub mod recovery;
pub mod timeout;

use std::future::Future;
use std::time::Duration;

use book_proto::ecommerce::product_info_server::ProductInfoServer;
use tokio::net::TcpListener;
use tower::util::MapResponseLayer;

use fragile::FragileProductInfo;
use metrics::Metrics;

/// The token clients present as `authorization: Bearer <token>`: the book's chapter 6 token,
/// the one `ch06-server token` accepts.
pub const TOKEN: &str = common::secret::BOOK_TOKEN;

/// How long a call may run before the timeout layer answers DEADLINE_EXCEEDED.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// Serves ProductInfo behind the layer chain until `shutdown` completes; `metrics` receives
/// the counts.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
    metrics: Metrics,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        // The server's own checks (`common::server::builder`) take tonic's body type back;
        // tower-http's layers answer with bodies of their own, so it is put back here, once.
        .layer(MapResponseLayer::new(|response: http::Response<_>| {
            response.map(tonic::body::Body::new)
        }))
        .layer(logging::layer())
        .layer(metrics::MetricsLayer::new(metrics))
        .layer(auth::layer(TOKEN))
        .layer(timeout::layer(CALL_TIMEOUT))
        .layer(recovery::layer())
        .add_service(ProductInfoServer::new(FragileProductInfo::default()))
        // `incoming` sets TCP_NODELAY on each connection, as on every server of the book.
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// The path of the call a response answers (`/ecommerce.ProductInfo/addProduct`), which the
/// [`metrics`] layer puts in the response's extensions for the [`logging`] layer outside it.
#[derive(Debug, Clone)]
pub struct MethodPath(pub String);

/// The status code of a response as far as its headers tell: a call that failed before its
/// first message (every unary error) carries `grpc-status` there; otherwise the status comes
/// in the trailers, and for a unary call that answered it is OK.
pub fn header_code<B>(response: &http::Response<B>) -> tonic::Code {
    tonic::Status::from_header_map(response.headers())
        .map_or(tonic::Code::Ok, |status| status.code())
}
