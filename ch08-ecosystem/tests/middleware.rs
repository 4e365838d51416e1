//! The layer chain: the order the layers run in, auth rejections, panic recovery, timeouts.

use std::convert::Infallible;
use std::time::Duration;

use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch08_ecosystem::middleware::metrics::Metrics;
use ch08_ecosystem::middleware::{TOKEN, header_code, recovery, serve, timeout};
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use test_support::process::ServerProcess;
use tonic::Code;
use tower::Service;

const ADD: &str = "/ecommerce.ProductInfo/addProduct";

fn add_request(name: &str, token: Option<&str>) -> tonic::Request<Product> {
    let mut request = tonic::Request::new(Product {
        name: name.into(),
        ..Product::default()
    });
    if let Some(token) = token {
        let value = format!("Bearer {token}")
            .parse()
            .expect("ASCII header value");
        request.metadata_mut().insert("authorization", value);
    }
    request
}

/// The middleware server on a local port, the metrics it counts into, and a client of it.
async fn start() -> (
    LocalServer<tonic::transport::Error>,
    Metrics,
    ProductInfoClient<common::channel::Channel>,
) {
    let metrics = Metrics::default();
    let counted = metrics.clone();
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait(), metrics))
        .await
        .expect("server starts");
    let client = ProductInfoClient::new(server.channel());
    (server, counted, client)
}

/// Where each text first appears in the log, which must be in the order given.
fn assert_in_order(log: &str, texts: &[&str]) {
    let positions: Vec<usize> = texts
        .iter()
        .map(|text| {
            log.find(text)
                .unwrap_or_else(|| panic!("{text:?} not in the log:\n{log}"))
        })
        .collect();
    assert!(
        positions.is_sorted(),
        "expected {texts:?} in this order in:\n{log}"
    );
}

#[tokio::test]
async fn layers_run_outermost_first_and_unwind_in_reverse() {
    let (log, _guard) = CapturedLog::install();
    let (server, counted, mut client) = start().await;

    client
        .add_product(add_request("Apple", Some(TOKEN)))
        .await
        .expect("an authenticated call succeeds");
    log.line_containing(&format!("[logging] <-- {ADD} Ok"))
        .await;
    assert_in_order(
        &log.contents(),
        &[
            &format!("[logging] --> {ADD}"),
            &format!("[metrics] --> {ADD}"),
            "[auth] token accepted",
            "[timeout] limit 2s",
            "[recovery] watching for panics",
            "Filing on shelf \"A\"",
            ": Apple - Added.",
            &format!("[metrics] <-- counted {ADD} Ok"),
            &format!("[logging] <-- {ADD} Ok"),
        ],
    );
    assert_eq!(counted.count(ADD, Code::Ok), 1);
    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn a_call_without_the_token_stops_at_auth() {
    let (log, _guard) = CapturedLog::install();
    let (server, counted, mut client) = start().await;

    for token in [None, Some("wrong-token")] {
        let status = client
            .add_product(add_request("Apple", token))
            .await
            .expect_err("rejected");
        assert_eq!(status.code(), Code::Unauthenticated);
    }
    log.line_containing(&format!("[logging] <-- {ADD} Unauthenticated"))
        .await;
    let contents = log.contents();
    assert!(contents.contains("[auth] rejected"), "{contents}");
    // Nothing below auth ran: no timeout, no handler.
    assert!(!contents.contains("[timeout]"), "{contents}");
    assert!(!contents.contains("Added."), "{contents}");
    assert_eq!(counted.count(ADD, Code::Unauthenticated), 2);
    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn a_panicking_handler_gives_internal_and_the_server_keeps_serving() {
    let (log, _guard) = CapturedLog::install();
    let (server, counted, mut client) = start().await;

    let status = client
        .add_product(add_request("", Some(TOKEN)))
        .await
        .expect_err("the handler panics");
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(status.message(), "the server hit an internal error");
    log.line_containing("[recovery] handler panicked: ").await;

    // Same connection, next call: the server is still there.
    let id = client
        .add_product(add_request("Apple", Some(TOKEN)))
        .await
        .expect("the server still serves")
        .into_inner();
    assert_eq!(id.value.len(), 36, "a UUID: {id:?}");
    log.line_containing(&format!("[logging] <-- {ADD} Ok"))
        .await;
    assert_eq!(counted.count(ADD, Code::Internal), 1);
    assert_eq!(counted.count(ADD, Code::Ok), 1);
    server.stop().await.expect("server stops cleanly");
}

/// The binary as a reader runs it, with CI's `RUST_BACKTRACE=1`: the caught panic is one
/// `[recovery]` line of the log, not std's `panicked at` report and a backtrace on stderr.
#[tokio::test]
async fn the_binary_reports_a_caught_panic_as_one_log_line_without_a_backtrace() {
    let mut server = ServerProcess::spawn_with_env(
        env!("CARGO_BIN_EXE_ch08-middleware-server"),
        [] as [&str; 0],
        [("RUST_BACKTRACE", "1")],
    )
    .await;
    let mut client = ProductInfoClient::connect(format!("http://{}", server.addr()))
        .await
        .expect("connect");

    let status = client
        .add_product(add_request("", Some(TOKEN)))
        .await
        .expect_err("the handler panics");
    assert_eq!(status.code(), Code::Internal);
    client
        .add_product(add_request("Apple", Some(TOKEN)))
        .await
        .expect("the server still serves");

    // Everything the server wrote up to the second call's last line: the hook's report, had
    // there been one, came before it.
    let mut log = Vec::new();
    loop {
        let line = server.next_line().await;
        let done = line.contains(&format!("[logging] <-- {ADD} Ok"));
        log.push(line);
        if done {
            break;
        }
    }
    let log = log.join("\n");
    let recovered = log
        .lines()
        .find(|line| line.contains("[recovery] handler panicked: "))
        .unwrap_or_else(|| panic!("no [recovery] line in:\n{log}"));
    assert!(
        recovered.contains("ERROR") && recovered.contains("src/middleware/fragile.rs:"),
        "the message and where it happened: {recovered}"
    );
    for report in ["panicked at", "stack backtrace"] {
        assert!(!log.contains(report), "{report:?} in:\n{log}");
    }
    assert!(server.terminate().await.success(), "a clean stop");
}

/// A service that never answers.
#[derive(Clone)]
struct Stuck;

impl Service<http::Request<()>> for Stuck {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = std::future::Pending<Result<Self::Response, Infallible>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<()>) -> Self::Future {
        std::future::pending()
    }
}

#[tokio::test]
async fn a_call_over_the_limit_gets_deadline_exceeded() {
    let mut limited = timeout::layer(Duration::from_millis(20)).service(Stuck);
    let response = limited
        .call(http::Request::new(()))
        .await
        .expect("answered by the layer, not failed");
    assert_is_grpc_status(&response, Code::DeadlineExceeded);
}

/// What tower-http's `CatchPanicLayer` answers a panic with: a gRPC status, not its HTTP 500.
#[test]
fn a_caught_panic_is_answered_with_a_grpc_internal_status() {
    let response = recovery::answer_internal(Box::new("boom"));
    assert_is_grpc_status(&response, Code::Internal);
}

/// A trailers-only gRPC response: HTTP 200, `application/grpc`, the status in the headers.
fn assert_is_grpc_status<B>(response: &http::Response<B>, code: Code) {
    assert_eq!(response.status(), http::StatusCode::OK);
    assert_eq!(
        response.headers()[http::header::CONTENT_TYPE],
        "application/grpc"
    );
    assert_eq!(header_code(response), code);
}
