//! `ch08-web` without a browser: the page, a CORS preflight, and gRPC-Web calls (unary and
//! server streaming) sent as a browser sends them, over plain HTTP/1.1. The browser itself is
//! `web/run`'s check, with headless Chromium.

use book_proto::ecommerce::{Order, Product, ProductId};
use ch08_ecosystem::web;
use common::local::LocalServer;
use prost::Message;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An HTTP/1.1 response: status code, headers (names lower-cased) and the decoded body.
struct Response {
    code: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    /// The header `name`, which the test expects to be there.
    fn header(&self, name: &str) -> &str {
        self.find_header(name)
            .unwrap_or_else(|| panic!("no {name} header"))
    }

    fn find_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Sends one request with `headers` and `body` on its own connection and reads the response.
async fn send(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    stream.write_all(body).await.expect("send body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");

    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8(raw[..split].to_vec()).expect("UTF-8 headers");
    let mut lines = head.split("\r\n");
    let code = lines
        .next()
        .and_then(|status| status.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        code,
        headers,
        body,
    }
}

/// Undoes HTTP/1.1 chunked transfer encoding.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let end = raw
            .windows(2)
            .position(|window| window == b"\r\n")
            .expect("a chunk size");
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..end]).expect("hex").trim(), 16)
            .expect("a hex chunk size");
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

/// A gRPC-Web request body: one message, with the 5-byte prefix.
fn frame(message: &impl Message) -> Vec<u8> {
    let bytes = message.encode_to_vec();
    let mut body = vec![0];
    body.extend_from_slice(&u32::try_from(bytes.len()).expect("small").to_be_bytes());
    body.extend_from_slice(&bytes);
    body
}

/// A gRPC-Web response body split into its messages and its trailers (the frame flagged 0x80).
fn unframe(mut body: &[u8]) -> (Vec<Vec<u8>>, String) {
    let mut messages = Vec::new();
    let mut trailers = String::new();
    while body.len() >= 5 {
        let length = u32::from_be_bytes(body[1..5].try_into().expect("4 bytes")) as usize;
        let payload = body[5..5 + length].to_vec();
        if body[0] & 0x80 != 0 {
            trailers = String::from_utf8(payload).expect("UTF-8 trailers");
        } else {
            messages.push(payload);
        }
        body = &body[5 + length..];
    }
    (messages, trailers)
}

const GRPC_WEB: [(&str, &str); 2] = [
    ("content-type", "application/grpc-web+proto"),
    ("x-grpc-web", "1"),
];

async fn start() -> LocalServer<tonic::transport::Error> {
    LocalServer::start(|listener, shutdown| web::serve(listener, shutdown.wait()))
        .await
        .expect("ch08-web starts")
}

#[tokio::test]
async fn serves_the_page_and_its_script() {
    let server = start().await;
    let page = send(server.addr(), "GET", "/", &[], b"").await;
    assert_eq!(page.code, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.body, web::INDEX_HTML.as_bytes());

    let script = send(server.addr(), "GET", "/bundle.js", &[], b"").await;
    assert_eq!(script.code, 200);
    assert!(script.header("content-type").starts_with("text/javascript"));
    assert_eq!(script.body.len(), web::BUNDLE_JS.len());
    server.stop().await.expect("server stops");
}

#[tokio::test]
async fn answers_a_cors_preflight() {
    let server = start().await;
    let preflight = send(
        server.addr(),
        "OPTIONS",
        "/ecommerce.ProductInfo/addProduct",
        &[
            ("origin", "http://localhost:3000"),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "content-type,x-grpc-web,x-user-agent",
            ),
        ],
        b"",
    )
    .await;
    assert_eq!(preflight.code, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        "http://localhost:3000"
    );
    let allowed = preflight.header("access-control-allow-headers");
    for header in ["content-type", "x-grpc-web", "x-user-agent"] {
        assert!(allowed.contains(header), "{header} not in {allowed}");
    }
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("POST")
    );
    server.stop().await.expect("server stops");
}

#[tokio::test]
async fn adds_and_gets_a_product_over_grpc_web() {
    let server = start().await;
    let product = Product {
        name: "Sony Walkman".into(),
        description: "Music from a browser".into(),
        price: 120.0,
        ..Default::default()
    };
    let added = send(
        server.addr(),
        "POST",
        "/ecommerce.ProductInfo/addProduct",
        &GRPC_WEB,
        &frame(&product),
    )
    .await;
    assert_eq!(added.code, 200);
    assert!(
        added
            .header("content-type")
            .starts_with("application/grpc-web")
    );
    let (messages, trailers) = unframe(&added.body);
    assert!(trailers.contains("grpc-status:0"), "{trailers}");
    let id = ProductId::decode(&messages[0][..]).expect("a ProductID");

    let got = send(
        server.addr(),
        "POST",
        "/ecommerce.ProductInfo/getProduct",
        &GRPC_WEB,
        &frame(&id),
    )
    .await;
    let (messages, trailers) = unframe(&got.body);
    assert!(trailers.contains("grpc-status:0"), "{trailers}");
    let got = Product::decode(&messages[0][..]).expect("a Product");
    assert_eq!(got.name, "Sony Walkman");
    assert_eq!(got.id, id.value);
    server.stop().await.expect("server stops");
}

#[tokio::test]
async fn streams_search_orders_over_grpc_web() {
    let server = start().await;
    let response = send(
        server.addr(),
        "POST",
        "/ecommerce.OrderManagement/searchOrders",
        &GRPC_WEB,
        &frame(&"Google".to_owned()),
    )
    .await;
    assert_eq!(response.code, 200);
    let (messages, trailers) = unframe(&response.body);
    assert!(trailers.contains("grpc-status:0"), "{trailers}");
    let ids: Vec<String> = messages
        .iter()
        .map(|message| Order::decode(&message[..]).expect("an Order").id)
        .collect();
    assert_eq!(ids, ["102", "104"]);
    server.stop().await.expect("server stops");
}

#[tokio::test]
async fn an_unknown_method_fails_in_the_trailers() {
    let server = start().await;
    let response = send(
        server.addr(),
        "POST",
        "/ecommerce.ProductInfo/noSuchMethod",
        &GRPC_WEB,
        &frame(&ProductId::default()),
    )
    .await;
    assert_eq!(response.code, 200);
    let status = response
        .find_header("grpc-status")
        .map(str::to_owned)
        .unwrap_or_else(|| unframe(&response.body).1);
    // UNIMPLEMENTED, in the headers (a trailers-only answer) or in the trailer frame.
    assert!(
        status == "12" || status.contains("grpc-status:12"),
        "{status}"
    );
    server.stop().await.expect("server stops");
}
