//! Checks for exercise ch06/02, Greeter에 mTLS 적용하기 (Securing the Greeter with mutual TLS).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch06_greeter_mtls -- --include-ignored`.
//!
//! Every test makes its own certificates with chapter 6's `Certs::generate`, so nothing is
//! read from or written to disk.

use ch06_security::Certs;
use ch06_security::tls::ClientCerts;
use exercises::ch06::checks::{Running, certs, reference_server, say_hello, tls_channel};
use exercises::ch06::greeter_mtls::{channel, serve};
use exercises::harness::LocalServer;
use tonic::Status;

/// The student's server.
async fn start(certs: &Certs) -> Running {
    let certs = certs.clone();
    LocalServer::start(|listener, shutdown| serve(listener, certs, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

/// Asserts that a call failed. How tonic reports a refused handshake depends on when the
/// client noticed (`UNAVAILABLE`, `UNKNOWN` or `CANCELLED`; see `ch06-security/README.md`),
/// so the code is not checked.
fn assert_refused(what: &str, result: Result<String, Status>) {
    assert!(result.is_err(), "{what} was greeted: {result:?}");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_with_a_certificate_from_the_ca_is_greeted() {
    let certs = certs();
    let server = start(&certs).await;
    let client = channel(server.addr(), &certs).expect("a channel");
    assert_eq!(
        say_hello(client, "mTLS").await.expect("a mutual TLS call"),
        "Hello mTLS"
    );
    let chapters = tls_channel(&server, &certs, Some(certs.client_identity()));
    assert_eq!(
        say_hello(chapters, "chapter 6")
            .await
            .expect("a mutual TLS call"),
        "Hello chapter 6"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_client_shows_its_certificate() {
    let certs = certs();
    let server = reference_server(&certs, ClientCerts::Required).await;
    let client = channel(server.addr(), &certs).expect("a channel");
    assert_eq!(
        say_hello(client, "client")
            .await
            .expect("a server that requires client certificates greets the client"),
        "Hello client"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_without_a_certificate_is_refused() {
    let certs = certs();
    let server = start(&certs).await;
    assert_refused(
        "a client without a certificate",
        say_hello(tls_channel(&server, &certs, None), "anonymous").await,
    );
    // The refusal closed one connection, not the server.
    let client = channel(server.addr(), &certs).expect("a channel");
    assert_eq!(
        say_hello(client, "after").await.expect("a mutual TLS call"),
        "Hello after"
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_certificate_from_another_ca_is_refused() {
    let certs = certs();
    let server = start(&certs).await;
    let stranger = Certs::generate().expect("another CA");
    // It trusts the right CA for the server, but shows a certificate that CA never signed.
    let channel = tls_channel(&server, &certs, Some(stranger.client_identity()));
    assert_refused(
        "a client with another CA's certificate",
        say_hello(channel, "stranger").await,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_plaintext_client_is_refused() {
    let certs = certs();
    let server = start(&certs).await;
    assert_refused(
        "a plaintext client",
        say_hello(server.channel(), "plaintext").await,
    );
    server.stop().await.expect("the server stops");
}
