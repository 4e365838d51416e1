//! gRPC in the browser: chapter 2's ProductInfo and chapter 3's OrderManagement over
//! gRPC-Web, with the page that calls them, on one port.
//!
//! A browser cannot speak gRPC itself: `fetch` gives no access to HTTP/2 trailers, where
//! gRPC puts its status. gRPC-Web moves the status into the body (a frame with flag `0x80`)
//! and works over HTTP/1.1 too. [`tonic_web::GrpcWebLayer`] translates such a call into
//! plain gRPC before the services see it, and back on the way out; the services are the
//! chapters' own, unchanged.
//!
//! The page (`web/index.html`) and its script (`web/dist/bundle.js`, built by `web/build.sh`
//! from `proto/` with Connect's gRPC-Web client) are embedded in the binary and served for
//! `GET /` and `GET /bundle.js`. The page calls the server it came from, so a browser needs
//! no CORS for it; the CORS layer lets a page served from elsewhere (a dev server) call too.

use std::future::Future;
use std::time::Duration;

use axum::http::header::{CONTENT_TYPE, HeaderName};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use ch03_patterns::{OrderManagementService, OrderStore};
use common::server::{MAX_CONCURRENT_STREAMS, MAX_LOCAL_ERROR_RESET_STREAMS, MAX_MESSAGE_SIZE};
use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic_web::GrpcWebLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The port `ch08-web` listens on by default. Not from the book, which has no web page:
/// a common HTTP development port, away from the samples' 50051.
pub const WEB_PORT: u16 = 8080;

/// The page.
pub const INDEX_HTML: &str = include_str!("../web/index.html");
/// The page's script: Connect's gRPC-Web client and the code generated from `proto/`.
pub const BUNDLE_JS: &str = include_str!("../web/dist/bundle.js");

/// The request headers a gRPC-Web client sends, for CORS preflights.
const ALLOWED_HEADERS: [&str; 5] = [
    "content-type",
    "x-grpc-web",
    "x-user-agent",
    "grpc-timeout",
    "authorization",
];
/// The response headers a gRPC-Web client must be able to read: the status, when it comes
/// in the headers (a call that fails before any message).
const EXPOSED_HEADERS: [&str; 3] = ["grpc-status", "grpc-message", "grpc-status-details-bin"];

/// CORS for gRPC-Web: any origin, `POST` (the calls) and `GET`, the headers above.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([http::Method::GET, http::Method::POST])
        .allow_headers(ALLOWED_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .max_age(Duration::from_secs(24 * 60 * 60))
}

/// ProductInfo, OrderManagement (with the book's sample orders) and the page, as one set of
/// routes: tonic's routes for the services, behind [`GrpcWebLayer`], and axum's for the two
/// static files.
pub fn routes() -> Routes {
    let services = Routes::new(
        ProductInfoServer::new(ProductInfoService::default())
            .max_decoding_message_size(MAX_MESSAGE_SIZE),
    )
    .add_service(OrderManagementServer::new(OrderManagementService::from(
        OrderStore::book(),
    )))
    .into_axum_router()
    // gRPC-Web on the services' routes only: tonic-web answers 400 to any other HTTP/1.1
    // request, the page's GETs included.
    .layer(GrpcWebLayer::new())
    .route("/", get(|| async { Html(INDEX_HTML) }))
    .route(
        "/bundle.js",
        get(|| async {
            (
                [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
                BUNDLE_JS,
            )
                .into_response()
        }),
    );
    Routes::from(services)
}

/// Serves [`routes`] on `listener`, gRPC-Web and plain gRPC alike, until `shutdown`
/// completes.
///
/// Not `common::server::builder()`: its conformance layer answers HTTP 415 to anything that
/// is not `application/grpc`, which is every request here before `GrpcWebLayer` translates it,
/// and the page's `GET`. So this is a plain builder with the same limits, HTTP/1.1 accepted
/// (browsers send gRPC-Web over whatever HTTP version they like, HTTP/1.1 on plain `http://`),
/// and CORS in front of everything, so a preflight `OPTIONS` is answered before routing.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .accept_http1(true)
        .max_concurrent_streams(MAX_CONCURRENT_STREAMS)
        .http2_max_local_error_reset_streams(Some(MAX_LOCAL_ERROR_RESET_STREAMS))
        .layer(cors())
        .add_routes(routes())
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}
