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
use exercises::expect::{Sent, sent};
use prost::Message as _;
use tonic::Code;

/// The book's `ProductID { value: "15" }` behind its prefix: nine bytes.
const BOOKS_FRAME: [u8; 9] = [0x00, 0x00, 0x00, 0x00, 0x04, 0x0a, 0x02, 0x31, 0x35];

/// Reads one message off `input`, which must hold one.
#[track_caller]
fn read_ok<'a>(call: &Sent, input: &mut &'a [u8], limit: u32) -> Message<'a> {
    match read_message(input, limit) {
        Ok(message) => message,
        Err(error) => call.fail("a message", format!("the error {error:?}")),
    }
}

/// Reads off `input`, which must fail with `expected`.
#[track_caller]
fn read_err(call: &Sent, input: &mut &[u8], limit: u32, expected: &FrameError) -> FrameError {
    match read_message(input, limit) {
        Ok(message) => call.fail(format!("the error {expected:?}"), format!("{message:?}")),
        Err(error) => {
            call.expect_eq(&error, expected);
            error
        }
    }
}

/// Decodes `bytes` as an `M`, or fails the check saying what prost said.
#[track_caller]
fn decode<M: prost::Message + Default>(call: &Sent, bytes: &[u8]) -> M {
    M::decode(bytes)
        .unwrap_or_else(|error| call.fail("bytes that decode", format!("prost: {error}")))
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_books_product_id_frame_reads_as_four_message_bytes() {
    let call = sent(format!(
        "read_message of the book's frame {BOOKS_FRAME:02x?}"
    ));
    let mut input = &BOOKS_FRAME[..];
    let message = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect_eq(
        message,
        Message {
            compressed: false,
            bytes: &[0x0a, 0x02, 0x31, 0x35],
        },
    );
    call.expect(
        input.is_empty(),
        "the input moved past the frame: nothing left",
        input,
    );
    let id: ProductId = decode(&call, message.bytes);
    call.expect_eq(id.value, "15");
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
    let call = sent(
        "read_message of four frames back to back (a Product, an empty message, the book's ProductID, a partial frame), the first time",
    );
    let first = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect_eq(decode::<Product>(&call, first.bytes), product);
    let call = sent("read_message of the same input, the second time: the empty message");
    let second = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect(second.bytes.is_empty(), "an empty message", second);
    call.expect_eq(
        decode::<ProductId>(&call, second.bytes),
        ProductId::default(),
    );
    let call = sent("read_message of the same input, the third time: the book's frame");
    let third = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect_eq(third.bytes, [0x0a, 0x02, 0x31, 0x35]);
    call.expect(
        input == [0x00, 0x00],
        "what is left is the fourth frame's start, [00, 00]",
        input,
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_compressed_flag_is_read() {
    let bytes = [0x01, 0x00, 0x00, 0x00, 0x02, 0xaa, 0xbb];
    let call = sent(format!("read_message of {bytes:02x?}"));
    let mut input = &bytes[..];
    let message = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect_eq(
        message,
        Message {
            compressed: true,
            bytes: &[0xaa, 0xbb],
        },
    );
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_flag_other_than_0_or_1_is_refused() {
    for flag in [2, 0x80, 0xff] {
        let bytes = [flag, 0x00, 0x00, 0x00, 0x01, 0x00];
        let call = sent(format!("read_message of {bytes:02x?}"));
        let mut input = &bytes[..];
        let error = read_err(
            &call,
            &mut input,
            DEFAULT_LIMIT,
            &FrameError::InvalidFlag(flag),
        );
        call.expect_eq(error.code(), Code::Internal);
        call.expect(input == bytes, "an error leaves the input as it was", input);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_short_prefix_is_short() {
    for length in 0..PREFIX_LEN {
        let call = sent(format!(
            "read_message of {:02x?}, {length} bytes of a prefix",
            &BOOKS_FRAME[..length]
        ));
        let mut input = &BOOKS_FRAME[..length];
        read_err(
            &call,
            &mut input,
            DEFAULT_LIMIT,
            &FrameError::Short {
                needed: PREFIX_LEN,
                available: length,
            },
        );
        call.expect(
            input.len() == length,
            "an error leaves the input as it was",
            input,
        );
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_message_shorter_than_its_prefix_says_is_short() {
    let bytes = [0x00, 0x00, 0x00, 0x00, 50, 0x01, 0x02];
    let call = sent(format!(
        "read_message of {bytes:02x?}: a prefix announcing 50 bytes, and 2 of them"
    ));
    let mut input = &bytes[..];
    read_err(
        &call,
        &mut input,
        DEFAULT_LIMIT,
        &FrameError::Short {
            needed: 55,
            available: 7,
        },
    );
    call.expect(input == bytes, "an error leaves the input as it was", input);

    let call = sent(format!(
        "read_message of {:02x?}: the book's frame without its last byte",
        &BOOKS_FRAME[..8]
    ));
    let mut input = &BOOKS_FRAME[..8];
    read_err(
        &call,
        &mut input,
        DEFAULT_LIMIT,
        &FrameError::Short {
            needed: 9,
            available: 8,
        },
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
    let call = sent(format!(
        "read_message of the prefix {prefix:02x?} alone: 4 MiB + 1 bytes announced, limit 4 MiB"
    ));
    let mut input = &prefix[..];
    let error = read_err(
        &call,
        &mut input,
        DEFAULT_LIMIT,
        &FrameError::TooLarge {
            length: DEFAULT_LIMIT + 1,
            limit: DEFAULT_LIMIT,
        },
    );
    call.expect_eq(error.code(), Code::ResourceExhausted);

    // The largest length there is, on a compressed message.
    let largest = [0x01, 0xff, 0xff, 0xff, 0xff];
    let call = sent(format!(
        "read_message of the prefix {largest:02x?} alone: 4 GiB announced, limit 4 MiB"
    ));
    match read_message(&mut &largest[..], DEFAULT_LIMIT) {
        Ok(message) => call.fail("RESOURCE_EXHAUSTED", format!("{message:?}")),
        Err(error) => call.expect(
            error.code() == Code::ResourceExhausted,
            "an error whose code is RESOURCE_EXHAUSTED",
            error,
        ),
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn a_message_of_exactly_the_limit_is_accepted() {
    let ten = frame(&[7; 10]).expect("framed");
    let call = sent("read_message of a 10-byte message with the limit 10");
    let message = read_ok(&call, &mut &ten[..], 10);
    call.expect_eq(message.bytes, [7; 10]);
    let call = sent("read_message of a 10-byte message with the limit 9");
    read_err(
        &call,
        &mut &ten[..],
        9,
        &FrameError::TooLarge {
            length: 10,
            limit: 9,
        },
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
    let request_bytes = added.request_data.concat();
    let call = sent("read_message of the bytes a raw addProduct call sent to chapter 2's server");
    let mut input = &request_bytes[..];
    let request = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect_eq(&decode::<Product>(&call, request.bytes), &product);
    let answer = added.response_data.concat();
    let call = sent("read_message of the bytes chapter 2's server answered to addProduct");
    let mut input = &answer[..];
    let id = read_ok(&call, &mut input, DEFAULT_LIMIT);
    call.expect(!id.compressed, "an uncompressed message", id);
    call.expect(
        input.is_empty(),
        "one message in a unary response: nothing left",
        input,
    );
    let id: ProductId = decode(&call, id.bytes);

    // getProduct of that id: the product comes back, framed by tonic.
    let got = channel
        .call(&RawRequest::get_product(&id.value).expect("a request"))
        .await
        .expect("getProduct");
    let answer = got.response_data.concat();
    let call = sent(format!(
        "read_message of the bytes chapter 2's server answered to getProduct({:?})",
        id.value
    ));
    let stored = read_ok(&call, &mut &answer[..], DEFAULT_LIMIT);
    let stored: Product = decode(&call, stored.bytes);
    call.expect_eq(&stored.name, &product.name);
    call.expect_eq(&stored.id, &id.value);
    server.stop().await.expect("the server stops");
}
