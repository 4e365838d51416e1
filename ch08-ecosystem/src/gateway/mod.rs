//! The REST gateway (「gRPC 게이트웨이」): HTTP/JSON in front of a gRPC server.
//!
//! The book runs grpc-gateway, a reverse proxy generated from the `google.api.http` options of
//! `product_info.proto`: `POST /v1/product` turns a JSON body into an `addProduct` call,
//! `GET /v1/product/{value}` a path segment into a `getProduct` call. This gateway does the
//! same at runtime, on axum (the HTTP framework tonic itself is built on):
//!
//! * [`routes`] reads the HTTP rules out of the descriptor set at startup;
//! * each request's JSON is read into the method's request message with the proto3 JSON
//!   mapping (prost-reflect's `serde` support), path variables filling the fields they name;
//! * [`codec`] sends it as an ordinary gRPC call and reads the answer back by descriptor;
//! * the answer goes back as proto3 JSON, a failed call as [`errors`] maps it (NOT_FOUND is
//!   404, INVALID_ARGUMENT 400, ...), and JSON that does not parse is a 400, never a crash;
//! * a request that cannot become a call gets the same JSON error, with HTTP's own status:
//!   404 for a path no rule serves, 405 for a method it does not, 413 for a body over
//!   [`MAX_BODY`], 400 for a path variable that is not UTF-8 (axum's own answers to these are
//!   plain text or empty, which a JSON client cannot parse);
//! * [`openapi`] describes the same routes at `/openapi.json`;
//! * [`serve`] gives each client [`Timeouts`]: a connection whose request head does not
//!   arrive in time is closed, a request whose body does not is 408, and a call the backend
//!   does not answer in time is 504 (axum's own `serve` has no such limits, so one client
//!   sending half a request head could hold a connection, and a task, for as long as it
//!   liked).

pub mod codec;
pub mod errors;
pub mod openapi;
pub mod routes;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, RawPathParams, Request};
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, get, on};
use bytes::Bytes;
use common::channel::Channel;
use futures::StreamExt;
use http::uri::PathAndQuery;
use http::{Method, StatusCode, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use prost_reflect::{DescriptorPool, DynamicMessage};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::time::Instant;
use tonic::Status;

use codec::DynamicCodec;
use errors::GatewayError;
use routes::HttpRoute;

/// The book's gateway port.
pub const GATEWAY_PORT: u16 = 8081;

/// The service the gateway fronts.
pub const SERVICE: &str = "ecommerce.ProductInfo";

/// The largest request body the gateway reads: 4 MiB, the limit the gRPC server behind it
/// puts on one message (`common::server::MAX_MESSAGE_SIZE`).
///
/// The body becomes the call's one request message, so the gateway takes no more from an HTTP
/// client than the server would take from a gRPC one, and holds at most this much in memory per
/// request. axum's own default is 2 MiB, a number that means nothing here; the gateway sets
/// its limit with `DefaultBodyLimit`, and refuses a body announced (`Content-Length`) over it
/// before reading any of it. Either way the answer is 413.
pub const MAX_BODY: usize = common::server::MAX_MESSAGE_SIZE;

/// How long the gateway waits for a client's request and for the backend's answer.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// From the connection's start (or the previous answer) to the end of a request's head:
    /// the request line and the headers. Past it the connection is closed.
    pub header_read: Duration,
    /// From the end of the head to the answer: the body, the gRPC call and the reply.
    pub request: Duration,
}

impl Default for Timeouts {
    /// 10 s for a head and 30 s for the rest: far more than a client on any network needs,
    /// and short enough that idle attackers cannot pile up.
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// The annotated routes of ProductInfo, from chapter 8's descriptor set.
pub fn product_info_routes() -> Vec<HttpRoute> {
    // The set is compiled into the binary and decoded by every test run.
    let pool = DescriptorPool::decode(book_proto::ch08::FILE_DESCRIPTOR_SET)
        .expect("the embedded descriptor set decodes");
    routes::routes(&pool, SERVICE)
}

/// The gateway's HTTP routes, calling the gRPC server on `backend`, each request given
/// `request_timeout` to arrive and be answered.
pub fn router(backend: Channel, request_timeout: Duration) -> Router {
    let routes = product_info_routes();
    let document = Arc::new(openapi::document(&routes).to_string());
    let mut router = Router::new().route(
        "/openapi.json",
        get(move || async move {
            (
                [(http::header::CONTENT_TYPE, "application/json")],
                document.as_str().to_owned(),
            )
        }),
    );
    for route in routes {
        tracing::info!("{} {} -> {}", route.verb, route.template, route.grpc_path());
        let filter = MethodFilter::try_from(route.verb.clone())
            .expect("only get/put/post/delete/patch rules become routes");
        let template = route.template.clone();
        let route = Arc::new(route);
        let backend = backend.clone();
        router = router.route(
            &template,
            on(filter, move |request: Request| {
                let route = route.clone();
                let backend = backend.clone();
                async move {
                    let deadline = Instant::now() + request_timeout;
                    match transcode(&route, backend, request, deadline).await {
                        Ok(json) => ([(http::header::CONTENT_TYPE, "application/json")], json)
                            .into_response(),
                        Err(error) => error.into_response(),
                    }
                }
            }),
        );
    }
    // After the routes: the 405 answer is set on the routes that exist when it is called.
    router
        .method_not_allowed_fallback(wrong_method)
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// A path no rule serves: 404 with NOT_FOUND, as grpc-gateway answers it.
async fn no_route(uri: Uri) -> GatewayError {
    GatewayError::Http(
        StatusCode::NOT_FOUND,
        Status::not_found(format!("no route for {}", uri.path())),
    )
}

/// A path some rule serves, with a method none does: 405 (axum adds the `Allow` header) with
/// UNIMPLEMENTED, the code grpc-gateway gives it. grpc-gateway's default handler sends 501 for
/// that code; HTTP's answer for a known path and a wrong method is 405.
async fn wrong_method(method: Method, uri: Uri) -> GatewayError {
    GatewayError::Http(
        StatusCode::METHOD_NOT_ALLOWED,
        Status::unimplemented(format!("{method} is not served on {}", uri.path())),
    )
}

/// Serves the gateway on `listener` until `shutdown` completes, with the default
/// [`Timeouts`].
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    backend: Channel,
) -> std::io::Result<()> {
    serve_with(listener, shutdown, backend, Timeouts::default()).await
}

/// Serves the gateway on `listener` until `shutdown` completes; then lets the requests in
/// flight finish.
///
/// hyper serves each connection (HTTP/1.1, as grpc-gateway does), with a timer for the
/// head's timeout; connections come from `common::server::incoming`, which backs off when
/// the process runs out of file descriptors.
pub async fn serve_with(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    backend: Channel,
    timeouts: Timeouts,
) -> std::io::Result<()> {
    let app = router(backend, timeouts.request);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    let graceful = GracefulShutdown::new();
    let mut incoming = pin!(common::server::incoming(listener));
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            Some(Ok(stream)) = incoming.next() => stream,
            () = &mut shutdown => break,
        };
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "HTTP connection ended");
            }
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// One HTTP request through one gRPC call: JSON in, JSON out.
///
/// The body must arrive before `deadline` (408 otherwise), and the backend must answer by
/// then too: the call carries the time left as its `grpc-timeout`, and the gateway stops
/// waiting when it runs out (504, as grpc-gateway maps DEADLINE_EXCEEDED).
async fn transcode(
    route: &HttpRoute,
    backend: Channel,
    request: Request,
    deadline: Instant,
) -> Result<String, GatewayError> {
    let (mut parts, body) = request.into_parts();
    let path_values = path_values(&mut parts).await?;
    let announced = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(GatewayError::too_large(MAX_BODY));
    }
    // `Bytes` reads the body up to the `DefaultBodyLimit` the router sets.
    let body = tokio::time::timeout_at(
        deadline,
        Bytes::from_request(Request::from_parts(parts, body), &()),
    )
    .await
    .map_err(|_| {
        GatewayError::Http(
            StatusCode::REQUEST_TIMEOUT,
            Status::deadline_exceeded("the request body did not arrive in time"),
        )
    })??;

    let message = request_message(route, &body, path_values)?;

    let mut grpc = tonic::client::Grpc::new(backend);
    grpc.ready()
        .await
        .map_err(|error| Status::unavailable(format!("backend not ready: {error}")))?;
    let path = PathAndQuery::from_maybe_shared(route.grpc_path())
        .map_err(|error| Status::internal(format!("bad method path: {error}")))?;
    let mut call = tonic::Request::new(message);
    call.set_timeout(deadline.saturating_duration_since(Instant::now()));
    let answer = tokio::time::timeout_at(
        deadline,
        grpc.unary(call, path, DynamicCodec::new(route.method.output())),
    )
    .await
    .map_err(|_| Status::deadline_exceeded("the backend did not answer in time"))??
    .into_inner();

    let mut json = Vec::new();
    answer
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut json,
            WholeNumbers,
        ))
        .map_err(|error| Status::internal(format!("cannot write the answer as JSON: {error}")))?;
    Ok(String::from_utf8(json).map_err(|error| Status::internal(error.to_string()))?)
}

/// The path variables of the request, percent-decoded: `{value}` in `/v1/product/{value}`.
async fn path_values(
    parts: &mut http::request::Parts,
) -> Result<Vec<(String, String)>, GatewayError> {
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(params) => Ok(params
            .iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()),
        // A route without variables has no path parameters at all, which axum reports as missing.
        Err(RawPathParamsRejection::MissingPathParams(_)) => Ok(Vec::new()),
        // `%FF`: a variable that does not decode to UTF-8 cannot fill a string field.
        Err(rejection) => Err(GatewayError::Http(
            rejection.status(),
            Status::invalid_argument(rejection.body_text()),
        )),
    }
}

/// The request message: the body where the rule puts it (proto3 JSON), then each path
/// variable in the string field it names.
///
/// Path variables are set on the message rather than written into its JSON, because the JSON
/// of some messages is not an object: chapter 8's `getProduct` takes a
/// `google.protobuf.StringValue`, whose JSON is a bare string, and `/v1/product/{value}`
/// fills its `value` field.
fn request_message(
    route: &HttpRoute,
    body: &Bytes,
    path_values: Vec<(String, String)>,
) -> Result<DynamicMessage, Status> {
    let input = route.method.input();
    let parsed = || {
        serde_json::from_slice::<Value>(body)
            .map_err(|error| Status::invalid_argument(format!("invalid JSON body: {error}")))
    };
    let json = match route.body.as_str() {
        "" => None,
        "*" => match parsed()? {
            object @ Value::Object(_) => Some(object),
            _ => return Err(Status::invalid_argument("the body must be a JSON object")),
        },
        field => Some(Value::Object(Map::from_iter([(
            field.to_owned(),
            parsed()?,
        )]))),
    };
    let mut message = match json {
        None => DynamicMessage::new(input),
        Some(json) => DynamicMessage::deserialize(input, json)
            .map_err(|error| Status::invalid_argument(format!("invalid request: {error}")))?,
    };
    for (name, value) in path_values {
        message
            .try_set_field_by_name(&name, prost_reflect::Value::String(value))
            .map_err(|error| Status::invalid_argument(format!("path variable {name}: {error}")))?;
    }
    Ok(message)
}

/// Writes whole floats without a fraction: Go's protojson writes a float 699 as `699`,
/// serde as `699.0`. Both are the same number to a JSON reader, but the book shows `699`.
struct WholeNumbers;

/// Whole numbers below 2^53 convert to an integer and back exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl serde_json::ser::Formatter for WholeNumbers {
    fn write_f32<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        value: f32,
    ) -> std::io::Result<()> {
        if value.fract() == 0.0 && f64::from(value).abs() < EXACT {
            write!(w, "{}", value as i64)
        } else {
            serde_json::ser::CompactFormatter.write_f32(w, value)
        }
    }

    fn write_f64<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        value: f64,
    ) -> std::io::Result<()> {
        if value.fract() == 0.0 && value.abs() < EXACT {
            write!(w, "{}", value as i64)
        } else {
            serde_json::ser::CompactFormatter.write_f64(w, value)
        }
    }
}
