//! JSON Web Tokens: checked signature, expiry, issuer and audience; a role for addProduct.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use book_proto::ecommerce::ProductId;
use ch06_security::Mechanism;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::{AUDIENCE, Claims, ISSUER, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::certs::Certs;
use ch06_security::client::book_product;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use tonic::Code;

use crate::support::{Sample, assert_status, refused};

fn signed(certs: &Certs, claims: &Claims) -> String {
    TokenIssuer::from_pem(&certs.jwt_issuer_key)
        .expect("the issuer's key")
        .sign(claims)
        .expect("a signed token")
}

fn bearer(token: &str) -> CallCredentials {
    CallCredentials::bearer(token).expect("a header value")
}

fn token_for(certs: &Certs, role: &str) -> CallCredentials {
    bearer(&signed(certs, &Claims::new("alice", role, TOKEN_LIFETIME)))
}

#[tokio::test]
async fn an_admin_token_adds_and_gets_the_samsung_s10() {
    let sample = Sample::start(Mechanism::Jwt).await;
    sample.book_flow(token_for(&sample.certs, "admin")).await;
    sample.stop().await;
}

#[tokio::test]
async fn another_role_may_get_products_but_not_add_them() {
    let sample = Sample::start(Mechanism::Jwt).await;
    let added = sample.book_flow(token_for(&sample.certs, "admin")).await;

    let mut viewer = sample.products(token_for(&sample.certs, "viewer"));
    let product = viewer
        .get_product(added.id.clone())
        .await
        .expect("any valid token may read")
        .into_inner();
    assert_eq!(product.name, "Samsung S10");

    let status = refused(viewer.add_product(book_product()).await);
    assert_status(
        &status,
        Code::PermissionDenied,
        "addProduct needs the admin role; alice has the viewer role",
    );
    sample.book_flow(token_for(&sample.certs, "admin")).await;
    sample.stop().await;
}

/// Claims a token's checks must refuse, one field changed from good ones.
fn claims_with(change: impl FnOnce(&mut Claims)) -> Claims {
    let mut claims = Claims::new("alice", "admin", TOKEN_LIFETIME);
    change(&mut claims);
    claims
}

/// `{"alg":"none"}`: a token that claims it needs no signature.
fn unsigned(claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"iss":"{}","sub":"{}","aud":"{}","iat":{},"nbf":{},"exp":{},"role":"{}"}}"#,
        claims.iss, claims.sub, claims.aud, claims.iat, claims.nbf, claims.exp, claims.role
    ));
    format!("{header}.{payload}.")
}

/// Claims without the role: a well-formed JWT that says who is calling and grants nothing.
#[derive(Serialize)]
struct WithoutRole {
    iss: &'static str,
    sub: &'static str,
    aud: &'static str,
    iat: u64,
    nbf: u64,
    exp: u64,
}

#[tokio::test]
async fn bad_tokens_are_unauthenticated_with_the_reason_and_the_server_keeps_serving() {
    let sample = Sample::start(Mechanism::Jwt).await;
    let certs = &sample.certs;
    let stranger = Certs::generate().expect("another issuer's key");
    let an_hour = Duration::from_secs(3600).as_secs();
    let now = jsonwebtoken::get_current_timestamp();

    // The classic forgery: HS256, keyed with the public key every server may publish.
    let hmac_with_public_key = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &Claims::new("alice", "admin", TOKEN_LIFETIME),
        &EncodingKey::from_secret(certs.jwt_issuer_public_key.as_bytes()),
    )
    .expect("an HS256 token");
    let without_role = jsonwebtoken::encode(
        &Header::new(Algorithm::ES256),
        &WithoutRole {
            iss: ISSUER,
            sub: "alice",
            aud: AUDIENCE,
            iat: now,
            nbf: now,
            exp: now + an_hour,
        },
        &EncodingKey::from_ec_pem(certs.jwt_issuer_key.as_bytes()).expect("the issuer's key"),
    )
    .expect("a token");

    let cases = [
        (
            signed(
                certs,
                &claims_with(|claims| {
                    claims.iat = now - 2 * an_hour;
                    claims.nbf = now - 2 * an_hour;
                    claims.exp = now - an_hour;
                }),
            ),
            "expired".to_owned(),
        ),
        (
            signed(&stranger, &claims_with(|_| ())),
            "bad signature".to_owned(),
        ),
        (hmac_with_public_key, "not signed with ES256".to_owned()),
        (
            signed(
                certs,
                &claims_with(|claims| claims.aud = "some-other-service".into()),
            ),
            format!("not meant for {AUDIENCE}"),
        ),
        (
            signed(
                certs,
                &claims_with(|claims| claims.iss = "https://someone.else".into()),
            ),
            format!("not issued by {ISSUER}"),
        ),
    ];
    for (token, why) in cases {
        let mut client = sample.products(bearer(&token));
        let status = refused(client.get_product(ProductId::default()).await);
        assert_status(
            &status,
            Code::Unauthenticated,
            &format!("invalid token: {why}"),
        );
        sample.book_flow(token_for(certs, "admin")).await;
    }

    // A genuine token without a role names the caller and grants nothing.
    let mut client = sample.products(bearer(&without_role));
    let status = refused(client.get_product(ProductId::default()).await);
    assert_status(
        &status,
        Code::PermissionDenied,
        "getProduct needs one of the roles admin, viewer; alice has no role",
    );

    for (token, what) in [
        (unsigned(&claims_with(|_| ())), "unknown variant `none`"),
        ("not-a-jwt".to_owned(), "InvalidToken"),
    ] {
        let mut client = sample.products(bearer(&token));
        let status = refused(client.get_product(ProductId::default()).await);
        assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
        assert!(
            status.message().starts_with("invalid token: malformed (")
                && status.message().contains(what),
            "{status:?}"
        );
        sample.book_flow(token_for(certs, "admin")).await;
    }
    sample.stop().await;
}

#[tokio::test]
async fn a_token_expired_within_the_leeway_still_passes() {
    let sample = Sample::start(Mechanism::Jwt).await;
    let now = jsonwebtoken::get_current_timestamp();
    let just_expired = claims_with(|claims| claims.exp = now - 5);
    sample
        .book_flow(bearer(&signed(&sample.certs, &just_expired)))
        .await;
    sample.stop().await;
}
