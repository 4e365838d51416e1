//! Checks for exercise ch08/03, 게이트웨이의 오류 응답 (Gateway errors as HTTP).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch08_gateway_errors -- --include-ignored`.
//!
//! The first checks call the student's functions directly; the last two send HTTP requests
//! to the student's gateway, which calls chapter 2's ProductInfo over gRPC. Bodies are read
//! with serde_json, which follows RFC 8259 strictly, so a body that only looks like JSON fails.

use std::future::poll_fn;

use axum::body::Body;
use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use ch02_productinfo::ProductInfoService;
use exercises::ch08::gateway_errors::{error_body, http_status, router};
use exercises::expect::{Sent, sent};
use exercises::harness::{self, LocalServer};
use http::StatusCode;
use serde_json::Value;
use tonic::{Code, Status};
use tower::Service;

/// grpc-gateway's `HTTPStatusFromCode`, code by code.
const GRPC_GATEWAY_TABLE: [(Code, u16); 17] = [
    (Code::Ok, 200),
    (Code::Cancelled, 499),
    (Code::Unknown, 500),
    (Code::InvalidArgument, 400),
    (Code::DeadlineExceeded, 504),
    (Code::NotFound, 404),
    (Code::AlreadyExists, 409),
    (Code::PermissionDenied, 403),
    (Code::ResourceExhausted, 429),
    (Code::FailedPrecondition, 400),
    (Code::Aborted, 409),
    (Code::OutOfRange, 400),
    (Code::Unimplemented, 501),
    (Code::Internal, 500),
    (Code::Unavailable, 503),
    (Code::DataLoss, 500),
    (Code::Unauthenticated, 401),
];

/// Checks that `body` is grpc-gateway's error body for `status`:
/// `{"code": <number>, "message": "<the message>", "details": []}`.
#[track_caller]
fn expect_error_body(call: &Sent, body: &str, status: &Status) {
    let json = match serde_json::from_str::<Value>(body) {
        Ok(json) => json,
        Err(why) => call.fail(
            "a body that is valid JSON",
            format!("{body}\n           ({why})"),
        ),
    };
    let expected = format!(
        "{{\"code\": {}, \"message\": {:?}, \"details\": []}} as JSON",
        status.code() as i32,
        status.message()
    );
    let right = json.get("code").and_then(Value::as_f64) == Some(f64::from(status.code() as i32))
        && json.get("message").and_then(Value::as_str) == Some(status.message())
        && json.get("details") == Some(&Value::Array(Vec::new()));
    if !right {
        call.fail(expected, format!("{body}\n           (read as {json})"));
    }
}

/// Chapter 2's ProductInfo on a loopback port, and a gateway in front of it.
async fn start() -> (LocalServer<tonic::transport::Error>, axum::Router) {
    let server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        ProductInfoService::default(),
    )))
    .await
    .expect("bind a loopback port");
    let gateway = router(ProductInfoClient::new(server.channel()));
    (server, gateway)
}

/// Sends `GET path` to `gateway`; answers the status, the content type and the body.
async fn get(gateway: &mut axum::Router, path: &str) -> (StatusCode, Option<String>, String) {
    poll_fn(|cx| Service::<http::Request<Body>>::poll_ready(gateway, cx))
        .await
        .expect("a router is always ready");
    let request = http::Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("a valid request");
    let Ok(response) = gateway.call(request).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body arrives");
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn every_code_maps_to_grpc_gateways_http_status() {
    for (code, expected) in GRPC_GATEWAY_TABLE {
        let call = sent(format!("http_status({})", wire::status::spec_name(code)));
        call.expect_eq(http_status(code).as_u16(), expected);
    }
}

#[test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
fn the_error_body_is_json_with_the_message_intact() {
    let statuses = [
        Status::not_found("Product does not exist: 7"),
        Status::invalid_argument("the name \"\" is empty"),
        Status::not_found("상품이 없습니다: 7"),
        Status::internal("line one\nline two\r\n\ttabbed"),
        Status::unavailable("C:\\shop\\down"),
        Status::unknown("a bell \u{7} and an escape \u{1b}"),
    ];
    for status in &statuses {
        let call = sent(format!(
            "error_body of {} with the message {:?}",
            wire::status::spec_name(status.code()),
            status.message()
        ));
        expect_error_body(&call, &error_body(status), status);
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_product_is_a_404_with_the_json_body() {
    let (server, mut gateway) = start().await;
    let call =
        sent("GET /v1/product/no-such-id to the gateway in front of chapter 2's ProductInfo");

    let (status, content_type, body) = get(&mut gateway, "/v1/product/no-such-id").await;
    if status != StatusCode::NOT_FOUND {
        call.fail(
            "HTTP 404 Not Found: getProduct said NOT_FOUND",
            format!("HTTP {status}, the body {body}"),
        );
    }
    call.expect_eq(content_type.as_deref(), Some("application/json"));
    expect_error_body(
        &call,
        &body,
        &Status::not_found("Product does not exist: no-such-id"),
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_product_comes_back_as_json() {
    let (server, mut gateway) = start().await;
    let name = "Galaxy \"S10\" 갤럭시";
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent(format!(
        "addProduct with the name {name:?} over gRPC, then GET /v1/product/<its id> to the gateway"
    ));
    let id = call
        .expect_ok(
            client
                .add_product(Product {
                    name: name.into(),
                    price: 699.0,
                    ..Product::default()
                })
                .await,
        )
        .into_inner()
        .value;

    let (status, _, body) = get(&mut gateway, &format!("/v1/product/{id}")).await;
    if status != StatusCode::OK {
        call.fail("HTTP 200 OK", format!("HTTP {status}, the body {body}"));
    }
    let json = serde_json::from_str::<Value>(&body);
    let read_name = json
        .as_ref()
        .ok()
        .and_then(|json| json.get("name"))
        .and_then(Value::as_str);
    if read_name != Some(name) {
        call.fail(
            format!("a JSON product whose \"name\" is {name:?}"),
            format!("{body}\n           (read as {json:?})"),
        );
    }
    server.stop().await.expect("the server stops");
}
