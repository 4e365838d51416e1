//! Exercise ch08/03 · 게이트웨이의 오류 응답 (Gateway errors as HTTP): a reference solution.
//!
//! A JSON gateway turns a failed gRPC call into an HTTP answer a REST client understands:
//! an HTTP status it can branch on, and a body it can parse. Both follow grpc-gateway, the
//! gateway the book runs, so clients written for it work unchanged:
//!
//! * [`http_status`] is grpc-gateway's `HTTPStatusFromCode` (runtime/errors.go), code by
//!   code. Several codes share a status (three are 400, two are 409, three are 500); the
//!   body's `code` tells them apart.
//! * [`error_body`] is grpc-gateway's error shape, `{"code", "message", "details"}`, with the
//!   status's message as a JSON string. The message is text a handler wrote, so it may hold
//!   anything: quotes, Korean, line breaks. serde_json writes the body, so the message is
//!   escaped exactly as JSON requires; nothing here formats JSON by hand.
//!
//! The route itself, [`router`], is the smallest gateway there is: one rule,
//! `GET /v1/product/{id}` to `getProduct`, as `product_info.proto`'s `google.api.http`
//! option says. Chapter 8's `gateway` does the same for every rule, read from descriptors.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use common::channel::Channel;
use http::StatusCode;
use http::header::CONTENT_TYPE;
use serde_json::json;
use tonic::{Code, Status};

/// The HTTP status for a gRPC code, as grpc-gateway's `HTTPStatusFromCode` maps it.
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        // 499 is nginx's "client closed request": the caller went away, so nobody reads this
        // answer, but logs and metrics still tell it apart from a server error. `http` has
        // no constant for it; 499 is in range, so `from_u16` cannot fail.
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        // The request was wrong, whatever the state of the server: the client should not
        // send it again as it is.
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// grpc-gateway's error body: `{"code": 5, "message": "...", "details": []}`, with the gRPC
/// code as its number. (`details` would carry the status's rich error details; this gateway
/// passes none.)
///
/// The message is text a handler wrote, so it may hold anything: quotes, Korean, line
/// breaks, a backslash from a Windows path. Pasted into a `format!` template, a `"` in it
/// ends the JSON string early and the rest of the message becomes broken JSON; a line break
/// is a raw control character, which JSON forbids inside a string. Escaping by hand means
/// knowing every rule of RFC 8259 section 7 and never missing one; Rust's `{:?}` looks
/// close but writes Rust (`\u{1b}`), not JSON (`\u001b`). `json!` takes the message as a
/// Rust `&str` and serde_json writes it as a JSON string, escaped exactly as JSON requires.
pub fn error_body(status: &Status) -> String {
    json!({
        "code": status.code() as i32,
        "message": status.message(),
        "details": [],
    })
    .to_string()
}

/// The HTTP answer to a call that failed with `status`.
pub fn error_response(status: &Status) -> Response {
    json_response(http_status(status.code()), error_body(status))
}

/// A gateway with one route: `GET /v1/product/{id}` calls `getProduct` with `client`.
pub fn router(client: ProductInfoClient<Channel>) -> Router {
    Router::new()
        .route("/v1/product/{id}", get(get_product))
        .with_state(client)
}

async fn get_product(
    State(mut client): State<ProductInfoClient<Channel>>,
    Path(id): Path<String>,
) -> Response {
    match client.get_product(ProductId { value: id }).await {
        Ok(response) => json_response(StatusCode::OK, product_json(&response.into_inner())),
        Err(status) => error_response(&status),
    }
}

/// A product in the proto3 JSON mapping (what grpc-gateway answers): fields by their
/// `json_name`, and a float that is not finite as the string `"NaN"`, `"Infinity"` or
/// `"-Infinity"`, since JSON numbers cannot say those (serde_json would write `null`).
fn product_json(product: &Product) -> String {
    let price = if product.price.is_finite() {
        json!(product.price)
    } else if product.price.is_nan() {
        json!("NaN")
    } else if product.price > 0.0 {
        json!("Infinity")
    } else {
        json!("-Infinity")
    };
    json!({
        "id": product.id,
        "name": product.name,
        "description": product.description,
        "price": price,
    })
    .to_string()
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body).into_response()
}
