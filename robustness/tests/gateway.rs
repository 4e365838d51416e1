//! Chapter 8's REST gateway, `ch08-gateway`, sent every kind of bad request over raw HTTP/1.1.
//!
//! A JSON client reads an error as JSON: whatever went wrong, the gateway must answer with
//! grpc-gateway's error body, `{"code": <gRPC code>, "message": "...", "details": []}`, under
//! `content-type: application/json` and an HTTP status that says what kind of failure it was
//! (400, 404, 405, 413, 503), never 200, never axum's plain-text or empty rejections, and it
//! must go on serving. Each case runs against the binaries a reader runs, `ch08-server` behind
//! `ch08-gateway`.

use robustness::http1::{self, Answer};
use robustness::servers::binary;
use serde_json::Value;
use test_support::process::ServerProcess;

/// The gateway's body limit, the gRPC server's message limit (`ch08_ecosystem::gateway::MAX_BODY`).
const MAX_BODY: usize = common::server::MAX_MESSAGE_SIZE;

/// One bad request and the answer it is owed.
struct Case {
    name: &'static str,
    request: Vec<u8>,
    http: u16,
    grpc: i64,
}

/// `method path` with a JSON `body` and its `Content-Length`.
fn json(method: &str, path: &[u8], body: &[u8]) -> Vec<u8> {
    let mut request = http1::head(method, path, Some(body.len()), &[]);
    request.extend_from_slice(body);
    request
}

/// A request body of `size` bytes that is valid JSON for `addProduct`.
fn product_of_size(size: usize) -> Vec<u8> {
    let mut body = br#"{"name": ""#.to_vec();
    body.resize(size - 2, b'a');
    body.extend_from_slice(br#""}"#);
    body
}

fn cases() -> Vec<Case> {
    let too_large = product_of_size(10 * 1024 * 1024);
    let mut chunked = http1::head(
        "POST",
        b"/v1/product",
        None,
        &["transfer-encoding: chunked"],
    );
    chunked.extend_from_slice(&http1::chunked(&too_large));
    vec![
        Case {
            name: "JSON that does not parse",
            request: json("POST", b"/v1/product", br#"{"name": "#),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "a number for a string field",
            request: json("POST", b"/v1/product", br#"{"name": 5}"#),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "a string for a float field",
            request: json("POST", b"/v1/product", br#"{"price": "cheap"}"#),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "an array, not an object",
            request: json("POST", b"/v1/product", b"[1, 2]"),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "an unknown field",
            request: json("POST", b"/v1/product", br#"{"colour": "red"}"#),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "invalid UTF-8 in the body",
            request: json("POST", b"/v1/product", b"{\"name\": \"\xff\xfe\"}"),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "invalid UTF-8 in the path, percent-encoded",
            request: json("GET", b"/v1/product/%FF%FE", b""),
            http: 400,
            grpc: 3,
        },
        Case {
            name: "an unknown route",
            request: json("GET", b"/v2/nothing/here", b""),
            http: 404,
            grpc: 5,
        },
        Case {
            name: "a method the route does not serve",
            request: json("DELETE", b"/v1/product", b""),
            http: 405,
            grpc: 12,
        },
        Case {
            name: "a 10 MiB body with its Content-Length",
            request: json("POST", b"/v1/product", &too_large),
            http: 413,
            grpc: 8,
        },
        Case {
            name: "a 10 MiB body, chunked",
            request: chunked,
            http: 413,
            grpc: 8,
        },
    ]
}

/// The answer is the gateway's JSON error: the status, the content type, a code and a message.
fn assert_json_error(case: &str, answer: &Answer, http: u16, grpc: i64) {
    assert_eq!(answer.status, http, "{case}: {answer:?}");
    assert_eq!(
        answer.header("content-type"),
        Some("application/json"),
        "{case}: {answer:?}"
    );
    let body: Value = serde_json::from_slice(&answer.body)
        .unwrap_or_else(|error| panic!("{case}: the body is not JSON ({error}): {answer:?}"));
    assert_eq!(body["code"], grpc, "{case}: {body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "{case}: no message: {body}"
    );
    assert_eq!(body["details"], serde_json::json!([]), "{case}: {body}");
}

/// `ch08-server`, logging only what the start needs: a call's line would hold a 4 MiB name.
async fn backend() -> ServerProcess {
    ServerProcess::spawn_with_env(
        &binary("ch08-server"),
        std::iter::empty::<&str>(),
        [("RUST_LOG", "warn,common=info")],
    )
    .await
}

/// The book's two `curl` commands still work: the gateway is serving.
async fn still_serves(gateway: &ServerProcess) {
    http1::book_curls(gateway.addr()).await;
}

#[tokio::test]
async fn every_bad_request_gets_a_json_error_with_its_http_status() {
    let server = backend().await;
    let gateway = ServerProcess::spawn(&binary("ch08-gateway"), ["--backend", server.addr()]).await;

    for case in cases() {
        let answer = http1::send(gateway.addr(), case.request).await;
        println!("{}: {} {}", case.name, answer.status, answer.text());
        assert_json_error(case.name, &answer, case.http, case.grpc);
    }
    // The limit is the limit: a body just under it is a call, not a 413.
    let (code, body) = http1::call(
        gateway.addr(),
        "POST",
        "/v1/product",
        std::str::from_utf8(&product_of_size(MAX_BODY - 1024)).expect("ASCII"),
    )
    .await;
    assert_eq!(code, 200, "a body under the limit: {body}");

    still_serves(&gateway).await;
    assert!(gateway.terminate().await.success(), "the gateway's exit");
    assert!(server.terminate().await.success(), "the server's exit");
}

#[tokio::test]
async fn a_backend_that_is_down_is_a_json_503() {
    // A port that was free a moment ago and that nothing listens on now.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .to_string();
    let gateway = ServerProcess::spawn(&binary("ch08-gateway"), ["--backend", &closed]).await;

    for (method, path, body) in [
        ("GET", "/v1/product/some-id", ""),
        ("POST", "/v1/product", r#"{"name": "Apple"}"#),
    ] {
        let answer = http1::send(
            gateway.addr(),
            json(method, path.as_bytes(), body.as_bytes()),
        )
        .await;
        println!(
            "backend down, {method} {path}: {} {}",
            answer.status,
            answer.text()
        );
        assert_json_error("backend down", &answer, 503, 14);
    }
    // Requests that never reach the backend are answered as before.
    let answer = http1::send(gateway.addr(), json("GET", b"/nowhere", b"")).await;
    assert_json_error("backend down, unknown route", &answer, 404, 5);
    assert!(gateway.terminate().await.success(), "the gateway's exit");
}

/// The one bad request the gateway never sees: a request line whose bytes are not a URI.
///
/// A request target is ASCII (RFC 9112 §3.2, RFC 3986); hyper parses the request line before
/// any of the gateway's code runs, answers a target that is not valid UTF-8 with a bare
/// `400 Bad Request` (no body, no content type) and closes the connection. hyper has no hook for
/// that answer, so it cannot be JSON; what matters is that it is a 400 and the gateway carries
/// on. A target that is valid UTF-8 but not ASCII does reach the gateway and is answered in JSON.
#[tokio::test]
async fn a_request_line_that_is_not_utf8_is_a_bare_400_from_hyper() {
    let server = backend().await;
    let gateway = ServerProcess::spawn(&binary("ch08-gateway"), ["--backend", server.addr()]).await;

    let answer = http1::send(gateway.addr(), json("GET", b"/v1/product/\xff\xfe", b"")).await;
    println!(
        "raw invalid UTF-8 in the path: {} {:?}",
        answer.status,
        answer.text()
    );
    assert_eq!(answer.status, 400, "{answer:?}");
    assert!(answer.body.is_empty(), "{answer:?}");

    let answer = http1::send(gateway.addr(), json("GET", "/v1/product/é".as_bytes(), b"")).await;
    assert_json_error("raw UTF-8 in the path", &answer, 404, 5);

    still_serves(&gateway).await;
    assert!(gateway.terminate().await.success(), "the gateway's exit");
    assert!(server.terminate().await.success(), "the server's exit");
}
