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

/// Checks that a greeting that should have failed did; `expected` says why it should have.
fn expect_failed(call: &Sent, expected: &str, result: Result<String, Status>) {
    if let Ok(greeting) = result {
        call.fail(expected, format!("OK, {greeting:?}"));
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_client_that_trusts_the_ca_is_greeted_over_tls() {
    let certs = certs();
    let server = start(&certs).await;
    let call = sent("SayHello(\"TLS\") to your server, over TLS from a client trusting the CA");
    call.expect_eq(
        call.expect_ok(say_hello(tls_channel(&server, &certs, None), "TLS").await),
        "Hello TLS",
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
    expect_failed(
        &sent("SayHello(\"plaintext\") to your server, over plaintext (no TLS)"),
        "the call fails: the server speaks TLS only",
        say_hello(server.channel(), "plaintext").await,
    );
    let call = sent("SayHello(\"again\") over TLS, after the refused plaintext call");
    call.expect_eq(
        call.expect_ok(say_hello(tls_channel(&server, &certs, None), "again").await),
        "Hello again",
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
    let call = sent("SayHello(\"client\") through your channel() to a TLS server signed by the CA");
    let channel = made_channel(&call, channel(server.addr(), certs.ca_certificate()));
    call.expect_eq(
        call.expect_ok(say_hello(channel, "client").await),
        "Hello client",
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
    let call = sent(
        "SayHello(\"client\") through your channel(), trusting another CA than the one that signed the server",
    );
    let channel = made_channel(&call, channel(server.addr(), stranger.ca_certificate()));
    expect_failed(
        &call,
        "the call fails: the client does not trust the server's certificate",
        say_hello(channel, "client").await,
    );
    server.stop().await.expect("the server stops");
}
