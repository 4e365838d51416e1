//! Checks for exercise ch08/03, 패닉 복구 미들웨어 (Recovering from a panicking handler).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_panic_recovery -- --include-ignored`.
//!
//! The first checks run a server: chapter 8's `FragileProductInfo` behind chapter 8's metrics
//! layer and the student's recovery layer. The last two call the layer directly, around
//! services made to panic in the two places a service can. The panics these tests provoke
//! are printed on stderr by Rust's panic hook, even when they are caught; that is expected.

use std::convert::Infallible;
use std::future::poll_fn;
use std::task::{Context, Poll};

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch08_ecosystem::middleware::metrics::Metrics;
use common::log_capture::CapturedLog;
use exercises::ch08::panic_recovery::{INTERNAL_MESSAGE, RecoveryLayer, serve};
use exercises::harness::LocalServer;
use futures::future::BoxFuture;
use tonic::body::Body;
use tonic::{Code, Status};
use tower::{Layer, Service};

const ADD: &str = "/ecommerce.ProductInfo/addProduct";

/// What a slice of an empty name panics with, in `FragileProductInfo::add_product` (the rest
/// of the message differs between Rust versions).
const SLICE_PANIC: &str = "byte index 1";

async fn start() -> (LocalServer<tonic::transport::Error>, Metrics) {
    let metrics = Metrics::default();
    let counted = metrics.clone();
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait(), metrics))
        .await
        .expect("bind a loopback port");
    (server, counted)
}

fn product(name: &str) -> Product {
    Product {
        id: String::new(),
        name: name.into(),
        description: "from the exercise's tests".into(),
        price: 699.0,
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_panicking_handler_answers_internal_and_the_panic_is_logged() {
    let (log, _guard) = CapturedLog::install();
    let (server, _metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());

    let status = client
        .add_product(product(""))
        .await
        .expect_err("the handler panics on an empty name");
    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert_eq!(status.message(), INTERNAL_MESSAGE);
    let line = log.line_containing(SLICE_PANIC).await;
    assert!(line.contains("ERROR"), "logged as an error: {line}");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_server_keeps_serving_after_a_panic() {
    let (server, _metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());

    client
        .add_product(product(""))
        .await
        .expect_err("the handler panics on an empty name");
    let added = client
        .add_product(product("Apple iPhone 11"))
        .await
        .expect("the next call on the same connection succeeds")
        .into_inner();
    let stored = client
        .get_product(added)
        .await
        .expect("and so does the one after")
        .into_inner();
    assert_eq!(stored.name, "Apple iPhone 11");
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_layers_above_see_an_internal_call() {
    let (server, metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());

    client
        .add_product(product(""))
        .await
        .expect_err("the handler panics on an empty name");
    client
        .add_product(product("Apple iPhone 11"))
        .await
        .expect("added");

    assert_eq!(metrics.count(ADD, Code::Internal), 1);
    assert_eq!(metrics.count(ADD, Code::Ok), 1);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_error_the_handler_returns_passes_unchanged() {
    let (server, metrics) = start().await;
    let mut client = ProductInfoClient::new(server.channel());

    let status = client
        .get_product(ProductId {
            value: "no-such-id".into(),
        })
        .await
        .expect_err("an unknown id is an error");
    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(status.message(), "Product does not exist: no-such-id");
    assert_eq!(
        metrics.count("/ecommerce.ProductInfo/getProduct", Code::NotFound),
        1
    );
    server.stop().await.expect("the server stops");
}

/// A service that panics in `call` itself, before it has a future to return.
#[derive(Clone)]
struct PanicsInCall;

impl Service<http::Request<Body>> for PanicsInCall {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: http::Request<Body>) -> Self::Future {
        panic!("checked {} too early", "something")
    }
}

/// A service whose future panics with a `&'static str`, as `panic!("literal")` does.
#[derive(Clone)]
struct PanicsWhileHandling;

impl Service<http::Request<Body>> for PanicsWhileHandling {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: http::Request<Body>) -> Self::Future {
        Box::pin(async {
            std::panic::panic_any::<&'static str>("a literal panic message");
        })
    }
}

/// Calls `service` behind the recovery layer once; answers the status of its response.
async fn call_recovering<S>(service: S) -> Status
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>,
    S::Future: Send + 'static,
{
    let mut recovering = RecoveryLayer.layer(service);
    poll_fn(|cx| recovering.poll_ready(cx))
        .await
        .expect("ready");
    let request = http::Request::builder()
        .uri(ADD)
        .body(Body::empty())
        .expect("a valid request");
    let response = recovering.call(request).await.expect("an answer");
    Status::from_header_map(response.headers()).expect("a grpc-status in the headers")
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_panic_in_call_itself_is_caught_too() {
    let (log, _guard) = CapturedLog::install();

    let status = call_recovering(PanicsInCall).await;

    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert_eq!(status.message(), INTERNAL_MESSAGE);
    log.line_containing("checked something too early").await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_literal_panic_message_is_logged() {
    let (log, _guard) = CapturedLog::install();

    let status = call_recovering(PanicsWhileHandling).await;

    assert_eq!(status.code(), Code::Internal, "{status:?}");
    assert_eq!(status.message(), INTERNAL_MESSAGE);
    log.line_containing("a literal panic message").await;
}
