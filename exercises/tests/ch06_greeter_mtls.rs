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
use exercises::expect::{Sent, sent};
use exercises::harness::LocalServer;
use tonic::Status;
use tonic::transport::Channel;

/// The student's server.
async fn start(certs: &Certs) -> Running {
    let certs = certs.clone();
    LocalServer::start(|listener, shutdown| serve(listener, certs, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

/// The channel the student's `channel` made, or a failed check naming its error.
fn made_channel(call: &Sent, result: Result<Channel, tonic::transport::Error>) -> Channel {
    result.unwrap_or_else(|error| {
        call.fail("channel() makes a channel", format!("the error {error}"))
    })
}

/// Checks that the call `what` failed. How tonic reports a refused handshake depends on when
/// the client noticed (`UNAVAILABLE`, `UNKNOWN` or `CANCELLED`; see
/// `ch06-security/README.md`), so the code is not checked.
fn expect_refused(what: &str, result: Result<String, Status>) {
    if let Ok(greeting) = result {
        sent(what).fail(
            "the call fails: the server lets in only TLS clients with a certificate from its CA",
            format!("OK, {greeting:?}"),
        );
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_with_a_certificate_from_the_ca_is_greeted() {
    let certs = certs();
    let server = start(&certs).await;
    let call = sent("SayHello(\"mTLS\") to your server through your channel()");
    let client = made_channel(&call, channel(server.addr(), &certs));
    call.expect_eq(
        call.expect_ok(say_hello(client, "mTLS").await),
        "Hello mTLS",
    );
    let call = sent(
        "SayHello(\"chapter 6\") to your server with chapter 6's client settings and the CA's client certificate",
    );
    let chapters = tls_channel(&server, &certs, Some(certs.client_identity()));
    call.expect_eq(
        call.expect_ok(say_hello(chapters, "chapter 6").await),
        "Hello chapter 6",
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
    let call = sent(
        "SayHello(\"client\") through your channel() to a server that requires client certificates",
    );
    let client = made_channel(&call, channel(server.addr(), &certs));
    call.expect_eq(
        call.expect_ok(say_hello(client, "client").await),
        "Hello client",
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
    expect_refused(
        "SayHello(\"anonymous\") to your server over TLS, with no client certificate",
        say_hello(tls_channel(&server, &certs, None), "anonymous").await,
    );
    // The refusal closed one connection, not the server.
    let call = sent("SayHello(\"after\") through your channel(), after a refused client");
    let client = made_channel(&call, channel(server.addr(), &certs));
    call.expect_eq(
        call.expect_ok(say_hello(client, "after").await),
        "Hello after",
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
    expect_refused(
        "SayHello(\"stranger\") to your server with a client certificate from another CA",
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
    expect_refused(
        "SayHello(\"plaintext\") to your server over plaintext (no TLS)",
        say_hello(server.channel(), "plaintext").await,
    );
    server.stop().await.expect("the server stops");
}
