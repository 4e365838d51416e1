//! The REST gateway in front of the ProductInfo server, over plain HTTP/1.1 as curl speaks it.

use ch08_ecosystem::gateway;
use common::local::LocalServer;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Both servers on loopback ports: the gRPC server and the gateway in front of it.
struct Servers {
    grpc: LocalServer<tonic::transport::Error>,
    http: LocalServer<std::io::Error>,
}

impl Servers {
    async fn start() -> Self {
        let grpc = LocalServer::start(|listener, shutdown| {
            ch08_ecosystem::serve(listener, shutdown.wait())
        })
        .await
        .expect("gRPC server starts");
        let backend = grpc.channel();
        let http = LocalServer::start(|listener, shutdown| {
            gateway::serve(listener, shutdown.wait(), backend)
        })
        .await
        .expect("gateway starts");
        Self { grpc, http }
    }

    async fn send(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        send(self.http.addr(), method, path, body).await
    }

    async fn stop(self) {
        self.http.stop().await.expect("gateway stops");
        self.grpc.stop().await.expect("gRPC server stops");
    }
}

/// Sends one request, as `curl` would (curl's `-d` says form-urlencoded), and returns the
/// status code and the body.
async fn send(addr: std::net::SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("a header block");
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    (code, body.to_owned())
}

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {body:?}"))
}

#[tokio::test]
async fn the_books_curl_commands_add_then_get_a_product() {
    let servers = Servers::start().await;

    let (code, body) = servers
        .send(
            "POST",
            "/v1/product",
            r#"{"name": "Apple", "description": "iphone7", "price": 699}"#,
        )
        .await;
    assert_eq!(code, 200, "{body}");
    // The book's chapter 8 proto answers a StringValue, whose JSON is a bare string.
    let id = parse(&body)
        .as_str()
        .expect("the id as a string")
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let (code, body) = servers.send("GET", &format!("/v1/product/{id}"), "").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        body,
        format!(r#"{{"id":"{id}","name":"Apple","description":"iphone7","price":699}}"#)
    );
    servers.stop().await;
}

#[tokio::test]
async fn grpc_errors_become_http_statuses_with_a_json_body() {
    let servers = Servers::start().await;

    let (code, body) = servers.send("GET", "/v1/product/no-such-id", "").await;
    assert_eq!(code, 404);
    assert_eq!(
        parse(&body),
        json!({"code": 5, "message": "Product does not exist: no-such-id", "details": []})
    );

    for bad in [
        r#"{"name": "Apple""#,
        "[1, 2]",
        r#"{"price": "cheap"}"#,
        r#"{"colour": "red"}"#,
    ] {
        let (code, body) = servers.send("POST", "/v1/product", bad).await;
        assert_eq!(code, 400, "{bad} gave {body}");
        assert_eq!(parse(&body)["code"], 3, "{body}");
    }

    // The gateway is still there after all that.
    let (code, _) = servers
        .send("POST", "/v1/product", r#"{"name": "Pear"}"#)
        .await;
    assert_eq!(code, 200);
    servers.stop().await;
}

#[tokio::test]
async fn a_backend_that_is_down_is_503() {
    let Servers { grpc, http } = Servers::start().await;
    grpc.stop().await.expect("gRPC server stops");
    let (code, body) = send(http.addr(), "GET", "/v1/product/x", "").await;
    assert_eq!(code, 503, "{body}");
    assert_eq!(parse(&body)["code"], 14, "{body}");
    http.stop().await.expect("gateway stops");
}

#[tokio::test]
async fn openapi_describes_the_annotated_routes() {
    let servers = Servers::start().await;
    let (code, body) = servers.send("GET", "/openapi.json", "").await;
    assert_eq!(code, 200);
    let document = parse(&body);
    assert_eq!(document["openapi"], "3.0.3");
    assert_eq!(document["info"]["title"], "product_info.proto");
    let add = &document["paths"]["/v1/product"]["post"];
    assert_eq!(add["operationId"], "addProduct");
    assert_eq!(
        add["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ecommerce.Product"
    );
    let get = &document["paths"]["/v1/product/{value}"]["get"];
    assert_eq!(get["operationId"], "getProduct");
    assert_eq!(get["parameters"][0]["name"], "value");
    assert_eq!(get["parameters"][0]["in"], "path");
    assert_eq!(
        document["components"]["schemas"]["ecommerce.Product"]["properties"]["price"],
        json!({"type": "number", "format": "float"})
    );
    servers.stop().await;
}

#[test]
fn routes_come_from_the_proto_annotations() {
    let routes: Vec<(String, String, String, String)> = gateway::product_info_routes()
        .iter()
        .map(|route| {
            (
                route.verb.to_string(),
                route.template.clone(),
                route.body.clone(),
                route.grpc_path(),
            )
        })
        .collect();
    let expected = [
        (
            "POST",
            "/v1/product",
            "*",
            "/ecommerce.ProductInfo/addProduct",
        ),
        (
            "GET",
            "/v1/product/{value}",
            "",
            "/ecommerce.ProductInfo/getProduct",
        ),
    ]
    .map(|(a, b, c, d)| (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned()));
    assert_eq!(routes, expected);
}
