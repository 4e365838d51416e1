//! A server that answers nonsense: the raw client reports each problem clearly and never
//! panics, whatever the peer sends.

use book_proto::ecommerce::Product;
use bytes::Bytes;
use ch04_internals::framing::FrameError;
use ch04_internals::http2::status::StatusError;
use ch04_internals::http2::{RawChannel, RawError, RawRequest};
use h2::Reason;
use http::{HeaderMap, HeaderValue, Response};
use tokio::net::TcpListener;

/// What the fake server answers, by request path.
fn script(path: &str) -> Option<(&'static [u8], Option<&'static str>)> {
    match path {
        // The prefix announces 100 bytes, 2 follow; the status is not a number.
        "/short" => Some((b"\x00\x00\x00\x00\x64\x0a\x02", Some("abc"))),
        // A compressed-flag of 7.
        "/flag" => Some((b"\x07\x00\x00\x00\x00", Some("0"))),
        // A whole frame whose message is not protobuf; a status with a leading zero.
        "/garbage" => Some((b"\x00\x00\x00\x00\x02\x0f\xff", Some("013"))),
        // A good empty message and trailers without any grpc-status.
        "/silent" => Some((b"\x00\x00\x00\x00\x00", None)),
        _ => None,
    }
}

async fn fake_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr").to_string();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("accept");
        let mut connection = h2::server::handshake(socket).await.expect("handshake");
        while let Some(Ok((request, mut respond))) = connection.accept().await {
            let Some((data, status)) = script(request.uri().path()) else {
                respond.send_reset(Reason::INTERNAL_ERROR);
                continue;
            };
            let response = Response::builder()
                .status(200)
                .header("content-type", "application/grpc")
                .body(())
                .expect("valid response");
            let mut body = respond
                .send_response(response, false)
                .expect("send headers");
            body.send_data(Bytes::from_static(data), false)
                .expect("send data");
            let mut trailers = HeaderMap::new();
            if let Some(status) = status {
                trailers.insert("grpc-status", HeaderValue::from_static(status));
            }
            body.send_trailers(trailers).expect("send trailers");
        }
    });
    addr
}

fn request(path: &str) -> RawRequest {
    let mut request = RawRequest::get_product("15").expect("small");
    request.path = path.into();
    request
}

#[tokio::test]
async fn nonsense_from_the_server_is_reported_not_panicked_on() {
    let addr = fake_server().await;
    let channel = RawChannel::connect(&addr).await.expect("connect");

    let short = channel.call(&request("/short")).await.expect("an answer");
    assert_eq!(
        short.response_messages(),
        Err(FrameError::EndsInMessage {
            announced: 100,
            arrived: 2
        })
    );
    assert_eq!(short.grpc_status(), Some(Err(StatusError("abc".into()))));
    let text = short.to_string();
    assert!(
        text.contains(
            "= the stream ended inside a message: its prefix announced 100 bytes, 2 arrived"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("⇒ grpc-status \"abc\" is not a decimal status code\n"),
        "{text}"
    );
    match short.response::<Product>() {
        Err(RawError::Unexpected(what)) => assert_eq!(
            what,
            "the response framing: the stream ended inside a message: its prefix announced \
             100 bytes, 2 arrived"
        ),
        other => panic!("expected a framing error, got {other:?}"),
    }

    let flag = channel.call(&request("/flag")).await.expect("an answer");
    assert_eq!(flag.response_messages(), Err(FrameError::InvalidFlag(7)));
    assert!(
        flag.to_string()
            .contains("= compressed-flag 7: only 0 and 1 exist")
    );

    let garbage = channel.call(&request("/garbage")).await.expect("an answer");
    assert_eq!(garbage.grpc_status(), Some(Err(StatusError("013".into()))));
    assert!(
        garbage.to_string().contains(
            "= message: flag 0, 2 bytes: not a valid Product: wire type 7 does not exist"
        ),
        "{garbage}"
    );
    assert!(matches!(
        garbage.response::<Product>(),
        Err(RawError::Unexpected(what)) if what == "the response is not a Product: wire type 7 does not exist"
    ));

    let silent = channel.call(&request("/silent")).await.expect("an answer");
    assert_eq!(silent.grpc_status(), None);
    assert!(silent.to_string().ends_with("⇒ no grpc-status\n"));

    let reset = channel.call(&request("/reset")).await;
    match reset {
        Err(RawError::Http2(error)) => assert_eq!(error.reason(), Some(Reason::INTERNAL_ERROR)),
        other => panic!("expected a reset, got {other:?}"),
    }
}
