//! Checks for exercise ch06/01, Greeter에 TLS 적용하기 (One-way TLS for the Greeter).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch06_greeter_tls -- --include-ignored`.
//!
//! Every test makes its own certificates with chapter 6's `Certs::generate`, so nothing is
//! read from or written to disk.

use ch06_security::Certs;
use ch06_security::tls::ClientCerts;
use exercises::ch06::checks::{Running, certs, reference_server, say_hello, tls_channel};
use exercises::ch06::greeter_tls::{channel, serve};
use exercises::harness::LocalServer;

/// The student's server.
async fn start(certs: &Certs) -> Running {
    let certs = certs.clone();
    LocalServer::start(|listener, shutdown| serve(listener, certs, shutdown.wait()))
        .await
        .expect("bind a loopback port")
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
        say_hello(tls_channel(&server, &certs, None), "TLS")
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
        say_hello(tls_channel(&server, &certs, None), "again")
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
    let server = reference_server(&certs, ClientCerts::NotAsked).await;
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
    let server = reference_server(&certs, ClientCerts::NotAsked).await;
    let stranger = Certs::generate().expect("another CA");
    let channel = channel(server.addr(), stranger.ca_certificate()).expect("a channel");
    let refused = say_hello(channel, "client").await;
    assert!(
        refused.is_err(),
        "the client trusted a server certificate from another CA: {refused:?}"
    );
    server.stop().await.expect("the server stops");
}
