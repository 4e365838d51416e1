//! OAuth 2.0 bearer token: `authorization: Bearer some-secret-token` on every call.

use book_proto::ecommerce::ProductId;
use ch06_security::Mechanism;
use ch06_security::auth::bearer::BOOK_TOKEN;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::client::{ChannelError, Transport, channel};
use tonic::Code;

use crate::support::{Sample, assert_status, refused};

fn book_token() -> CallCredentials {
    CallCredentials::bearer(BOOK_TOKEN).expect("a header value")
}

#[tokio::test]
async fn the_books_token_adds_and_gets_the_samsung_s10() {
    let sample = Sample::start(Mechanism::Token).await;
    sample.book_flow(book_token()).await;
    sample.stop().await;
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_unauthenticated_and_the_server_keeps_serving() {
    let sample = Sample::start(Mechanism::Token).await;
    for (credentials, why) in [
        (CallCredentials::none(), "no authorization header"),
        (
            CallCredentials::bearer("some-other-token").expect("a header value"),
            "unknown token",
        ),
        (
            CallCredentials::bearer(&format!("{BOOK_TOKEN}-and-more")).expect("a header value"),
            "unknown token",
        ),
        (
            CallCredentials::basic("admin", "admin"),
            "expected the Bearer scheme",
        ),
    ] {
        let mut client = sample.products(credentials);
        let status = refused(client.get_product(ProductId::default()).await);
        assert_status(
            &status,
            Code::Unauthenticated,
            &format!("invalid token: {why}"),
        );
        sample.book_flow(book_token()).await;
    }
    sample.stop().await;
}

#[tokio::test]
async fn the_client_will_not_send_the_token_over_plaintext() {
    let sample = Sample::start(Mechanism::Token).await;
    let refusal = channel(&sample.addr(), Transport::Plaintext, book_token())
        .expect_err("credentials need TLS");
    assert!(matches!(refusal, ChannelError::CredentialsNeedTls));
    sample.stop().await;
}

#[test]
fn a_token_that_cannot_be_a_header_is_refused_before_any_call() {
    assert!(CallCredentials::bearer("line\nbreak").is_err());
}
