//! 압축 (Compression): gzip on a call, and what it looks like on the wire.
//!
//! The book's Go client asks for gzip on one call with `grpc.UseCompressor(gzip.Name)`, and its
//! server accepts it because importing grpc-go's gzip package registers the codec for the
//! whole process. The request then carries the header `grpc-encoding: gzip`, and each message
//! on the wire starts with a compressed flag of 1 before its 4-byte length.
//!
//! tonic compresses only when both sides say so, per service, and needs its `gzip` feature:
//!
//! * the client calls `send_compressed(Gzip)` to compress its requests and
//!   `accept_compressed(Gzip)` to ask for compressed responses (the header
//!   `grpc-accept-encoding`);
//! * the server calls `accept_compressed(Gzip)` to take compressed requests (without it a
//!   gzip request fails with `UNIMPLEMENTED`) and `send_compressed(Gzip)` to compress its
//!   responses to clients that accept gzip.
//!
//! So that the compression shows, this sample's server logs, for each call, the request's
//! `grpc-encoding` and the first message's prefix as it came off the wire (see [`serve`]).

use std::future::Future;
use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::{Client, order_101};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::channel::Channel;
use common::deadline::Deadline;
use http_body_util::BodyExt;
use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::codec::CompressionEncoding;
use tonic::{Response, Status};
use tower::util::MapRequestLayer;
use wire::framing::Prefix;

/// The book's timeout for the call.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The header that names a message's compression.
pub const ENCODING_HEADER: &str = "grpc-encoding";

/// Chapter 3's order service, unchanged, taking gzip requests and sending gzip responses to
/// clients that accept them.
pub fn order_service() -> OrderManagementServer<OrderManagementService> {
    OrderManagementServer::new(OrderManagementService::new(OrderStore::book()))
        .accept_compressed(CompressionEncoding::Gzip)
        .send_compressed(CompressionEncoding::Gzip)
}

/// Serves the gzip-enabled order service on `listener` until `shutdown` completes, logging
/// how each request arrived: `/ecommerce.OrderManagement/addOrder: grpc-encoding gzip,
/// message of 72 bytes, compressed flag 1`.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .layer(MapRequestLayer::new(log_wire))
        .add_service(order_service())
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// Logs the request's `grpc-encoding` header and the prefix of its first message.
///
/// This runs below tonic, on the HTTP/2 request itself: the body is still as it came off
/// the wire, so the length is the compressed one. Every gRPC message starts with 5 bytes, a
/// compressed flag and a big-endian length; the first DATA frame of a request starts with
/// the first message's.
fn log_wire(request: http::Request<Body>) -> http::Request<Body> {
    let path = request.uri().path().to_owned();
    let encoding = request
        .headers()
        .get(ENCODING_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    let mut first_frame = true;
    request.map(|body| {
        Body::new(body.map_frame(move |frame| {
            if let Some(data) = frame.data_ref().filter(|_| first_frame) {
                first_frame = false;
                if let Some(Prefix { flag, length }) = Prefix::read(data) {
                    tracing::info!(
                        "{path}: {ENCODING_HEADER} {encoding}, message of {length} bytes, \
                         compressed flag {flag}"
                    );
                }
            }
            frame
        }))
    })
}

/// An OrderManagement client that compresses its requests with gzip and accepts gzip
/// responses.
pub fn gzip_client(channel: Channel) -> Client {
    OrderManagementClient::new(channel)
        .send_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Gzip)
}

/// Adds `order` through `client`; the whole response is returned, since its metadata says how
/// the reply was encoded (`grpc-encoding`).
pub async fn add_order(
    client: &mut Client,
    deadline: &Deadline,
    order: Order,
) -> Result<Response<String>, Status> {
    deadline
        .run(client.add_order(deadline.request(order)))
        .await
}

/// The book's client: adds order 101 with gzip and prints the reply through `print`.
pub async fn book_flow(channel: Channel, mut print: impl FnMut(String)) -> Result<(), Status> {
    let deadline = Deadline::after(CALL_TIMEOUT);
    let reply = add_order(&mut gzip_client(channel), &deadline, order_101()).await?;
    print(format!("AddOrder Response -> {}", reply.into_inner()));
    Ok(())
}
