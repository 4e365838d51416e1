//! Mutual TLS: no call without a client certificate signed by the server's CA.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::FlowError;
use ch06_security::Mechanism;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::certs::Certs;
use ch06_security::client::Transport;
use ch06_security::tls::client_tls;

use crate::support::{Sample, assert_connection_failed, flow};

#[tokio::test]
async fn a_client_with_its_certificate_adds_and_gets_the_samsung_s10() {
    let sample = Sample::start(Mechanism::Mtls).await;
    sample.book_flow(CallCredentials::none()).await;
    sample.stop().await;
}

/// The flow's first call fails as a refused handshake does, and a good client still gets in.
async fn assert_refused(sample: &Sample, transport: Transport) {
    let mut client =
        ProductInfoClient::new(sample.channel_over(transport, CallCredentials::none()));
    match flow(&mut client).await {
        Err(FlowError::Add(status)) => assert_connection_failed(&status),
        other => panic!("the handshake should have failed: {other:?}"),
    }
    sample.book_flow(CallCredentials::none()).await;
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    let sample = Sample::start(Mechanism::Mtls).await;
    assert_refused(&sample, Transport::tls(&sample.certs)).await;
    sample.stop().await;
}

#[tokio::test]
async fn a_client_certificate_from_another_ca_is_refused() {
    let sample = Sample::start(Mechanism::Mtls).await;
    let stranger = Certs::generate().expect("another CA");
    // It trusts the right CA for the server, but shows a certificate the server's CA never
    // signed.
    let transport = Transport::Tls(client_tls(
        sample.certs.ca_certificate(),
        Some(stranger.client_identity()),
    ));
    assert_refused(&sample, transport).await;
    sample.stop().await;
}

#[tokio::test]
async fn a_plaintext_client_is_refused() {
    let sample = Sample::start(Mechanism::Mtls).await;
    assert_refused(&sample, Transport::Plaintext).await;
    sample.stop().await;
}
