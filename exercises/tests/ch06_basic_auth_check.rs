//! Checks for exercise ch06/03, 베이직 인증 확인하기 (Checking basic credentials).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch06_basic_auth_check -- --include-ignored`.
//!
//! The Greeter runs over plaintext here, to keep the checks about the header; the book
//! sends basic credentials over TLS only, and so must a real server.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use book_proto::helloworld::HelloRequest;
use book_proto::helloworld::greeter_client::GreeterClient;
use exercises::ch06::basic_auth_check::{BasicAuthCheck, greeter};
use exercises::expect::{describe_status, sent};
use exercises::harness::{self, LocalServer};
use tonic::metadata::AsciiMetadataValue;
use tonic::{Code, Request, Status};

/// The book's header: `Basic ` and the base64 of `admin:admin`.
const BOOK_HEADER: &str = "Basic YWRtaW46YWRtaW4=";

async fn start(check: BasicAuthCheck) -> LocalServer<tonic::transport::Error> {
    harness::start(tonic::service::Routes::new(greeter(check)))
        .await
        .expect("bind a loopback port")
}

/// `Basic ` and the base64 of `credentials`.
fn basic(credentials: &str) -> String {
    format!("Basic {}", STANDARD.encode(credentials))
}

/// `SayHello("you")` with `authorization` as the call's `authorization` metadata (none for
/// `None`): the greeting, or the status the call ended with.
async fn greet(
    server: &LocalServer<tonic::transport::Error>,
    authorization: Option<&str>,
) -> Result<String, Status> {
    let mut request = Request::new(HelloRequest { name: "you".into() });
    if let Some(value) = authorization {
        let value = AsciiMetadataValue::try_from(value).expect("the test's header is ASCII");
        request.metadata_mut().insert("authorization", value);
    }
    let reply = GreeterClient::new(server.channel())
        .say_hello(request)
        .await?;
    Ok(reply.into_inner().message)
}

/// What `greet` with `authorization` says: refused with `UNAUTHENTICATED` and a message that
/// contains `reason`; hands the message back.
async fn expect_refused(
    server: &LocalServer<tonic::transport::Error>,
    what: &str,
    authorization: Option<&str>,
    reason: &str,
) -> String {
    let call = sent(what);
    let status = call.expect_code(greet(server, authorization).await, Code::Unauthenticated);
    if !status.message().contains(reason) {
        call.fail(
            format!("UNAUTHENTICATED, with {reason:?} in the message"),
            describe_status(&status),
        );
    }
    status.message().to_owned()
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_books_credentials_are_let_in_whatever_the_case_of_the_scheme() {
    let server = start(BasicAuthCheck::book()).await;
    for header in [
        BOOK_HEADER,
        "basic YWRtaW46YWRtaW4=",
        "BASIC YWRtaW46YWRtaW4=",
    ] {
        let call = sent(format!("SayHello(\"you\") with authorization: {header}"));
        call.expect_eq(
            call.expect_ok(greet(&server, Some(header)).await),
            "Hello you",
        );
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_account_is_the_one_the_check_was_made_with() {
    let server = start(BasicAuthCheck::new("alice", "open sesame")).await;
    let header = basic("alice:open sesame");
    let call = sent(format!(
        "SayHello(\"you\") with authorization: {header} (alice:open sesame) to a check made for alice"
    ));
    call.expect_eq(
        call.expect_ok(greet(&server, Some(&header)).await),
        "Hello you",
    );
    expect_refused(
        &server,
        &format!("SayHello(\"you\") with the book's {BOOK_HEADER} to a check made for alice"),
        Some(BOOK_HEADER),
        "",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_call_without_credentials_is_unauthenticated() {
    let server = start(BasicAuthCheck::book()).await;
    expect_refused(
        &server,
        "SayHello(\"you\") with no authorization header",
        None,
        "authorization",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn another_scheme_is_unauthenticated() {
    let server = start(BasicAuthCheck::book()).await;
    expect_refused(
        &server,
        "SayHello(\"you\") with authorization: Bearer some-secret-token",
        Some("Bearer some-secret-token"),
        "Basic",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn credentials_that_are_not_base64_are_unauthenticated() {
    let server = start(BasicAuthCheck::book()).await;
    expect_refused(
        &server,
        "SayHello(\"you\") with authorization: Basic admin:admin (not base64)",
        Some("Basic admin:admin"),
        "base64",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn credentials_without_a_colon_are_unauthenticated() {
    let server = start(BasicAuthCheck::book()).await;
    let header = basic("adminadmin");
    expect_refused(
        &server,
        &format!(
            "SayHello(\"you\") with authorization: {header} (base64 of \"adminadmin\", no colon)"
        ),
        Some(&header),
        "username:password",
    )
    .await;
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_wrong_username_and_a_wrong_password_are_refused_in_the_same_words() {
    let server = start(BasicAuthCheck::book()).await;
    let mut messages = Vec::new();
    for credentials in [
        "root:admin",
        "admin:root",
        "admin:admi",
        "admin:admin:admin",
        "ADMIN:admin",
    ] {
        let header = basic(credentials);
        let what =
            format!("SayHello(\"you\") with authorization: {header} (base64 of {credentials:?})");
        let message = expect_refused(&server, &what, Some(&header), "").await;
        messages.push((credentials, message));
    }
    let (_, wrong_username) = &messages[0];
    for (credentials, message) in &messages {
        sent(format!(
            "SayHello(\"you\") with base64 of \"root:admin\" (wrong username), then of {credentials:?}"
        ))
        .expect(
            message == wrong_username,
            format!("the same message for both, {wrong_username:?}: it must not tell which part was wrong"),
            message,
        );
    }
    server.stop().await.expect("the server stops");
}
