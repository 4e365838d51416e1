//! One-way TLS: the server proves its name; the client is anonymous.

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::FlowError;
use ch06_security::Mechanism;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::certs::Certs;
use ch06_security::client::Transport;
use ch06_security::tls::client_tls;

use crate::support::{Sample, assert_connection_failed, flow};

#[tokio::test]
async fn the_books_client_adds_and_gets_the_samsung_s10_over_tls() {
    let sample = Sample::start(Mechanism::Tls).await;
    let added = sample.book_flow(CallCredentials::none()).await;
    assert_eq!(
        added.product.description,
        "Samsung Galaxy S10 is the latest smart phone, launched in February 2019"
    );
    assert_eq!(added.product.price, 700.0);
    sample.stop().await;
}

#[tokio::test]
async fn a_plaintext_client_gets_no_answer_and_the_server_keeps_serving() {
    let sample = Sample::start(Mechanism::Tls).await;

    let mut plaintext =
        ProductInfoClient::new(sample.channel_over(Transport::Plaintext, CallCredentials::none()));
    let error = flow(&mut plaintext)
        .await
        .expect_err("a TLS server does not speak plaintext");
    let FlowError::Add(status) = error else {
        panic!("the first call fails: {error}");
    };
    assert_connection_failed(&status);

    sample.book_flow(CallCredentials::none()).await;
    sample.stop().await;
}

#[tokio::test]
async fn a_client_that_trusts_another_ca_refuses_the_server() {
    let sample = Sample::start(Mechanism::Tls).await;

    let stranger = Certs::generate().expect("another CA");
    let mut client = ProductInfoClient::new(
        sample.channel_over(Transport::tls(&stranger), CallCredentials::none()),
    );
    let error = flow(&mut client)
        .await
        .expect_err("the server's CA is not trusted");
    let text = error.to_string();
    assert!(
        text.starts_with("Could not add product: rpc error: code = Unavailable")
            && text.ends_with("invalid peer certificate: UnknownIssuer"),
        "{text}"
    );

    sample.book_flow(CallCredentials::none()).await;
    sample.stop().await;
}

#[tokio::test]
async fn the_server_certificate_names_localhost_and_both_loopback_addresses_only() {
    let sample = Sample::start(Mechanism::Tls).await;
    // The client dials 127.0.0.1 each time; only the name it expects changes.
    for name in ["localhost", "127.0.0.1", "::1"] {
        let tls = client_tls(sample.certs.ca_certificate(), None).domain_name(name);
        let mut client = ProductInfoClient::new(
            sample.channel_over(Transport::Tls(tls), CallCredentials::none()),
        );
        flow(&mut client)
            .await
            .unwrap_or_else(|error| panic!("the certificate is valid for {name}: {error}"));
    }

    let tls = client_tls(sample.certs.ca_certificate(), None).domain_name("example.com");
    let mut client =
        ProductInfoClient::new(sample.channel_over(Transport::Tls(tls), CallCredentials::none()));
    let text = flow(&mut client)
        .await
        .expect_err("not valid for example.com")
        .to_string();
    assert!(
        text.contains("invalid peer certificate: certificate not valid for name \"example.com\""),
        "{text}"
    );
    sample.stop().await;
}
