//! Shutting down while a call is in flight: the call completes, then the server stops.
//!
//! A unary ProductInfo call is over in microseconds, so to catch one in flight this test
//! speaks HTTP/2 itself (with the `h2` crate) and sends the request in two halves: the
//! headers and the first bytes of the message, then, only after the server has started
//! shutting down, the rest.

use book_proto::ecommerce::ProductId;
use bytes::{Bytes, BytesMut};
use ch02_productinfo::client::book_product;
use common::local::LocalServer;
use h2::Ping;
use http::Request;
use prost::Message;

#[tokio::test]
async fn a_call_in_flight_completes_before_the_server_stops() {
    let server =
        LocalServer::start(|listener, shutdown| ch02_productinfo::serve(listener, shutdown.wait()))
            .await
            .expect("bind a loopback port");

    let tcp = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    let (send_request, mut connection) = h2::client::handshake(tcp).await.expect("h2 handshake");
    let mut ping_pong = connection.ping_pong().expect("ping-pong is available once");
    let connection = tokio::spawn(connection);
    let mut send_request = send_request.ready().await.expect("ready to send");

    let request = Request::post(format!(
        "http://{}/ecommerce.ProductInfo/addProduct",
        server.addr()
    ))
    .header("content-type", "application/grpc")
    .header("te", "trailers")
    .body(())
    .expect("valid request");
    let (response, mut body) = send_request
        .send_request(request, false)
        .expect("send headers");
    let frame = wire::frame(&book_product().encode_to_vec());
    let (first_half, second_half) = frame.split_at(frame.len() / 2);
    body.send_data(Bytes::copy_from_slice(first_half), false)
        .expect("send first half");
    // The server handles frames in order, so once it answers a PING it has our stream.
    ping_pong.ping(Ping::opaque()).await.expect("pong");

    let stopping = server.request_shutdown();

    // Wait until the server has said GOAWAY: from then on the connection refuses new streams,
    // while the stream already open goes on. Each PING is a round trip to the server.
    let mut goaway_seen = false;
    for _ in 0..1000 {
        ping_pong.ping(Ping::opaque()).await.expect("pong");
        if send_request.clone().ready().await.is_err() {
            goaway_seen = true;
            break;
        }
    }
    assert!(goaway_seen, "the server announces its shutdown with GOAWAY");
    assert!(
        !stopping.is_finished(),
        "the server waits for the call in flight"
    );

    body.send_data(Bytes::copy_from_slice(second_half), true)
        .expect("send second half");
    let response = response.await.expect("a response");
    assert_eq!(response.status(), 200);
    let mut response_body = response.into_body();
    let mut data = BytesMut::new();
    while let Some(chunk) = response_body.data().await {
        let chunk = chunk.expect("response data");
        response_body
            .flow_control()
            .release_capacity(chunk.len())
            .expect("release capacity");
        data.extend_from_slice(&chunk);
    }
    let trailers = response_body
        .trailers()
        .await
        .expect("trailers")
        .expect("some trailers");
    assert_eq!(
        trailers.get("grpc-status").map(|v| v.as_bytes()),
        Some(&b"0"[..])
    );
    assert!(data.len() > 5, "one length-prefixed message");
    let id = ProductId::decode(&data[5..]).expect("a ProductID");
    assert!(uuid::Uuid::parse_str(&id.value).is_ok(), "{id:?}");

    stopping
        .await
        .expect("server task did not panic")
        .expect("server stopped cleanly");
    connection
        .await
        .expect("connection task did not panic")
        .expect("connection closed cleanly");
}
