//! A gRPC server that answers every call with what a test tells it to: the server a client
//! meets when the other end is broken, or an attacker.
//!
//! It serves ProductInfo, OrderManagement and health checking, so every client binary of the
//! workspace finds the methods it calls, and answers them all with one [`Answer`], below
//! tonic's generated code: the bytes and headers go out exactly as given.

use std::convert::Infallible;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::task::{Context, Poll};

use futures::future::{BoxFuture, FutureExt};
use http::{HeaderMap, HeaderValue, Request, Response};
use http_body_util::StreamBody;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::body::Body;
use tonic::server::NamedService;
use tonic::transport::{Server, ServerTlsConfig};
use tower::Service;

/// What the hostile server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A Trailers-Only `INVALID_ARGUMENT` whose `grpc-status-details-bin` is not base64.
    GarbageDetailsInHeaders,
    /// One message, then trailers with `INVALID_ARGUMENT` and a `grpc-status-details-bin`
    /// that is not base64.
    GarbageDetailsInTrailers,
    /// Two messages and OK: one too many for a unary call.
    TwoMessages,
}

/// The `grpc-status-details-bin` no base64 decoder accepts.
pub const GARBAGE_DETAILS: &str = "!!!garbage***";

/// The status message of the garbage answers.
pub const MESSAGE: &str = "hostile answer";

/// A running hostile server.
pub struct HostileServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl HostileServer {
    /// Starts a plaintext server on an ephemeral loopback port.
    pub async fn start(answer: Answer) -> Self {
        Self::start_with(answer, None).await
    }

    /// Starts a server, over TLS when `tls` is given.
    pub async fn start_with(answer: Answer, tls: Option<ServerTlsConfig>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let mut builder = Server::builder();
        if let Some(tls) = tls {
            builder = builder.tls_config(tls).expect("a valid TLS configuration");
        }
        let router = builder
            .add_service(Hostile::<Products>::new(answer))
            .add_service(Hostile::<Orders>::new(answer))
            .add_service(Hostile::<Health>::new(answer));
        let task = tokio::spawn(router.serve_with_incoming_shutdown(
            common::server::incoming(listener),
            async {
                let _ = stopped.await;
            },
        ));
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Stops the server and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The service names the hostile server answers for.
trait ServiceName {
    const NAME: &'static str;
}

struct Products;
struct Orders;
struct Health;

impl ServiceName for Products {
    const NAME: &'static str = "ecommerce.ProductInfo";
}

impl ServiceName for Orders {
    const NAME: &'static str = "ecommerce.OrderManagement";
}

impl ServiceName for Health {
    const NAME: &'static str = "grpc.health.v1.Health";
}

/// Answers every call to service `S` with one [`Answer`].
struct Hostile<S> {
    answer: Answer,
    service: PhantomData<fn() -> S>,
}

impl<S> Hostile<S> {
    fn new(answer: Answer) -> Self {
        Self {
            answer,
            service: PhantomData,
        }
    }
}

impl<S> Clone for Hostile<S> {
    fn clone(&self) -> Self {
        Self::new(self.answer)
    }
}

impl<S: ServiceName> NamedService for Hostile<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> Service<Request<Body>> for Hostile<S> {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: Request<Body>) -> Self::Future {
        std::future::ready(Ok(respond(self.answer))).boxed()
    }
}

fn respond(answer: Answer) -> Response<Body> {
    // An empty message: every message type decodes it, so each client gets as far as the
    // status (or the second message) before anything else fails.
    let message = || http_body::Frame::data(wire::frame(&[]));
    let (response, frames) = match answer {
        Answer::GarbageDetailsInHeaders => {
            let mut response = Response::new(Body::empty());
            error_status(response.headers_mut());
            return grpc(response);
        }
        Answer::GarbageDetailsInTrailers => {
            let mut trailers = HeaderMap::new();
            error_status(&mut trailers);
            (
                Response::new(()),
                vec![message(), http_body::Frame::trailers(trailers)],
            )
        }
        Answer::TwoMessages => {
            let mut trailers = HeaderMap::new();
            trailers.insert("grpc-status", HeaderValue::from_static("0"));
            (
                Response::new(()),
                vec![message(), message(), http_body::Frame::trailers(trailers)],
            )
        }
    };
    let body = StreamBody::new(futures::stream::iter(
        frames.into_iter().map(Ok::<_, Infallible>),
    ));
    grpc(response.map(|()| Body::new(body)))
}

/// `INVALID_ARGUMENT`, with details no decoder can read.
fn error_status(headers: &mut HeaderMap) {
    headers.insert("grpc-status", HeaderValue::from_static("3"));
    headers.insert("grpc-message", HeaderValue::from_static("hostile%20answer"));
    headers.insert(
        "grpc-status-details-bin",
        HeaderValue::from_static(GARBAGE_DETAILS),
    );
}

fn grpc(mut response: Response<Body>) -> Response<Body> {
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    response
}
