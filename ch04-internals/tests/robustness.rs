//! Requests `ch02-server` must refuse: each gets the status the spec calls for, with a
//! message that says what was wrong, and the server goes on serving.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch04_internals::http2::{Exchange, GrpcStatus, RawChannel, RawRequest};
use ch04_internals::malformed::Malformed;
use common::local::LocalServer;
use tokio::process::Command;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> Server {
    LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

fn status(exchange: &Exchange) -> GrpcStatus {
    exchange
        .grpc_status()
        .expect("a grpc-status")
        .expect("a valid grpc-status")
}

/// Sends `case` and checks the answer is a Trailers-Only response with this HTTP status,
/// gRPC code and message.
async fn refused(channel: &RawChannel, case: Malformed, http: u16, code: u32, message: &str) {
    let exchange = channel.call(&case.request()).await.expect("an answer");
    assert_eq!(exchange.status, http, "{case:?}\n{exchange}");
    assert!(exchange.trailers_only, "{case:?}\n{exchange}");
    assert_eq!(
        status(&exchange),
        GrpcStatus {
            code,
            message: message.into()
        },
        "{case:?}"
    );
    assert_eq!(case.expected().http, http, "{case:?}");
    assert_eq!(case.expected().code, code, "{case:?}");

    // The same connection still serves a good call.
    let next = channel
        .call(&RawRequest::get_product("after").expect("small"))
        .await
        .expect("an answer");
    assert_eq!(
        status(&next),
        GrpcStatus {
            code: 5,
            message: "Product does not exist: after".into()
        },
        "after {case:?}"
    );
}

#[tokio::test]
async fn every_malformed_request_gets_the_status_the_spec_calls_for() {
    let server = start().await;
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");

    refused(
        &channel,
        Malformed::PrefixLongerThanData,
        200,
        13,
        "the request ended inside a message: its prefix announced 50 bytes, 4 arrived",
    )
    .await;
    refused(
        &channel,
        Malformed::TruncatedPrefix,
        200,
        13,
        "the request ended 3 bytes into a 5-byte message prefix",
    )
    .await;
    refused(
        &channel,
        Malformed::TruncatedProtobuf,
        200,
        13,
        "failed to decode Protobuf message: ProductId.value: buffer underflow",
    )
    .await;
    refused(
        &channel,
        Malformed::CompressedWithoutEncoding,
        200,
        13,
        "protocol error: received message with compressed-flag but no grpc-encoding was specified",
    )
    .await;
    refused(
        &channel,
        Malformed::NotProtobuf,
        200,
        13,
        "failed to decode Protobuf message: invalid wire type value: 7",
    )
    .await;
    refused(
        &channel,
        Malformed::TooBig,
        200,
        8,
        "request message of 4194305 bytes is larger than the limit of 4194304 bytes",
    )
    .await;
    refused(
        &channel,
        Malformed::WrongContentType,
        415,
        3,
        "invalid gRPC request content-type \"application/json\"",
    )
    .await;
    refused(
        &channel,
        Malformed::WrongPath,
        200,
        12,
        "Method not found: /ecommerce.ProductInfo/GetProduct",
    )
    .await;

    // And a tonic client on a new connection is served as usual.
    let mut client = ProductInfoClient::connect(server.http_uri())
        .await
        .expect("connect");
    let id = client
        .add_product(ch04_internals::book::product())
        .await
        .expect("add")
        .into_inner();
    let product = client.get_product(id).await.expect("get").into_inner();
    assert_eq!(product.name, "Apple iPhone 11");

    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_message_exactly_at_the_limit_is_accepted() {
    let server = start().await;
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");
    // Tag (1 byte) + a 4-byte length varint + the value = the limit exactly.
    let value = "x".repeat(ch02_productinfo::MAX_MESSAGE_SIZE - 5);
    let request = RawRequest::get_product(&value).expect("small enough to frame");
    assert_eq!(
        request.data[0].len(),
        ch02_productinfo::MAX_MESSAGE_SIZE + 5
    );
    let exchange = channel.call(&request).await.expect("an answer");
    let status = status(&exchange);
    assert_eq!(status.code, 5, "NOT_FOUND, so the message was read");
    assert!(status.message.starts_with("Product does not exist: xxx"));
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn messages_split_across_data_frames_at_every_byte_are_read() {
    let server = start().await;
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");
    let whole = RawRequest::get_product("split").expect("small").data[0].clone();
    for cut in 1..whole.len() {
        let mut request = RawRequest::get_product("split").expect("small");
        request.data = vec![whole.slice(..cut), whole.slice(cut..)];
        let exchange = channel.call(&request).await.expect("an answer");
        assert_eq!(
            status(&exchange).message,
            "Product does not exist: split",
            "cut at {cut}"
        );
    }
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_tonic_client_sees_the_same_statuses() {
    let server = start().await;
    let mut client = ProductInfoClient::connect(server.http_uri())
        .await
        .expect("connect");
    let too_big = ProductId {
        value: "x".repeat(ch02_productinfo::MAX_MESSAGE_SIZE),
    };
    let status = client.get_product(too_big).await.expect_err("too big");
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert_eq!(
        status.message(),
        "request message of 4194309 bytes is larger than the limit of 4194304 bytes"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binary_sends_a_malformed_request_and_shows_the_server_goes_on() {
    let server = start().await;
    let output = Command::new(env!("CARGO_BIN_EXE_ch04-raw-client"))
        .args([
            "--addr",
            &server.addr().to_string(),
            "--malformed",
            "wrong-content-type",
        ])
        .output()
        .await
        .expect("run ch04-raw-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        stdout.starts_with(
            "Malformed request: content-type: application/json.\n\
             The spec calls for: HTTP 415, INVALID_ARGUMENT (3).\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("      :status: 415\n"), "{stdout}");
    assert!(
        stdout.contains(
            "⇒ HTTP 415 Unsupported Media Type, INVALID_ARGUMENT (3) \
             \"invalid gRPC request content-type \\\"application/json\\\"\"\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "The server goes on serving: getProduct(no-such-product) on the same connection \
             ⇒ NOT_FOUND (5) \"Product does not exist: no-such-product\"\n"
        ),
        "{stdout}"
    );
    server.stop().await.expect("clean stop");
}
