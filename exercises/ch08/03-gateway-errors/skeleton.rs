//! Exercise ch08/03 · 게이트웨이의 오류 응답 (Gateway errors as HTTP). The task is in `README.md`
//! beside this file; the checks are `tests/ch08_gateway_errors.rs`.
//!
//! A JSON gateway in front of chapter 2's ProductInfo: [`router`] answers
//! `GET /v1/product/{id}` by calling `getProduct`, and a call that fails becomes
//! [`error_response`]: an HTTP status from [`http_status`] and grpc-gateway's JSON body from
//! [`error_body`]. Two pieces are unfinished: every failure is a 500, and the body is
//! formatted by hand with the message pasted in, which breaks the JSON as soon as the message
//! holds a quotation mark.

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
    // EXERCISE: every code is a 500 here. Map each one as grpc-gateway does (NOT_FOUND is
    // 404, INVALID_ARGUMENT 400, ...): the table is in the README.
    let _ = code;
    StatusCode::INTERNAL_SERVER_ERROR
}

/// grpc-gateway's error body: `{"code": 5, "message": "...", "details": []}`, with the gRPC
/// code as its number. (`details` would carry the status's rich error details; this gateway
/// passes none.)
pub fn error_body(status: &Status) -> String {
    // EXERCISE: the message is pasted into the text as it is, so a quotation mark, a
    // backslash or a line break in it breaks the JSON. Build the body with serde_json.
    format!(
        "{{\"code\": {}, \"message\": \"{}\", \"details\": []}}",
        status.code() as i32,
        status.message()
    )
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
