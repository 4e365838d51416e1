//! `bench-h2-limit`: chapter 2's ProductInfo answered straight on HTTP/2, with no gRPC layer:
//! the fastest this stack (tokio, `h2`, prost) can answer `getProduct`, which `bench` measures
//! `ch02-server` against to show what tonic costs.
//!
//! ```text
//! cargo run --release --bin bench-h2-limit -- --addr 127.0.0.1:50051
//! cargo run --release --bin ch02-client          # the book's output, from this server too
//! ```
//!
//! It does the work `ch02-server` does and no more: `addProduct` gives the product a UUID and
//! stores it, `getProduct` finds it in a map behind a lock, an unknown id is `NOT_FOUND`. What
//! it leaves out is everything tonic adds between HTTP/2 and the service: no router, no tower
//! layers, no codec, no per-call allocation of a response message. A product is encoded once,
//! when it is added, into the bytes of its gRPC frame; every `getProduct` sends those bytes
//! (a reference count, not a copy). It logs its start line only, never a call.
//!
//! It is a measuring instrument, not a sample to copy: it checks no deadline, no message size,
//! no content-type, and answers any malformed request `INTERNAL`.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use book_proto::ecommerce::{Product, ProductId};
use bytes::{Buf, Bytes, BytesMut};
use clap::Parser;
use common::args::ServerAddr;
use common::runtime::RuntimeArgs;
use common::server::{MAX_CONCURRENT_STREAMS, Shutdown};
use h2::RecvStream;
use h2::server::SendResponse;
use http::{HeaderMap, HeaderValue, Request, Response};
use prost::Message;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_stream::StreamExt;
use wire::PREFIX_LEN;
use wire::framing::Prefix;

/// The raw HTTP/2 ProductInfo server.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

/// The allocator `ch02-server` runs with, so that the difference is the gRPC layer only.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    args.runtime
        .build()?
        .block_on(common::server::run(&args.server, serve))
}

/// Products by id, each kept as the gRPC frame `getProduct` answers with.
type Frames = Arc<RwLock<HashMap<String, Bytes>>>;

/// Accepts connections until `shutdown`, then asks each to finish its streams and waits for
/// them (as long as `common::server::run` lets it).
async fn serve(listener: TcpListener, mut shutdown: Shutdown) -> Result<(), std::io::Error> {
    let frames = Frames::default();
    let (stopping, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut incoming = std::pin::pin!(common::server::incoming(listener));
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(Ok(tcp)) = incoming.next() => {
                connections.spawn(connection(tcp, frames.clone(), stop.clone()));
            }
        }
    }
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Serves one connection: every request on a task of its own, as hyper does under tonic.
async fn connection(tcp: tokio::net::TcpStream, frames: Frames, mut stop: watch::Receiver<bool>) {
    let Ok(mut connection) = h2::server::Builder::new()
        .max_concurrent_streams(MAX_CONCURRENT_STREAMS)
        .handshake::<_, Bytes>(tcp)
        .await
    else {
        return;
    };
    // After a graceful shutdown (a GOAWAY), `accept` still hands over the streams already
    // open, and then ends.
    let mut stopping = false;
    loop {
        tokio::select! {
            accepted = connection.accept() => match accepted {
                Some(Ok((request, respond))) => {
                    tokio::spawn(answer(request, respond, frames.clone()));
                }
                Some(Err(_)) | None => return,
            },
            Ok(()) = stop.changed(), if !stopping => {
                connection.graceful_shutdown();
                stopping = true;
            }
        }
    }
}

/// One call: reads the request's message, answers with a message and `grpc-status: 0`, or
/// with only a status.
async fn answer(request: Request<RecvStream>, mut respond: SendResponse<Bytes>, frames: Frames) {
    let path = request.uri().path().to_owned();
    let reply = match read_message(request.into_body()).await {
        Some(message) => match path.as_str() {
            "/ecommerce.ProductInfo/getProduct" => get_product(&message, &frames),
            "/ecommerce.ProductInfo/addProduct" => add_product(&message, &frames),
            _ => Err((12, "unknown method")),
        },
        None => Err((13, "malformed request")),
    };
    let mut head = Response::new(());
    head.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/grpc"));
    match reply {
        Ok(frame) => {
            let Ok(mut stream) = respond.send_response(head, false) else {
                return;
            };
            if stream.send_data(frame, false).is_ok() {
                let _ = stream.send_trailers(status_trailers(0, None));
            }
        }
        Err((code, message)) => {
            // A "trailers-only" answer: the status goes in the one HEADERS frame.
            head.headers_mut()
                .extend(status_trailers(code, Some(message)));
            let _ = respond.send_response(head, true);
        }
    }
}

/// `getProduct`: the stored frame of the product, shared, or `NOT_FOUND`.
fn get_product(message: &[u8], frames: &Frames) -> Result<Bytes, (u32, &'static str)> {
    let id = ProductId::decode(message).map_err(|_| (13, "malformed ProductID"))?;
    frames
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id.value)
        .cloned()
        .ok_or((5, "Product does not exist"))
}

/// `addProduct`: gives the product an id, stores its frame, answers the id.
fn add_product(message: &[u8], frames: &Frames) -> Result<Bytes, (u32, &'static str)> {
    let mut product = Product::decode(message).map_err(|_| (13, "malformed Product"))?;
    product.id = uuid::Uuid::new_v4().to_string();
    let reply = wire::frame(
        &ProductId {
            value: product.id.clone(),
        }
        .encode_to_vec(),
    );
    frames
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(product.id.clone(), wire::frame(&product.encode_to_vec()));
    Ok(reply)
}

/// The request body's one message, without its 5-byte prefix: `None` when the body is not
/// exactly one uncompressed message.
async fn read_message(mut body: RecvStream) -> Option<Bytes> {
    let mut received = BytesMut::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.ok()?;
        let _ = body.flow_control().release_capacity(chunk.len());
        received.extend_from_slice(&chunk);
    }
    let prefix = Prefix::read(&received)?;
    if prefix.flag != 0 {
        return None;
    }
    received.advance(PREFIX_LEN);
    (received.len() == usize::try_from(prefix.length).ok()?).then(|| received.freeze())
}

/// `grpc-status` (and `grpc-message`) headers.
fn status_trailers(code: u32, message: Option<&'static str>) -> HeaderMap {
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", HeaderValue::from(code));
    if let Some(message) = message {
        trailers.insert("grpc-message", HeaderValue::from_static(message));
    }
    trailers
}
