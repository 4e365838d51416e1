//! Checks for exercise ch06/01, Greeter에 TLS 적용하기 (One-way TLS for the Greeter).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch06_greeter_tls -- --include-ignored`.
//!
//! Every test makes its own certificates with chapter 6's `Certs::generate`, so nothing is
//! read from or written to disk.

use std::time::Duration;

use book_proto::helloworld::HelloRequest;
use book_proto::helloworld::greeter_client::GreeterClient;
use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use ch06_security::Certs;
use ch06_security::tls::{ClientCerts, client_tls, server_tls};
use common::deadline::Deadline;
use exercises::ch06::greeter_tls::{channel, serve};
use exercises::harness::LocalServer;
use tonic::Status;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};

/// Generous: a debug build's first TLS handshake on a busy machine can be slow.
const TIMEOUT: Duration = Duration::from_secs(10);

type Running = LocalServer<tonic::transport::Error>;

fn certs() -> Certs {
    Certs::generate().expect("make certificates")
}

/// The student's server.
async fn start(certs: &Certs) -> Running {
    let certs = certs.clone();
    LocalServer::start(|listener, shutdown| serve(listener, certs, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

/// A one-way TLS Greeter made with chapter 6's settings, to try the student's client on.
async fn reference_server(certs: &Certs) -> Running {
    let tls = server_tls(certs, ClientCerts::NotAsked);
    LocalServer::start(|listener, shutdown| async move {
        Server::builder()
            .tls_config(tls)?
            .add_service(GreeterServer::new(GreeterService))
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
            .await
    })
    .await
    .expect("bind a loopback port")
}

/// A TLS channel to `server` made with chapter 6's client settings: trusting the CA of
/// `certs`, showing no certificate.
fn tls_channel(server: &Running, certs: &Certs) -> Channel {
    Endpoint::from_shared(format!("https://{}", server.addr()))
        .and_then(|endpoint| endpoint.tls_config(client_tls(certs.ca_certificate(), None)))
        .expect("a TLS endpoint")
        .connect_lazy()
}

/// `SayHello` with `name`, under a deadline so that a wrong setup fails instead of hanging.
async fn say_hello(channel: Channel, name: &str) -> Result<String, Status> {
    let deadline = Deadline::after(TIMEOUT);
    let request = deadline.request(HelloRequest { name: name.into() });
    let reply = deadline
        .run(GreeterClient::new(channel).say_hello(request))
        .await?;
    Ok(reply.into_inner().message)
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_that_trusts_the_ca_is_greeted_over_tls() {
    let certs = certs();
    let server = start(&certs).await;
    assert_eq!(
        say_hello(tls_channel(&server, &certs), "TLS")
            .await
            .expect("a TLS call"),
        "Hello TLS"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_plaintext_client_is_refused_and_the_server_serves_on() {
    let certs = certs();
    let server = start(&certs).await;
    let refused = say_hello(server.channel(), "plaintext").await;
    assert!(
        refused.is_err(),
        "a plaintext call went through: {refused:?}"
    );
    assert_eq!(
        say_hello(tls_channel(&server, &certs), "again")
            .await
            .expect("a TLS call"),
        "Hello again"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_client_greets_a_tls_server() {
    let certs = certs();
    let server = reference_server(&certs).await;
    let channel = channel(server.addr(), certs.ca_certificate()).expect("a channel");
    assert_eq!(
        say_hello(channel, "client").await.expect("a TLS call"),
        "Hello client"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_client_refuses_a_server_its_ca_did_not_sign() {
    let certs = certs();
    let server = reference_server(&certs).await;
    let stranger = Certs::generate().expect("another CA");
    let channel = channel(server.addr(), stranger.ca_certificate()).expect("a channel");
    let refused = say_hello(channel, "client").await;
    assert!(
        refused.is_err(),
        "the client trusted a server certificate from another CA: {refused:?}"
    );
    server.stop().await.expect("the server stops");
}
