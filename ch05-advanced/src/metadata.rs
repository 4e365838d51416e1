//! Metadata (book section "메타데이터"): headers and trailers next to the messages.
//!
//! The book's Go client sends `timestamp`, `kn`, a two-valued `k1` and `k2` with its calls; the
//! server reads them, answers `addOrder` with header metadata (`location: San Jose` and a
//! `timestamp`), and answers `searchOrders` with a header (`location: MTV`, `timestamp`) and,
//! at the end of the stream, a `timestamp` trailer.
//!
//! In tonic, request metadata is `Request::metadata_mut()` (`append` for a second value of the
//! same key) and response headers are `Response::metadata_mut()`. Trailers are the catch: on
//! success tonic's server sends only `grpc-status: 0`. A handler that wants trailers puts a
//! [`Trailers`] value in its response's extensions, and [`TrailersLayer`], wrapped around the
//! server, adds them to the trailers frame when the call ends. The client reads them with
//! `Streaming::trailers()` once the stream is done.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use bytes::Bytes;
use ch03_patterns::client::{Client, book_updates, order_101};
use ch03_patterns::service::{self, Reply, ResponseStream};
use ch03_patterns::text::OrderText;
use ch03_patterns::{OrderManagementService, OrderStore};
use futures::TryFutureExt;
use futures::future::MapOk;
use http_body::Frame;
use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::metadata::{AsciiMetadataValue, MetadataMap};
use tonic::{Request, Status};
use tower::Service;

/// Now, in Go's `time.StampNano` layout (`Nov 23 21:45:14.067141000`), as the book sends it.
pub fn timestamp() -> AsciiMetadataValue {
    let now = chrono::Local::now()
        .format("%b %e %H:%M:%S%.9f")
        .to_string();
    AsciiMetadataValue::try_from(now).unwrap_or_else(|_| AsciiMetadataValue::from_static(""))
}

/// The custom metadata keys the book's client sends.
pub const CLIENT_KEYS: [&str; 4] = ["timestamp", "kn", "k1", "k2"];

/// Adds the book's client metadata: `timestamp`, `kn: vn`, then (Go's
/// `AppendToOutgoingContext`) `k1: v1`, `k1: v2` and `k2: v3`.
pub fn add_book_metadata(metadata: &mut MetadataMap, with_appended: bool) {
    metadata.insert("timestamp", timestamp());
    metadata.insert("kn", AsciiMetadataValue::from_static("vn"));
    if with_appended {
        metadata.append("k1", AsciiMetadataValue::from_static("v1"));
        metadata.append("k1", AsciiMetadataValue::from_static("v2"));
        metadata.append("k2", AsciiMetadataValue::from_static("v3"));
    }
}

/// The order service of the metadata sample: chapter 3's, over the book's orders, with
/// [`add_order`] and [`search_orders`] in place of its own.
pub fn order_service() -> OrderManagementService {
    OrderManagementService::new(OrderStore::book())
        .with_add_order(add_order)
        .with_search_orders(search_orders)
}

/// `addOrder`: logs the client's metadata, adds the order as chapter 3 does, and answers with
/// `location` and `timestamp` headers.
pub async fn add_order(store: OrderStore, request: Request<Order>) -> Reply<String> {
    log_client_metadata(request.metadata());
    let mut response = service::add_order(store, request).await?;
    let headers = response.metadata_mut();
    headers.insert("location", AsciiMetadataValue::from_static("San Jose"));
    headers.insert("timestamp", timestamp());
    Ok(response)
}

/// `searchOrders`: chapter 3's search, answered with `location` and `timestamp` headers and,
/// at the end, a `timestamp` trailer.
pub async fn search_orders(
    store: OrderStore,
    request: Request<String>,
) -> Reply<ResponseStream<Order>> {
    log_client_metadata(request.metadata());
    let mut response = service::search_orders(store, request).await?;
    let headers = response.metadata_mut();
    headers.insert("location", AsciiMetadataValue::from_static("MTV"));
    headers.insert("timestamp", timestamp());
    response.extensions_mut().insert(Trailers::new(|| {
        let mut trailers = MetadataMap::new();
        trailers.insert("timestamp", timestamp());
        trailers
    }));
    Ok(response)
}

fn log_client_metadata(metadata: &MetadataMap) {
    for key in CLIENT_KEYS {
        let values: Vec<&str> = metadata
            .get_all(key)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        if !values.is_empty() {
            tracing::info!("{key} from metadata:");
            for (n, value) in values.iter().enumerate() {
                tracing::info!("====> Metadata {n}. {value}");
            }
        }
    }
}

/// Serves the metadata sample's order service, with [`TrailersLayer`] around it.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .layer(tower::layer::layer_fn(TrailersLayer))
        .add_service(OrderManagementServer::new(order_service()))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// Trailers a handler wants sent when its call ends, made when the trailers go out (so a
/// `timestamp` trailer says when the stream ended, like Go's deferred `SetTrailer`).
#[derive(Clone)]
pub struct Trailers(Arc<dyn Fn() -> MetadataMap + Send + Sync>);

impl Trailers {
    /// Trailers made by `make` at the end of the call.
    pub fn new(make: impl Fn() -> MetadataMap + Send + Sync + 'static) -> Self {
        Self(Arc::new(make))
    }
}

/// A server layer: for responses carrying [`Trailers`], adds them to the trailers frame.
#[derive(Debug, Clone)]
pub struct TrailersLayer<S>(pub S);

impl<S> Service<http::Request<Body>> for TrailersLayer<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = MapOk<S::Future, fn(http::Response<Body>) -> http::Response<Body>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        self.0.call(request).map_ok(with_trailers)
    }
}

fn with_trailers(mut response: http::Response<Body>) -> http::Response<Body> {
    match response.extensions_mut().remove::<Trailers>() {
        Some(trailers) => response.map(|body| {
            Body::new(TrailingBody {
                inner: body,
                trailers: Some(trailers),
            })
        }),
        None => response,
    }
}

/// A response body whose trailers frame gets extra entries.
struct TrailingBody {
    inner: Body,
    trailers: Option<Trailers>,
}

impl http_body::Body for TrailingBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let frame = match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            other => return other,
        };
        let frame = match frame.into_trailers() {
            Ok(mut trailers) => {
                if let Some(extra) = self.trailers.take() {
                    trailers.extend(extra.0().into_headers());
                }
                Frame::trailers(trailers)
            }
            Err(data) => data,
        };
        Poll::Ready(Some(Ok(frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The book's client: `addOrder` and `searchOrders` with all of the client metadata,
/// `updateOrders` with `timestamp` and `kn` only; prints the results and the metadata that
/// came back.
pub async fn book_flow(client: &mut Client, mut print: impl FnMut(String)) -> Result<(), Status> {
    let mut request = Request::new(order_101());
    add_book_metadata(request.metadata_mut(), true);
    let response = client.add_order(request).await?;
    print(format!("AddOrder Response -> {}", response.get_ref()));
    print_values(
        &mut print,
        "timestamp from header:",
        response.metadata(),
        "timestamp",
    );
    print_values(
        &mut print,
        "location from header:",
        response.metadata(),
        "location",
    );

    let mut request = Request::new("Google".to_owned());
    add_book_metadata(request.metadata_mut(), true);
    let response = client.search_orders(request).await?;
    let headers = response.metadata().clone();
    let mut orders = response.into_inner();
    while let Some(order) = orders.message().await? {
        print(format!("Search Result : {}", OrderText(&order)));
    }
    print("EOF".to_owned());
    print_values(&mut print, "location from header:", &headers, "location");
    let trailers = orders.trailers().await?.unwrap_or_default();
    print_values(
        &mut print,
        "timestamp from trailer:",
        &trailers,
        "timestamp",
    );

    let mut request = Request::new(tokio_stream::iter(book_updates()));
    add_book_metadata(request.metadata_mut(), false);
    let reply = client.update_orders(request).await?;
    print(format!("Update Orders Res : {}", reply.get_ref()));
    Ok(())
}

/// Prints a heading and each value of `key`, as the Go client does (` 0. San Jose`), or says
/// the key is missing.
fn print_values(print: &mut impl FnMut(String), heading: &str, metadata: &MetadataMap, key: &str) {
    let values: Vec<&str> = metadata
        .get_all(key)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if values.is_empty() {
        print(format!("{key} expected but doesn't exist"));
        return;
    }
    print(heading.to_owned());
    for (n, value) in values.iter().enumerate() {
        print(format!(" {n}. {value}"));
    }
}
