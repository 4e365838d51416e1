//! The raw HTTP/2 client against `ch02-server`: every header, every DATA frame, the trailers,
//! and a Trailers-Only response, checked byte for byte.

use book_proto::ecommerce::{Product, ProductId};
use ch04_internals::book;
use ch04_internals::framing::frame;
use ch04_internals::http2::book_calls::{MISSING_ID, book_calls};
use ch04_internals::http2::{GrpcStatus, RawChannel};
use common::local::LocalServer;
use http::HeaderValue;
use tokio::process::Command;

type Server = LocalServer<tonic::transport::Error>;

async fn start() -> Server {
    LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

fn header_list(headers: &[(String, HeaderValue)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.to_str().expect("ASCII header")))
        .collect()
}

#[tokio::test]
async fn a_found_product_comes_back_in_headers_data_and_trailers() {
    let server = start().await;
    let addr = server.addr().to_string();
    let channel = RawChannel::connect(&addr).await.expect("connect");
    let calls = book_calls(&channel).await.expect("three calls");

    // addProduct: the request as the spec lays it out.
    let add = &calls.add;
    assert_eq!(add.stream_id, 1, "the client's first stream");
    assert_eq!(
        header_list(&add.request_headers),
        [
            (":method", "POST"),
            (":scheme", "http"),
            (":authority", addr.as_str()),
            (":path", "/ecommerce.ProductInfo/addProduct"),
            ("grpc-timeout", "1S"),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ]
    );
    let book_product = book::product();
    let expected_frame =
        frame(&prost::Message::encode_to_vec(&book_product)).expect("a short message");
    assert_eq!(add.request_data, [expected_frame]);
    let id: ProductId = add.response().expect("a ProductID");
    assert!(uuid_like(&id.value), "{id:?}");

    // getProduct of that id: HEADERS, one DATA frame, trailers with grpc-status 0.
    let found = &calls.found;
    assert_eq!(found.stream_id, 3);
    assert_eq!(found.status, 200);
    assert_eq!(
        found.response_headers.get("content-type"),
        Some(&HeaderValue::from_static("application/grpc"))
    );
    assert!(!found.trailers_only);
    let expected_product = Product {
        id: id.value.clone(),
        ..book_product
    };
    let expected_bytes =
        frame(&prost::Message::encode_to_vec(&expected_product)).expect("a short message");
    assert_eq!(
        found.response_data.concat(),
        expected_bytes,
        "the server's bytes are prost's"
    );
    assert_eq!(
        found.response::<Product>().expect("a Product"),
        expected_product
    );
    let trailers = found.trailers.as_ref().expect("trailers");
    assert_eq!(
        trailers.get("grpc-status"),
        Some(&HeaderValue::from_static("0"))
    );
    assert_eq!(
        found.grpc_status(),
        Some(Ok(GrpcStatus {
            code: 0,
            message: String::new()
        }))
    );
    assert!(found.reset.is_none());

    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_missing_product_is_a_trailers_only_response() {
    let server = start().await;
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");
    let calls = book_calls(&channel).await.expect("three calls");

    let missing = &calls.missing;
    assert_eq!(missing.stream_id, 5);
    assert_eq!(missing.status, 200);
    assert!(missing.trailers_only, "one HEADERS frame, END_STREAM");
    assert!(missing.response_data.is_empty());
    assert!(missing.trailers.is_none());
    assert_eq!(
        missing.response_headers.get("grpc-status"),
        Some(&HeaderValue::from_static("5"))
    );
    assert_eq!(
        missing.response_headers.get("grpc-message"),
        Some(&HeaderValue::from_static(
            "Product%20does%20not%20exist:%20no-such-product"
        ))
    );
    assert_eq!(
        missing.grpc_status(),
        Some(Ok(GrpcStatus {
            code: 5,
            message: format!("Product does not exist: {MISSING_ID}")
        }))
    );

    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_transcript_shows_each_frame_in_order() {
    let server = start().await;
    let addr = server.addr().to_string();
    let channel = RawChannel::connect(&addr).await.expect("connect");
    let calls = book_calls(&channel).await.expect("three calls");

    let missing = calls.missing.to_string();
    let expected_start = format!(
        "stream 5: POST /ecommerce.ProductInfo/getProduct\n\
         → HEADERS\n      \
         :method: POST\n      \
         :scheme: http\n      \
         :authority: {addr}\n      \
         :path: /ecommerce.ProductInfo/getProduct\n      \
         grpc-timeout: 1S\n      \
         content-type: application/grpc\n      \
         te: trailers\n\
         → DATA, END_STREAM (22 bytes)\n      \
         00 00 00 00 11 0a 0f 6e 6f 2d 73 75 63 68 2d 70\n      \
         72 6f 64 75 63 74\n      \
         = message: flag 0, 17 bytes: ProductID {{ value: \"no-such-product\" }}\n\
         ← HEADERS (Trailers-Only), END_STREAM\n      \
         :status: 200\n      \
         content-type: application/grpc\n      \
         grpc-status: 5 (NOT_FOUND)\n      \
         grpc-message: Product%20does%20not%20exist:%20no-such-product\n        \
         percent-decoded: \"Product does not exist: no-such-product\"\n"
    );
    assert!(missing.starts_with(&expected_start), "{missing}");
    assert!(
        missing.ends_with("⇒ NOT_FOUND (5) \"Product does not exist: no-such-product\"\n"),
        "{missing}"
    );

    let found = calls.found.to_string();
    let order: Vec<&str> = found
        .lines()
        .filter(|line| !line.starts_with(' '))
        .collect();
    assert_eq!(
        order,
        [
            "stream 3: POST /ecommerce.ProductInfo/getProduct",
            "→ HEADERS",
            "→ DATA, END_STREAM (43 bytes)",
            "← HEADERS",
            "← DATA (147 bytes)",
            "← HEADERS (trailers), END_STREAM",
            "⇒ OK (0)",
        ]
    );
    assert!(
        found.contains("= message: flag 0, 142 bytes: Product { id: \""),
        "{found}"
    );

    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binary_prints_the_three_calls() {
    let server = start().await;
    let output = Command::new(env!("CARGO_BIN_EXE_ch04-raw-client"))
        .args(["--addr", &server.addr().to_string()])
        .output()
        .await
        .expect("run ch04-raw-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");

    let outcomes: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("stream ") || line.starts_with('⇒'))
        .collect();
    assert_eq!(
        outcomes,
        [
            "stream 1: POST /ecommerce.ProductInfo/addProduct",
            "⇒ OK (0)",
            "stream 3: POST /ecommerce.ProductInfo/getProduct",
            "⇒ OK (0)",
            "stream 5: POST /ecommerce.ProductInfo/getProduct",
            "⇒ NOT_FOUND (5) \"Product does not exist: no-such-product\"",
        ]
    );
    assert!(stdout.contains("← HEADERS (Trailers-Only), END_STREAM"));
    assert!(stdout.contains("name: \"Apple iPhone 11\""));

    let output = Command::new(env!("CARGO_BIN_EXE_ch04-raw-client"))
        .args(["--addr", &server.addr().to_string(), "--id", "15"])
        .output()
        .await
        .expect("run ch04-raw-client --id");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(stdout.starts_with("stream 1: POST /ecommerce.ProductInfo/getProduct\n"));
    assert!(stdout.ends_with("⇒ NOT_FOUND (5) \"Product does not exist: 15\"\n"));

    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binary_says_when_there_is_no_server() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("local addr")
    };
    let output = Command::new(env!("CARGO_BIN_EXE_ch04-raw-client"))
        .args(["--addr", &addr.to_string()])
        .output()
        .await
        .expect("run ch04-raw-client");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("ch04-raw-client: cannot connect to {addr}: ")),
        "{stderr}"
    );
}

fn uuid_like(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}
