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
//! * [`openapi`] describes the same routes at `/openapi.json`.

pub mod codec;
pub mod errors;
pub mod openapi;
pub mod routes;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::response::IntoResponse;
use axum::routing::{MethodFilter, get, on};
use bytes::Bytes;
use http::uri::PathAndQuery;
use prost_reflect::{DescriptorPool, DynamicMessage};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tonic::Status;
use tonic::transport::Channel;

use codec::DynamicCodec;
use errors::GatewayError;
use routes::HttpRoute;

/// The book's gateway port.
pub const GATEWAY_PORT: u16 = 8081;

/// The service the gateway fronts.
pub const SERVICE: &str = "ecommerce.ProductInfo";

/// The largest request body the gateway reads, the gRPC server's own message limit.
const MAX_BODY: usize = ch02_productinfo::MAX_MESSAGE_SIZE;

/// The annotated routes of ProductInfo, from the workspace's descriptor set.
pub fn product_info_routes() -> Vec<HttpRoute> {
    // The set is compiled into the binary and decoded by every test run.
    let pool = DescriptorPool::decode(book_proto::FILE_DESCRIPTOR_SET)
        .expect("the embedded descriptor set decodes");
    routes::routes(&pool, SERVICE)
}

/// The gateway's HTTP routes, calling the gRPC server on `backend`.
pub fn router(backend: Channel) -> Router {
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
                    match transcode(&route, backend, request).await {
                        Ok(json) => ([(http::header::CONTENT_TYPE, "application/json")], json)
                            .into_response(),
                        Err(status) => GatewayError(status).into_response(),
                    }
                }
            }),
        );
    }
    router
}

/// Serves the gateway on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    backend: Channel,
) -> std::io::Result<()> {
    axum::serve(listener, router(backend))
        .with_graceful_shutdown(shutdown)
        .await
}

/// One HTTP request through one gRPC call: JSON in, JSON out.
async fn transcode(
    route: &HttpRoute,
    backend: Channel,
    request: Request,
) -> Result<String, Status> {
    let (mut parts, body) = request.into_parts();
    // A route without variables has no path parameters at all, which axum reports as missing.
    let path_values: Vec<(String, String)> = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .map(|params| {
            params
                .iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|error| Status::invalid_argument(format!("cannot read the body: {error}")))?;

    let json = request_json(route, &body, path_values)?;
    let message = DynamicMessage::deserialize(route.method.input(), json)
        .map_err(|error| Status::invalid_argument(format!("invalid request: {error}")))?;

    let mut grpc = tonic::client::Grpc::new(backend);
    grpc.ready()
        .await
        .map_err(|error| Status::unavailable(format!("backend not ready: {error}")))?;
    let path = PathAndQuery::from_maybe_shared(route.grpc_path())
        .map_err(|error| Status::internal(format!("bad method path: {error}")))?;
    let answer = grpc
        .unary(
            tonic::Request::new(message),
            path,
            DynamicCodec::new(route.method.output()),
        )
        .await?
        .into_inner();

    let mut json = Vec::new();
    answer
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut json,
            WholeNumbers,
        ))
        .map_err(|error| Status::internal(format!("cannot write the answer as JSON: {error}")))?;
    String::from_utf8(json).map_err(|error| Status::internal(error.to_string()))
}

/// The request message as JSON: the body where the rule puts it, and each path variable in
/// the field it names.
fn request_json(
    route: &HttpRoute,
    body: &Bytes,
    path_values: Vec<(String, String)>,
) -> Result<Value, Status> {
    let parsed = || {
        serde_json::from_slice::<Value>(body)
            .map_err(|error| Status::invalid_argument(format!("invalid JSON body: {error}")))
    };
    let mut fields = match route.body.as_str() {
        "" => Map::new(),
        "*" => match parsed()? {
            Value::Object(fields) => fields,
            _ => return Err(Status::invalid_argument("the body must be a JSON object")),
        },
        field => Map::from_iter([(field.to_owned(), parsed()?)]),
    };
    for (name, value) in path_values {
        fields.insert(name, Value::String(value));
    }
    Ok(Value::Object(fields))
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
