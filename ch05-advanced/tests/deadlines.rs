//! Deadlines: the client gives up with DEADLINE_EXCEEDED, the server notices and stops, and a
//! forwarding server passes the deadline on.

use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch03_patterns::client::{FLOW_TIMEOUT, add_order, order_101};
use ch04_internals::http2::call::grpc_headers;
use ch04_internals::http2::{MessageKind, RawChannel, RawRequest};
use ch05_advanced::deadlines::SlowOrders;
use common::deadline::Deadline;
use common::local::LocalServer;
use common::log_capture::CapturedLog;
use prost::Message as _;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

async fn start(orders: SlowOrders) -> Server {
    LocalServer::start(|listener, shutdown| {
        ch03_patterns::serve(listener, orders.service(), shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

#[tokio::test]
async fn a_call_past_its_deadline_is_deadline_exceeded_and_the_server_stops_the_work() {
    let (log, _guard) = CapturedLog::install();
    let server = start(SlowOrders::working_for(Duration::from_secs(60))).await;
    let mut client = OrderManagementClient::new(server.channel());

    let deadline = Deadline::after(Duration::from_millis(300));
    let status = add_order(&mut client, &deadline, order_101())
        .await
        .expect_err("the work takes longer than the deadline");
    assert_eq!(status.code(), Code::DeadlineExceeded);

    log.line_containing("RPC has reached deadline exceeded state : order 101 was not added")
        .await;
    let missing = client
        .get_order("101".to_owned())
        .await
        .expect_err("not stored");
    assert_eq!(missing.code(), Code::NotFound);
    server.stop().await.expect("clean stop");
}

/// The server's own answer, as a client with a late timer gets it: grpc-go's
/// DEADLINE_EXCEEDED, not the CANCELLED "Timeout expired" tonic's server would send.
#[tokio::test]
async fn the_server_answers_deadline_exceeded_itself() {
    let (log, _guard) = CapturedLog::install();
    let server = start(SlowOrders::working_for(Duration::from_secs(60))).await;

    // Chapter 4's raw HTTP/2 client: the grpc-timeout header, and no timer of its own (a
    // tonic client would enforce the header itself and answer first).
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");
    let mut request = RawRequest::unary(
        "/ecommerce.OrderManagement/addOrder",
        &order_101().encode_to_vec(),
        MessageKind::Order,
        // The reply, a `google.protobuf.StringValue`, is a ProductID on the wire: one string
        // in field 1.
        MessageKind::ProductId,
    )
    .expect("a framed request");
    request.headers = grpc_headers(Duration::from_millis(300));
    let exchange = channel.call(&request).await.expect("an answer");
    let status = exchange
        .grpc_status()
        .expect("a grpc-status")
        .expect("a valid grpc-status");
    assert_eq!(
        (status.code, status.message.as_str()),
        (Code::DeadlineExceeded as u32, "deadline exceeded")
    );

    log.line_containing("RPC has reached deadline exceeded state : order 101 was not added")
        .await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_call_within_its_deadline_succeeds() {
    let server = start(SlowOrders::working_for(Duration::from_millis(20))).await;
    let mut client = OrderManagementClient::new(server.channel());
    let reply = add_order(&mut client, &Deadline::after(FLOW_TIMEOUT), order_101())
        .await
        .expect("enough time");
    assert_eq!(reply, "Order Added: 101");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_forwarding_server_passes_the_remaining_time_on() {
    let (log, _guard) = CapturedLog::install();
    let slow = start(SlowOrders::working_for(Duration::from_secs(60))).await;
    let front = start(SlowOrders::forwarding_to(OrderManagementClient::new(
        slow.channel(),
    )))
    .await;
    let mut client = OrderManagementClient::new(front.channel());

    let status = add_order(
        &mut client,
        &Deadline::after(Duration::from_millis(500)),
        order_101(),
    )
    .await
    .expect_err("the slow server takes too long");
    assert_eq!(status.code(), Code::DeadlineExceeded);

    let forwarded = log.line_containing("Forwarding order 101 with ").await;
    let left: u64 = forwarded
        .split("with ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|ms| ms.parse().ok())
        .expect("the line says how many milliseconds were left");
    assert!(
        left <= 500,
        "the front passed on at most the client's time: {forwarded}"
    );
    // The slow server got that deadline and gave up on its own, not after its 60 s of work.
    log.line_containing("RPC has reached deadline exceeded state : order 101 was not added")
        .await;

    front.stop().await.expect("clean stop");
    slow.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_client_binary_reports_deadline_exceeded() {
    let server = start(SlowOrders::working_for(Duration::from_secs(60))).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ch05-deadlines-client"))
        .args(["--addr", &server.addr().to_string(), "--deadline-ms", "200"])
        .output()
        .await
        .expect("run the client");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded \
         desc = deadline exceeded\n"
    );
    server.stop().await.expect("clean stop");
}
