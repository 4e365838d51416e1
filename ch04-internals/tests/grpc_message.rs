//! `grpc-message` survives the trip exactly: whitespace, `%`, non-ASCII and emoji go out
//! percent-encoded as visible ASCII and come back as they were.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch04_internals::http2::status::percent_decode;
use ch04_internals::http2::{GrpcStatus, RawChannel, RawRequest};
use common::local::LocalServer;
use http::HeaderMap;
use proptest::prelude::*;
use tonic::{Code, Status};

const TRICKY_IDS: [&str; 8] = [
    "  leading and trailing spaces  ",
    "tab\there, newline\nthere, carriage return\r",
    "커피 한 잔 ☕",
    "rocket 🚀, family 👨‍👩‍👧, flag 🇰🇷",
    "100% sure, %41 is not A, %zz is not a byte",
    "עברית and العربية, right to left",
    "e\u{301} (combining accent), \u{0} (NUL), \u{7f} (DEL)",
    "\"quotes\" <angles> {braces} `ticks` #hash ?query",
];

#[tokio::test]
async fn tricky_messages_come_back_exactly() {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("connect");
    let mut client = ProductInfoClient::connect(server.http_uri())
        .await
        .expect("connect");

    for id in TRICKY_IDS {
        let expected = format!("Product does not exist: {id}");

        let exchange = channel
            .call(&RawRequest::get_product(id).expect("small"))
            .await
            .expect("an answer");
        let raw = exchange
            .response_headers
            .get("grpc-message")
            .expect("a grpc-message");
        assert!(
            raw.as_bytes()
                .iter()
                .all(|byte| (0x20..=0x7e).contains(byte)),
            "only visible ASCII on the wire: {raw:?}"
        );
        assert_eq!(
            exchange.grpc_status(),
            Some(Ok(GrpcStatus {
                code: 5,
                message: expected.clone()
            })),
            "{id:?}"
        );

        let status = client
            .get_product(ProductId { value: id.into() })
            .await
            .expect_err("not found");
        assert_eq!(status.code(), Code::NotFound);
        assert_eq!(status.message(), expected, "tonic's client agrees");
    }
    server.stop().await.expect("clean stop");
}

#[test]
fn an_emoji_travels_as_its_utf8_bytes() {
    let mut headers = HeaderMap::new();
    Status::not_found("🚀")
        .add_header(&mut headers)
        .expect("a valid header");
    assert_eq!(
        headers.get("grpc-message").map(|value| value.as_bytes()),
        Some(&b"%F0%9F%9A%80"[..])
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// tonic's encoder (what the server sends), then our decoder (what the raw client reads).
    #[test]
    fn any_message_tonic_sends_decodes_to_itself(message in any::<String>()) {
        let mut headers = HeaderMap::new();
        Status::new(Code::Internal, message.clone())
            .add_header(&mut headers)
            .expect("tonic encodes any message");
        let status = GrpcStatus::from_headers(&headers)
            .expect("a grpc-status")
            .expect("a valid grpc-status");
        prop_assert_eq!(status, GrpcStatus { code: 13, message });
    }

    /// Whatever a peer sends, decoding gives a string, never a panic.
    #[test]
    fn any_bytes_decode_to_something(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let decoded = percent_decode(&bytes);
        if !bytes.contains(&b'%') {
            prop_assert_eq!(decoded, String::from_utf8_lossy(&bytes));
        }
    }
}
