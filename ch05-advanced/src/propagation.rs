//! Deadline propagation over two hops (「데드라인 전파 (Deadline propagation)」 · 책 밖의 내용):
//! client → front → backend, one budget for the whole chain.
//!
//! The book's deadline sample has one server. A real call often goes through two or more: a
//! front service answers by calling a backend. The client's deadline has to hold for the
//! whole chain. The front passes on the time its caller has left, less what it spent itself,
//! as the backend's `grpc-timeout`. The backend stops its work when that runs out. The front
//! gives up when its caller does, not later.
//!
//! Nothing new does the propagating. The front is the deadline sample's forwarding `addOrder`
//! ([`SlowOrders::forwarding_to`]: `Deadline::of_call` reads the budget, `Deadline::request`
//! passes on what is left, `Deadline::run` stops waiting when it runs out). The backend is
//! that sample's slow `addOrder` ([`SlowOrders::working_for`]), run under the budget it was
//! given. What this sample adds is a view of the budget: [`BudgetLog`], a tower layer on each
//! hop's server, logs the `grpc-timeout` each call arrives with, and how and when the call
//! ended: answered (with which code), or dropped by tonic when the budget ran out.
//!
//! grpc-go does the same with a `context`. A handler passes its `ctx` to the next call and
//! the deadline travels with it (grpc-go's `features/deadline` example, whose server also
//! forwards to itself). tonic has no context: the handler hands the deadline on itself. A
//! handler that forgets leaves the backend working for a caller that is long gone, which is
//! what the sample's tests make sure does not happen.

use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};
use std::time::Duration;

use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::Client;
use common::deadline::Deadline;
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::Instant;
use tonic::Code;
use tonic::body::Body;
use tonic::metadata::MetadataMap;
use tonic::transport::Endpoint;
use tower::Service;

use crate::deadlines::SlowOrders;

/// The backend's port when the server binary runs both hops, next to the book's 50051.
pub const BACKEND_PORT: u16 = 50052;

/// Serves the backend: the deadline sample's slow `addOrder`, working for `work` unless its
/// budget runs out first.
pub async fn serve_backend(
    listener: TcpListener,
    work: Duration,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .layer(tower::layer::layer_fn(|inner| BudgetLog {
            hop: "backend",
            inner,
        }))
        .add_service(OrderManagementServer::new(
            SlowOrders::working_for(work).service(),
        ))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// Serves the front: `addOrder` forwarded to `backend` with the time its caller has left.
pub async fn serve_front(
    listener: TcpListener,
    backend: Client,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .layer(tower::layer::layer_fn(|inner| BudgetLog {
            hop: "front",
            inner,
        }))
        .add_service(OrderManagementServer::new(
            SlowOrders::forwarding_to(backend).service(),
        ))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// Serves both hops, the front on `front` and the backend on `backend`, until `shutdown`.
///
/// The front stops first and the backend only once the front has finished its calls in
/// flight: those calls still need the backend.
pub async fn serve(
    front: TcpListener,
    backend: TcpListener,
    work: Duration,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let backend_addr = backend.local_addr()?;
    tracing::info!("backend listening on {backend_addr}");
    let to_backend = connect(backend_addr).await.map_err(io::Error::other)?;
    let (front_stopped, backend_shutdown) = oneshot::channel::<()>();
    let front = async {
        let served = serve_front(front, to_backend, shutdown).await;
        let _ = front_stopped.send(());
        served.map_err(io::Error::other)
    };
    let backend = async {
        serve_backend(backend, work, async {
            let _ = backend_shutdown.await;
        })
        .await
        .map_err(io::Error::other)
    };
    tokio::try_join!(front, backend).map(|_| ())
}

/// A client of the backend at `addr`, connected before the first call.
///
/// A call's `grpc-timeout` is the time left when the request is made. On a channel that
/// connects inside the first call, the backend would get that much from the moment the
/// connection is up, and so outlive the front by the time it took to connect.
pub async fn connect(addr: SocketAddr) -> Result<Client, tonic::transport::Error> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))?;
    Ok(Client::new(common::channel::guard(
        endpoint.connect().await?,
    )))
}

/// The client: adds order 101 through the front with `budget` and prints the outcome (the
/// deadline sample's words) and how long it took.
pub async fn book_flow(client: &mut Client, budget: Duration, mut print: impl FnMut(String)) {
    print(format!(
        "addOrder through the front, with a budget of {} ms",
        budget.as_millis()
    ));
    let started = Instant::now();
    crate::deadlines::book_flow(client, budget, &mut print).await;
    print(format!("after {} ms", started.elapsed().as_millis()));
}

/// One hop's server with a log of each call's budget: what the caller gave (its
/// `grpc-timeout`), then how the call ended and after how long.
#[derive(Debug, Clone)]
pub struct BudgetLog<S> {
    hop: &'static str,
    inner: S,
}

impl<S> Service<http::Request<Body>> for BudgetLog<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let call = Call::arrived(self.hop, request.headers());
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            call.answered(response.headers());
            Ok(response)
        })
    }
}

/// One call at one hop. Dropped before it was answered, it logs that: tonic dropped the call
/// because its budget ran out, or because the caller went away.
struct Call {
    hop: &'static str,
    arrived: Instant,
    deadline: Option<Deadline>,
    answered: bool,
}

impl Call {
    fn arrived(hop: &'static str, headers: &http::HeaderMap) -> Self {
        let deadline = Deadline::of_call(&MetadataMap::from_headers(headers.clone()));
        match deadline {
            Some(deadline) => {
                tracing::info!("{hop}: caller gave {} ms", deadline.remaining().as_millis())
            }
            None => tracing::info!("{hop}: caller gave no deadline"),
        }
        Self {
            hop,
            arrived: Instant::now(),
            deadline,
            answered: false,
        }
    }

    /// A response's headers carry `grpc-status` when the call failed before any message
    /// (Trailers-Only); otherwise the status comes in the trailers, and from a unary handler
    /// that answered, it is `OK`.
    fn answered(mut self, headers: &http::HeaderMap) {
        self.answered = true;
        let code = headers
            .get("grpc-status")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<i32>().ok())
            .map_or(Code::Ok, Code::from_i32);
        let spent = if code == Code::DeadlineExceeded {
            ": budget spent"
        } else {
            ""
        };
        tracing::info!(
            "{}: answered {code:?} after {} ms{spent}",
            self.hop,
            self.arrived.elapsed().as_millis()
        );
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if self.answered {
            return;
        }
        let left = self.deadline.map_or_else(
            || "no deadline".to_owned(),
            |deadline| format!("{} ms of its budget left", deadline.remaining().as_millis()),
        );
        tracing::info!(
            "{}: dropped unanswered after {} ms, {left}",
            self.hop,
            self.arrived.elapsed().as_millis()
        );
    }
}
