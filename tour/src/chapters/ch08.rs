//! Chapter 8: reflection, health checking and its probe, the REST gateway, middleware.

use anyhow::{Context, ensure};
use book_proto::ecommerce::Product;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch08_ecosystem::middleware::{self, TOKEN, metrics::Metrics};
use ch08_ecosystem::probe::{Outcome, ProbeArgs, probe};
use ch08_ecosystem::{gateway, reflection};
use common::local::LocalServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::Code;

use crate::transcript::Transcript;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    let server =
        LocalServer::start(|listener, shutdown| ch08_ecosystem::serve(listener, shutdown.wait()))
            .await
            .context("start the ch08 server")?;
    transcript.say(&format!(
        "ch08-server (ProductInfo, reflection, health) is listening on {}.",
        server.addr()
    ));

    transcript.say("Server reflection, what `grpcurl -plaintext ADDR list` asks first:");
    let mut services = reflection::list_services(server.channel()).await?;
    services.sort();
    transcript.output(&services.join("\n"));
    ensure!(
        services.iter().any(|name| name == "ecommerce.ProductInfo"),
        "ProductInfo is not listed: {services:?}"
    );

    transcript.say("ch08-health-probe --service ecommerce.ProductInfo:");
    let args = ProbeArgs {
        addr: server.addr().to_string(),
        service: "ecommerce.ProductInfo".into(),
        connect_timeout: std::time::Duration::from_secs(1),
        rpc_timeout: std::time::Duration::from_secs(1),
        tls: false,
        tls_ca_cert: None,
        tls_server_name: None,
    };
    let outcome = probe(&args).await;
    transcript.output(&format!("{outcome}  (exit code {})", outcome.exit_code()));
    ensure!(outcome == Outcome::Serving, "the probe said {outcome}");

    let backend = server.channel();
    let rest =
        LocalServer::start(|listener, shutdown| gateway::serve(listener, shutdown.wait(), backend))
            .await
            .context("start the gateway")?;
    transcript.say(&format!(
        "ch08-gateway on {} (the book's :8081); the book's curl commands:",
        rest.addr()
    ));
    let added = http(
        rest.addr(),
        "POST",
        "/v1/product",
        r#"{"name": "Apple", "description": "iphone7", "price": 699}"#,
    )
    .await?;
    transcript.output(&added);
    // `200 "<id>"`: the book's chapter 8 proto answers a StringValue, a bare JSON string.
    let id = added
        .split('"')
        .nth(1)
        .context("no id in the gateway's answer")?
        .to_owned();
    let got = http(rest.addr(), "GET", &format!("/v1/product/{id}"), "").await?;
    transcript.output(&got);
    ensure!(got.contains(r#""price":699"#), "unexpected product: {got}");
    let missing = http(rest.addr(), "GET", "/v1/product/no-such-id", "").await?;
    transcript.output(&missing);
    ensure!(missing.starts_with("404"), "expected a 404: {missing}");
    rest.stop().await.context("stop the gateway")?;
    server.stop().await.context("stop the server")?;

    transcript.say(
        "ch08-middleware-server: logging, metrics, auth, timeout and recovery layers. A call \
         that makes the handler panic (an empty product name):",
    );
    let metrics = Metrics::default();
    let counted = metrics.clone();
    let layered = LocalServer::start(|listener, shutdown| {
        middleware::serve(listener, shutdown.wait(), metrics)
    })
    .await
    .context("start the middleware server")?;
    let mut client = ProductInfoClient::new(layered.channel());
    for name in ["", "Apple"] {
        let mut request = tonic::Request::new(Product {
            name: name.into(),
            ..Product::default()
        });
        request
            .metadata_mut()
            .insert("authorization", format!("Bearer {TOKEN}").parse()?);
        match client.add_product(request).await {
            Ok(id) => transcript.output(&format!("name {name:?}: added {}", id.into_inner().value)),
            Err(status) => transcript.output(&format!(
                "name {name:?}: {:?} {}",
                status.code(),
                status.message()
            )),
        }
    }
    let path = "/ecommerce.ProductInfo/addProduct";
    ensure!(
        counted.count(path, Code::Internal) == 1 && counted.count(path, Code::Ok) == 1,
        "the metrics layer did not count one INTERNAL and one OK call"
    );
    transcript.say("The server kept serving after the panic; metrics counted 1 INTERNAL, 1 OK.");
    layered.stop().await.context("stop the middleware server")?;
    Ok(())
}

/// One HTTP/1.1 request as curl sends it; answers `CODE BODY`.
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> anyhow::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .context("no HTTP header block")?;
    let code = head.split(' ').nth(1).context("no status line")?;
    Ok(format!("{code} {body}"))
}
