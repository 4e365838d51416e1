//! Checks for exercise ch04/02, 길이-접두사 메시지 읽기 (Reading a length-prefixed message).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch04_read_grpc_frame -- --include-ignored`.

use book_proto::ecommerce::{Product, ProductId};
use ch04_internals::framing::frame;
use ch04_internals::http2::{RawChannel, RawRequest};
use common::local::LocalServer;
use exercises::ch04::read_grpc_frame::{
    DEFAULT_LIMIT, FrameError, Message, PREFIX_LEN, read_message,
};
use prost::Message as _;
use tonic::Code;

/// The book's `ProductID { value: "15" }` behind its prefix: nine bytes.
const BOOKS_FRAME: [u8; 9] = [0x00, 0x00, 0x00, 0x00, 0x04, 0x0a, 0x02, 0x31, 0x35];

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_books_product_id_frame_reads_as_four_message_bytes() {
    let mut input = &BOOKS_FRAME[..];
    let message = read_message(&mut input, DEFAULT_LIMIT).expect("a whole frame");
    assert_eq!(
        message,
        Message {
            compressed: false,
            bytes: &[0x0a, 0x02, 0x31, 0x35],
        }
    );
    assert!(input.is_empty(), "the input moved past the frame");
    let id = ProductId::decode(message.bytes).expect("a ProductID");
    assert_eq!(id.value, "15");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn messages_back_to_back_read_one_after_the_other() {
    let product = Product {
        id: "1".into(),
        name: "Apple iPhone 11".into(),
        description: "상품 설명 ".repeat(100),
        price: 699.0,
    };
    let mut stream = frame(&product.encode_to_vec()).expect("framed");
    stream.extend(frame(&[]).expect("framed"));
    stream.extend(BOOKS_FRAME);
    stream.extend([0x00, 0x00]); // the start of a fourth frame

    let mut input = &stream[..];
    let first = read_message(&mut input, DEFAULT_LIMIT).expect("the product");
    assert_eq!(Product::decode(first.bytes).expect("a Product"), product);
    let second = read_message(&mut input, DEFAULT_LIMIT).expect("an empty message");
    assert!(second.bytes.is_empty(), "{second:?}");
    assert_eq!(
        ProductId::decode(second.bytes).expect("the empty message is a valid ProductID"),
        ProductId::default()
    );
    let third = read_message(&mut input, DEFAULT_LIMIT).expect("the book's frame");
    assert_eq!(third.bytes, [0x0a, 0x02, 0x31, 0x35]);
    assert_eq!(
        input,
        [0x00, 0x00],
        "what is left is the fourth frame's start"
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_compressed_flag_is_read() {
    let bytes = [0x01, 0x00, 0x00, 0x00, 0x02, 0xaa, 0xbb];
    let mut input = &bytes[..];
    let message = read_message(&mut input, DEFAULT_LIMIT).expect("a whole frame");
    assert!(message.compressed);
    assert_eq!(message.bytes, [0xaa, 0xbb]);
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_flag_other_than_0_or_1_is_refused() {
    for flag in [2, 0x80, 0xff] {
        let bytes = [flag, 0x00, 0x00, 0x00, 0x01, 0x00];
        let mut input = &bytes[..];
        let error = read_message(&mut input, DEFAULT_LIMIT).expect_err("not a flag");
        assert_eq!(error, FrameError::InvalidFlag(flag));
        assert_eq!(error.code(), Code::Internal);
        assert_eq!(input, bytes, "an error leaves the input as it was");
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_short_prefix_is_short() {
    for length in 0..PREFIX_LEN {
        let mut input = &BOOKS_FRAME[..length];
        let error = read_message(&mut input, DEFAULT_LIMIT).expect_err("no whole prefix");
        assert_eq!(
            error,
            FrameError::Short {
                needed: PREFIX_LEN,
                available: length
            }
        );
        assert_eq!(input.len(), length, "an error leaves the input as it was");
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_message_shorter_than_its_prefix_says_is_short() {
    let bytes = [0x00, 0x00, 0x00, 0x00, 50, 0x01, 0x02];
    let mut input = &bytes[..];
    let error = read_message(&mut input, DEFAULT_LIMIT).expect_err("48 bytes missing");
    assert_eq!(
        error,
        FrameError::Short {
            needed: 55,
            available: 7
        }
    );
    assert_eq!(input, bytes, "an error leaves the input as it was");

    let mut input = &BOOKS_FRAME[..8];
    let error = read_message(&mut input, DEFAULT_LIMIT).expect_err("one byte missing");
    assert_eq!(
        error,
        FrameError::Short {
            needed: 9,
            available: 8
        }
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_message_over_the_limit_is_refused_from_its_prefix_alone() {
    // Announces 4 MiB + 1 bytes and sends none of them: the prefix is enough to refuse it.
    let mut prefix = vec![0x00];
    prefix.extend((DEFAULT_LIMIT + 1).to_be_bytes());
    let mut input = &prefix[..];
    let error = read_message(&mut input, DEFAULT_LIMIT).expect_err("over the limit");
    assert_eq!(
        error,
        FrameError::TooLarge {
            length: DEFAULT_LIMIT + 1,
            limit: DEFAULT_LIMIT
        }
    );
    assert_eq!(error.code(), Code::ResourceExhausted);

    // The largest length there is, on a compressed message.
    let largest = [0x01, 0xff, 0xff, 0xff, 0xff];
    let error = read_message(&mut &largest[..], DEFAULT_LIMIT).expect_err("4 GiB");
    assert_eq!(error.code(), Code::ResourceExhausted, "{error:?}");
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_message_of_exactly_the_limit_is_accepted() {
    let ten = frame(&[7; 10]).expect("framed");
    let message = read_message(&mut &ten[..], 10).expect("at the limit");
    assert_eq!(message.bytes, [7; 10]);
    let error = read_message(&mut &ten[..], 9).expect_err("one over the limit");
    assert_eq!(
        error,
        FrameError::TooLarge {
            length: 10,
            limit: 9
        }
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn what_a_real_tonic_server_sends_reads_back() {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");
    let channel = RawChannel::connect(&server.addr().to_string())
        .await
        .expect("an HTTP/2 connection");
    let product = Product {
        id: String::new(),
        name: "Apple iPhone 11".into(),
        description: "Meet Apple iPhone 11.".into(),
        price: 699.0,
    };

    // addProduct: what the raw client sent, and the ProductID chapter 2's server answered.
    let added = channel
        .call(&RawRequest::add_product(&product).expect("a request"))
        .await
        .expect("addProduct");
    let sent = added.request_data.concat();
    let mut input = &sent[..];
    let request = read_message(&mut input, DEFAULT_LIMIT).expect("the request's message");
    assert_eq!(Product::decode(request.bytes).expect("a Product"), product);
    let answer = added.response_data.concat();
    let mut input = &answer[..];
    let id = read_message(&mut input, DEFAULT_LIMIT).expect("the response's message");
    assert!(!id.compressed);
    assert!(input.is_empty(), "one message in a unary response");
    let id = ProductId::decode(id.bytes).expect("a ProductID");

    // getProduct of that id: the product comes back, framed by tonic.
    let got = channel
        .call(&RawRequest::get_product(&id.value).expect("a request"))
        .await
        .expect("getProduct");
    let answer = got.response_data.concat();
    let stored = read_message(&mut &answer[..], DEFAULT_LIMIT).expect("the response's message");
    let stored = Product::decode(stored.bytes).expect("a Product");
    assert_eq!(stored.name, product.name);
    assert_eq!(stored.id, id.value);
    server.stop().await.expect("the server stops");
}
