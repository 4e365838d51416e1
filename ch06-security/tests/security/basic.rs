//! Basic authentication: `authorization: Basic base64(admin:admin)` on every call.

use book_proto::ecommerce::ProductId;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch06_security::Mechanism;
use ch06_security::auth::basic::header_value;
use ch06_security::auth::bearer::BOOK_TOKEN;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::client::{ChannelError, Transport, channel};
use tonic::metadata::AsciiMetadataValue;
use tonic::{Code, Request};

use crate::support::{Sample, assert_status, refused};

fn admin() -> CallCredentials {
    CallCredentials::basic("admin", "admin")
}

#[test]
fn the_header_is_the_books() {
    assert_eq!(header_value("admin", "admin"), "Basic YWRtaW46YWRtaW4=");
}

#[tokio::test]
async fn admin_admin_adds_and_gets_the_samsung_s10() {
    let sample = Sample::start(Mechanism::Basic).await;
    sample.book_flow(admin()).await;
    sample.stop().await;
}

#[tokio::test]
async fn wrong_credentials_are_unauthenticated_and_the_server_keeps_serving() {
    let sample = Sample::start(Mechanism::Basic).await;
    for (credentials, why) in [
        (CallCredentials::none(), "no authorization header"),
        (
            CallCredentials::basic("admin", "wrong"),
            "wrong username or password",
        ),
        (
            CallCredentials::basic("root", "admin"),
            "wrong username or password",
        ),
        (
            CallCredentials::bearer(BOOK_TOKEN).expect("a header value"),
            "expected the Basic scheme",
        ),
    ] {
        let mut client = sample.products(credentials);
        let status = refused(client.get_product(ProductId::default()).await);
        assert_status(
            &status,
            Code::Unauthenticated,
            &format!("invalid credentials: {why}"),
        );
        sample.book_flow(admin()).await;
    }
    sample.stop().await;
}

#[tokio::test]
async fn garbled_headers_are_unauthenticated_with_the_reason() {
    let sample = Sample::start(Mechanism::Basic).await;
    for (header, why) in [
        (&b"Basic"[..], "nothing after Basic"),
        (b"Basic !!not base64!!", "the credentials are not base64"),
        // base64 of "admin" alone: no colon.
        (
            b"Basic YWRtaW4=",
            "the credentials are not username:password",
        ),
        (
            b"Basic \xff\xfe",
            "the authorization header is not printable ASCII",
        ),
        (b"YWRtaW46YWRtaW4=", "expected the Basic scheme"),
    ] {
        let value = AsciiMetadataValue::try_from(header).expect("HTTP/2 can carry it");
        let mut client = ProductInfoClient::with_interceptor(
            sample.bare_channel(),
            move |mut request: Request<()>| {
                request
                    .metadata_mut()
                    .insert("authorization", value.clone());
                Ok(request)
            },
        );
        let status = refused(client.get_product(ProductId::default()).await);
        assert_status(
            &status,
            Code::Unauthenticated,
            &format!("invalid credentials: {why}"),
        );
    }
    sample.book_flow(admin()).await;
    sample.stop().await;
}

#[tokio::test]
async fn the_scheme_name_is_not_case_sensitive() {
    let sample = Sample::start(Mechanism::Basic).await;
    let value = AsciiMetadataValue::from_static("basic YWRtaW46YWRtaW4=");
    let mut client = ProductInfoClient::with_interceptor(
        sample.bare_channel(),
        move |mut request: Request<()>| {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
            Ok(request)
        },
    );
    let status = refused(client.get_product(ProductId::default()).await);
    // Past the credential check: the server looked the product up.
    assert_eq!(status.code(), Code::NotFound, "{status:?}");
    sample.stop().await;
}

#[tokio::test]
async fn the_client_will_not_send_credentials_over_plaintext() {
    let sample = Sample::start(Mechanism::Basic).await;
    let refusal =
        channel(&sample.addr(), Transport::Plaintext, admin()).expect_err("credentials need TLS");
    assert!(matches!(refusal, ChannelError::CredentialsNeedTls));
    assert_eq!(
        refusal.to_string(),
        "refusing to send credentials over a plaintext connection: the credentials require \
         transport security"
    );
    sample.stop().await;
}
