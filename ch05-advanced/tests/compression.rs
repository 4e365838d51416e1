//! gzip on the wire: the header, the compressed flag, the size, and a server that says no.
//!
//! Every test that runs a server here captures its log. (tracing caches whether a log line is
//! wanted the first time a thread reaches it; a test without a capture could make it
//! "never" for the test that waits for it.)

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::OrderStore;
use ch03_patterns::client::{FLOW_TIMEOUT, order_101};
use ch05_advanced::compression::{ENCODING_HEADER, add_order, gzip_client, serve};
use common::deadline::Deadline;
use common::local::LocalServer;
use common::log_capture::CaptureGuard;
use common::log_capture::CapturedLog;
use tokio::process::Command;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> (Server, CapturedLog, CaptureGuard) {
    let (log, guard) = CapturedLog::install();
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port");
    (server, log, guard)
}

fn deadline() -> Deadline {
    Deadline::after(FLOW_TIMEOUT)
}

/// An order that compresses well: the same item, many times.
fn large_order(id: &str) -> Order {
    Order {
        id: id.into(),
        items: vec!["Mac Book Pro".into(); 500],
        description: "A very large order".into(),
        price: 1_200_000.00,
        destination: "San Jose, CA".into(),
    }
}

/// The length and compressed flag the server logged for one request, from its line
/// `<path>: grpc-encoding <encoding>, message of <n> bytes, compressed flag <flag>`.
fn wire_message(line: &str) -> (u32, u8) {
    let (_, rest) = line
        .split_once(", message of ")
        .expect("the line names the message's length");
    let (length, flag) = rest
        .split_once(" bytes, compressed flag ")
        .expect("the line names the compressed flag");
    (
        length.parse().expect("a length"),
        flag.trim().parse().expect("a flag"),
    )
}

#[tokio::test]
async fn a_gzip_call_is_accepted_and_answered_in_gzip() {
    let (server, log, _guard) = start().await;
    let mut client = gzip_client(server.channel());

    let reply = add_order(&mut client, &deadline(), order_101())
        .await
        .expect("the server accepts gzip");
    assert_eq!(
        reply
            .metadata()
            .get(ENCODING_HEADER)
            .and_then(|value| value.to_str().ok()),
        Some("gzip"),
        "the response is compressed too"
    );
    assert_eq!(reply.into_inner(), "Order Added: 101");

    let line = log
        .line_containing("/ecommerce.OrderManagement/addOrder: grpc-encoding gzip,")
        .await;
    assert_eq!(wire_message(&line).1, 1, "{line}");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_client_that_does_not_ask_for_gzip_sends_and_gets_plain_messages() {
    let (server, log, _guard) = start().await;
    let mut client = OrderManagementClient::new(server.channel());

    let reply = add_order(&mut client, &deadline(), order_101())
        .await
        .expect("add order");
    assert_eq!(reply.metadata().get(ENCODING_HEADER), None);

    let line = log
        .line_containing("/ecommerce.OrderManagement/addOrder: grpc-encoding identity,")
        .await;
    assert_eq!(wire_message(&line).1, 0, "{line}");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_large_order_is_much_smaller_on_the_wire_with_gzip() {
    let (server, log, _guard) = start().await;

    add_order(
        &mut OrderManagementClient::new(server.channel()),
        &deadline(),
        large_order("plain"),
    )
    .await
    .expect("add the plain order");
    let (plain, _) = wire_message(&log.line_containing("grpc-encoding identity,").await);

    add_order(
        &mut gzip_client(server.channel()),
        &deadline(),
        large_order("gzip"),
    )
    .await
    .expect("add the compressed order");
    let (compressed, _) = wire_message(&log.line_containing("grpc-encoding gzip,").await);

    assert!(plain > 6_000, "500 items of 12 bytes and more: {plain}");
    assert!(
        compressed * 20 < plain,
        "gzip shrinks repeated items: {compressed} bytes against {plain}"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_server_that_does_not_accept_gzip_answers_unimplemented() {
    let (_log, _guard) = CapturedLog::install();
    let server = LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, OrderStore::book(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port");

    let status = add_order(&mut gzip_client(server.channel()), &deadline(), order_101())
        .await
        .expect_err("chapter 3's server takes no gzip");
    assert_eq!(status.code(), Code::Unimplemented);
    assert_eq!(
        status.message(),
        "Content is compressed with `gzip` which isn't supported"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_prints_the_books_line() {
    let (server, log, _guard) = start().await;
    let output = Command::new(env!("CARGO_BIN_EXE_ch05-compression-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run ch05-compression-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(stdout, "AddOrder Response -> Order Added: 101\n");

    let line = log.line_containing("grpc-encoding gzip,").await;
    assert_eq!(wire_message(&line).1, 1, "{line}");
    server.stop().await.expect("clean stop");
}
