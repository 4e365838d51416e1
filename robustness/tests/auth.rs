//! The refusal matrix: every bad handshake and every bad credential, on every method of the
//! secured servers, from a client that writes its own `authorization` header.
//!
//! The chapters' tests use the chapters' client, which only ever sends well-formed
//! credentials. An attacker, or a client in another language, sends whatever it likes, so here
//! the header is set by hand ([`robustness::secured::channel`]) and each server is run as a
//! reader runs it: the binary, on a loopback port, with its log read back.
//!
//! For every case the test checks the three things a refusal owes:
//!
//! * the status: exactly `UNAUTHENTICATED` for credentials that prove nothing,
//!   `PERMISSION_DENIED` for a caller who is known but may not call the method, on every
//!   method, unary and streaming; and a message that names neither the secret nor how close a
//!   guess came;
//! * that nothing got through: the server logged the refusal of each call and nothing a
//!   service logs, or, for a refused handshake, nothing at all;
//! * that the server is unharmed: a good client's call is answered right after.
//!
//! Each server starts once and takes all of its cases, so the file runs in a few seconds.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ch06_security::auth::basic::{BOOK_PASSWORD, BOOK_USERNAME};
use ch06_security::auth::jwt::{AUDIENCE, Claims, ISSUER, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::certs::{CLIENT_NAME, Certs};
use ch06_security::roles::allowed_roles;
use common::secret::{BOOK_BEARER, BOOK_TOKEN};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rcgen::{
    CertificateParams, DnType, ExtendedKeyUsagePurpose, Issuer, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use robustness::secured::{
    Outcomes, RawChannel, call_every_method, call_product_info, certs, ch06_server, channel,
    client_tls, dir_arg, still_serves,
};
use robustness::servers::binary;
use test_support::process::ServerProcess;
use tonic::Code;
use tonic::transport::{ClientTlsConfig, Identity};

/// How the client learns that a handshake failed, and so the status its calls end with.
#[derive(Clone, Copy)]
enum Handshake {
    /// The client itself refused the server's certificate, before sending a byte of any call:
    /// `UNAVAILABLE`, with rustls's reason after `invalid peer certificate: `, every time.
    RefusedByClient(&'static str),
    /// The server refused (a plaintext client; a client certificate missing, foreign or
    /// expired). With TLS 1.3 the client's side of the handshake is complete before the server
    /// has read the client's certificate, and a plaintext client has no handshake at all, so
    /// the client has sent its call by the time the refusal arrives. The code tells only when
    /// the client noticed: while writing (`UNKNOWN` "transport error": a broken pipe, or the
    /// server's alert such as `CertificateRequired`), while waiting for the answer (`CANCELLED`
    /// "operation was canceled": the connection closed) or, for a plaintext client, by reading
    /// the server's TLS alert as an HTTP/2 frame (`INTERNAL` "h2 protocol error"). Each is a
    /// status tonic made on the client from a transport error, never one the server sent.
    /// (grpc-go says `UNAVAILABLE` for all of them.)
    RefusedByServer(&'static [Code]),
}

/// The server's log for a refused handshake: tonic logs it at debug level, which these
/// servers are started with for its target alone.
const TLS_DEBUG: (&str, &str) = ("RUST_LOG", "info,tonic::transport::server::io_stream=debug");

/// Which server a matrix runs against, and so what its log says about a call.
#[derive(Clone, Copy)]
enum Server {
    /// `ch06-server`: its interceptor logs `Verification failed - Unauthenticated! <message>`
    /// for each refused call, its role check `Permission denied: …`, and tonic a refused
    /// handshake as `tls accept error error=<reason>` (see [`TLS_DEBUG`]).
    Ch06,
    /// `ch08-middleware-server`: the auth layer logs `[auth] rejected` or `[auth] token
    /// accepted` for each call; the layers inside it and the service log only calls it let
    /// through.
    Ch08,
}

/// One server under test, with what a good client of it sends.
struct Matrix {
    server: ServerProcess,
    kind: Server,
    /// How clients reach it: TLS settings, or plaintext.
    tls: Option<ClientTlsConfig>,
    /// The `authorization` value of a good client, if the server checks calls.
    good: Option<String>,
    /// What no refusal may show: the expected password, token or credentials.
    secrets: Vec<String>,
    /// How many cases have run, to tell their log lines apart.
    cases: usize,
}

impl Matrix {
    fn good_channel(&self) -> RawChannel {
        channel(self.server.addr(), self.tls.clone(), self.good.as_deref())
    }

    /// The calls a case makes: every method the server serves.
    async fn call(&self, channel: RawChannel) -> Outcomes {
        match self.kind {
            Server::Ch06 => call_every_method(channel).await,
            Server::Ch08 => call_product_info(channel).await,
        }
    }

    /// A good call, and what the server logged since the last one.
    async fn logged_since_last_case(&mut self, case: &str) -> Vec<String> {
        self.cases += 1;
        let marker = format!("good call after case {}", self.cases);
        let good = self.good_channel();
        let logged = still_serves(&mut self.server, good, &marker).await;
        for line in &logged {
            for secret in &self.secrets {
                assert!(!line.contains(secret.as_str()), "{case}: logged {line:?}");
            }
        }
        logged
    }

    /// Sends `authorization` on every method; each call must end with `code` and a message
    /// that `expected(method, message)` accepts, and none may get past the check.
    async fn refused(
        &mut self,
        case: &str,
        authorization: Option<&str>,
        code: Code,
        expected: impl Fn(&str, &str) -> bool,
    ) {
        let outcomes = self
            .call(channel(self.server.addr(), self.tls.clone(), authorization))
            .await;
        for (method, outcome) in &outcomes {
            let status = outcome
                .as_ref()
                .expect_err(&format!("{case}: {method} was let through"));
            assert_eq!(status.code(), code, "{case}: {method}: {status:?}");
            assert!(
                expected(method, status.message()),
                "{case}: {method}: {status:?}"
            );
            for secret in &self.secrets {
                assert!(
                    !status.message().contains(secret.as_str()),
                    "{case}: {method}: the message shows the secret"
                );
            }
        }
        let logged = self.logged_since_last_case(case).await;
        self.nothing_got_through(case, &logged, outcomes.len(), code);
    }

    /// Sends `authorization` on every method; every call must be answered.
    async fn allowed(&mut self, case: &str, authorization: &str) {
        let outcomes = self
            .call(channel(
                self.server.addr(),
                self.tls.clone(),
                Some(authorization),
            ))
            .await;
        for (method, outcome) in outcomes {
            outcome.unwrap_or_else(|status| panic!("{case}: {method}: {status:?}"));
        }
        self.logged_since_last_case(case).await;
    }

    /// Connects with `tls` (plaintext with `None`): every call must fail as `handshake` says,
    /// and the server must log the failed handshake, for the reason `reason`, and nothing else.
    async fn handshake_refused(
        &mut self,
        case: &str,
        tls: Option<ClientTlsConfig>,
        handshake: Handshake,
        reason: &str,
    ) {
        let outcomes = self
            .call(channel(self.server.addr(), tls, self.good.as_deref()))
            .await;
        for (method, outcome) in outcomes {
            let status = outcome.expect_err(&format!("{case}: {method} was let through"));
            match handshake {
                Handshake::RefusedByClient(why) => {
                    assert_eq!(status.code(), Code::Unavailable, "{case}: {method}");
                    assert!(
                        status
                            .message()
                            .starts_with(&format!("invalid peer certificate: {why}")),
                        "{case}: {method}: {status:?}"
                    );
                }
                Handshake::RefusedByServer(codes) => {
                    assert!(
                        codes.contains(&status.code()),
                        "{case}: {method}: {status:?}"
                    );
                }
            }
            // A status tonic made from a transport error: no server sent it.
            let made_here = std::error::Error::source(&status)
                .is_some_and(|source| source.is::<tonic::transport::Error>());
            assert!(made_here, "{case}: {method}: {status:?}");
        }
        let logged = self.logged_since_last_case(case).await;
        let refusal = format!("tls accept error error={reason}");
        assert!(!logged.is_empty(), "{case}: no handshake was logged");
        assert!(
            logged.iter().all(|line| line.contains(&refusal)),
            "{case}: {logged:#?}"
        );
    }

    /// The log since the last case shows `calls` refusals and no call that got further.
    fn nothing_got_through(&self, case: &str, logged: &[String], calls: usize, code: Code) {
        let count = |text: &str| logged.iter().filter(|line| line.contains(text)).count();
        match self.kind {
            Server::Ch06 => {
                let refusal = if code == Code::PermissionDenied {
                    "Permission denied: "
                } else {
                    "Verification failed - Unauthenticated! "
                };
                assert_eq!(count(refusal), calls, "{case}: {logged:#?}");
                assert_eq!(logged.len(), calls, "{case}: {logged:#?}");
            }
            Server::Ch08 => {
                assert_eq!(count("[auth] rejected"), calls, "{case}: {logged:#?}");
                // The good call's own lines: admitted once, and the handler reached once.
                assert_eq!(count("[auth] token accepted"), 1, "{case}: {logged:#?}");
                assert_eq!(count("Filing on shelf"), 1, "{case}: {logged:#?}");
            }
        }
    }
}

/// Exactly `message`, whatever the method.
fn always(message: &str) -> impl Fn(&str, &str) -> bool + '_ {
    move |_, actual| actual == message
}

// ---- The channel: TLS and mutual TLS -----------------------------------------------------------

/// `ch06-server <mechanism>` with the certificates in `dir`, logging refused handshakes.
async fn tls_server(mechanism: &str, dir: &tempfile::TempDir) -> ServerProcess {
    ServerProcess::spawn_with_env(
        &binary("ch06-server"),
        [mechanism, "--certs", &dir_arg(dir)],
        [TLS_DEBUG],
    )
    .await
}

#[tokio::test]
async fn tls_refuses_plaintext_strangers_and_wrong_names_before_any_call() {
    let (dir, certs) = certs();
    let stranger = Certs::generate().expect("another CA");
    let mut tls = Matrix {
        server: tls_server("tls", &dir).await,
        kind: Server::Ch06,
        tls: Some(client_tls(&certs, false)),
        good: None,
        secrets: Vec::new(),
        cases: 0,
    };
    tls.handshake_refused(
        "plaintext h2c to the TLS port",
        None,
        Handshake::RefusedByServer(&[Code::Unknown, Code::Internal]),
        "received corrupt message of type InvalidContentType",
    )
    .await;
    tls.handshake_refused(
        "a client trusting another CA",
        Some(client_tls(&stranger, false)),
        Handshake::RefusedByClient("UnknownIssuer"),
        "received fatal alert: UnknownCA",
    )
    .await;
    tls.handshake_refused(
        "a name the certificate does not hold",
        Some(
            ClientTlsConfig::new()
                .ca_certificate(certs.ca_certificate())
                .domain_name("not-in-the-certificate.example"),
        ),
        Handshake::RefusedByClient(
            "certificate not valid for name \"not-in-the-certificate.example\"",
        ),
        "received fatal alert: BadCertificate",
    )
    .await;
    tls.server.terminate().await;
}

/// The CA of `certs` as an rcgen issuer, to sign more client certificates with: its key, and
/// its name, which `ch06_security::certs` derives from the key. The test below proves the
/// name right twice: the server refuses the expired certificate as expired, not as signed by
/// an unknown issuer, and lets in the control certificate made the same way.
fn ca_issuer(certs: &Certs) -> Issuer<'static, KeyPair> {
    let key = KeyPair::from_pem(&certs.ca_key).expect("the CA's key");
    let mut params = CertificateParams::default();
    let fingerprint: String = params
        .key_identifier(&key)
        .iter()
        .take(4)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    params.distinguished_name.push(
        DnType::CommonName,
        format!("ch06-security sample CA {fingerprint}").as_str(),
    );
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    Issuer::new(params, key)
}

/// A client certificate like `ch06-gen-certs` makes, valid in the given years only.
fn client_identity(issuer: &Issuer<'_, KeyPair>, from: i32, until: i32) -> Identity {
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, CLIENT_NAME);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.not_before = date_time_ymd(from, 1, 1);
    params.not_after = date_time_ymd(until, 1, 1);
    let key = KeyPair::generate().expect("a key");
    let cert = params.signed_by(&key, issuer).expect("a certificate");
    Identity::from_pem(cert.pem(), key.serialize_pem())
}

#[tokio::test]
async fn mtls_refuses_missing_foreign_and_expired_client_certificates() {
    let (dir, certs) = certs();
    let stranger = Certs::generate().expect("another CA");
    let issuer = ca_issuer(&certs);
    let with_identity = |identity: Identity| client_tls(&certs, false).identity(identity);
    let mut mtls = Matrix {
        server: tls_server("mtls", &dir).await,
        kind: Server::Ch06,
        tls: Some(client_tls(&certs, true)),
        good: None,
        secrets: Vec::new(),
        cases: 0,
    };
    let refused_after_sending = Handshake::RefusedByServer(&[Code::Unknown, Code::Cancelled]);
    mtls.handshake_refused(
        "plaintext h2c to the mTLS port",
        None,
        Handshake::RefusedByServer(&[Code::Unknown, Code::Internal]),
        "received corrupt message of type InvalidContentType",
    )
    .await;
    mtls.handshake_refused(
        "no client certificate",
        Some(client_tls(&certs, false)),
        refused_after_sending,
        "peer sent no certificates",
    )
    .await;
    mtls.handshake_refused(
        "a client certificate from another CA",
        Some(with_identity(stranger.client_identity())),
        refused_after_sending,
        "invalid peer certificate: UnknownIssuer",
    )
    .await;
    mtls.handshake_refused(
        "an expired client certificate (2020 to 2021) from the right CA",
        Some(with_identity(client_identity(&issuer, 2020, 2021))),
        refused_after_sending,
        "invalid peer certificate: certificate expired",
    )
    .await;

    // The control: the same recipe with dates that include today is let in.
    let control = Some(with_identity(client_identity(&issuer, 2020, 2100)));
    for (method, outcome) in call_every_method(channel(mtls.server.addr(), control, None)).await {
        outcome.unwrap_or_else(|status| panic!("control certificate: {method}: {status:?}"));
    }
    mtls.logged_since_last_case("control").await;
    mtls.server.terminate().await;
}

// ---- The call: basic, bearer token, JWT --------------------------------------------------------

#[tokio::test]
async fn basic_refuses_every_bad_credential_on_every_method() {
    let (dir, certs) = certs();
    let encode = |credentials: &str| format!("Basic {}", STANDARD.encode(credentials));
    let good = encode(&format!("{BOOK_USERNAME}:{BOOK_PASSWORD}"));
    let mut basic = Matrix {
        server: ch06_server("basic", &dir).await,
        kind: Server::Ch06,
        tls: Some(client_tls(&certs, false)),
        good: Some(good.clone()),
        secrets: vec![BOOK_PASSWORD.into(), good.clone()],
        cases: 0,
    };
    let unauthenticated = Code::Unauthenticated;
    let wrong = "invalid credentials: wrong username or password";
    basic
        .refused(
            "no header",
            None,
            unauthenticated,
            always("invalid credentials: no authorization header"),
        )
        .await;
    basic
        .refused(
            "wrong password",
            Some(&encode(&format!("{BOOK_USERNAME}:wrong"))),
            unauthenticated,
            always(wrong),
        )
        .await;
    // The same words as a wrong password: the answer does not say which of the two was right.
    basic
        .refused(
            "wrong username",
            Some(&encode(&format!("root:{BOOK_PASSWORD}"))),
            unauthenticated,
            always(wrong),
        )
        .await;
    basic
        .refused(
            "not base64",
            Some("Basic !!!not-base64***"),
            unauthenticated,
            always("invalid credentials: the credentials are not base64"),
        )
        .await;
    basic
        .refused(
            "no colon",
            Some(&encode(BOOK_USERNAME)),
            unauthenticated,
            always("invalid credentials: the credentials are not username:password"),
        )
        .await;
    for empty in ["Basic ", "Basic"] {
        basic
            .refused(
                &format!("{empty:?}"),
                Some(empty),
                unauthenticated,
                always("invalid credentials: nothing after Basic"),
            )
            .await;
    }
    basic
        .refused(
            "a bearer token",
            Some(BOOK_BEARER),
            unauthenticated,
            always("invalid credentials: expected the Basic scheme"),
        )
        .await;
    // HTTP's authentication schemes are case-insensitive (RFC 9110 §11.1), and clients differ
    // in how they spell them, so `basic` is `Basic`: refusing it would turn away a correct
    // password for its spelling, and accepting it opens nothing the password does not.
    basic
        .allowed(
            "the scheme in lower case",
            &good.replacen("Basic", "basic", 1),
        )
        .await;
    basic.server.terminate().await;
}

#[tokio::test]
async fn token_refuses_every_bad_token_on_every_method() {
    let (dir, certs) = certs();
    let mut token = Matrix {
        server: ch06_server("token", &dir).await,
        kind: Server::Ch06,
        tls: Some(client_tls(&certs, false)),
        good: Some(BOOK_BEARER.to_owned()),
        secrets: vec![BOOK_TOKEN.into()],
        cases: 0,
    };
    let unauthenticated = Code::Unauthenticated;
    token
        .refused(
            "no header",
            None,
            unauthenticated,
            always("invalid token: no authorization header"),
        )
        .await;
    // Wrong, right but one byte short, right plus more, wrong in the last byte only: one
    // answer for all, so no answer tells how much of a guess was right.
    let short = &BOOK_TOKEN[..BOOK_TOKEN.len() - 1];
    for guess in [
        "guessed".to_owned(),
        short.to_owned(),
        format!("{BOOK_TOKEN}-and-more"),
        format!("{short}X"),
    ] {
        token
            .refused(
                &format!("token {guess:?}"),
                Some(&format!("Bearer {guess}")),
                unauthenticated,
                always("invalid token: unknown token"),
            )
            .await;
    }
    for empty in ["Bearer ", "Bearer"] {
        token
            .refused(
                &format!("{empty:?}"),
                Some(empty),
                unauthenticated,
                always("invalid token: nothing after Bearer"),
            )
            .await;
    }
    // As with basic: schemes are case-insensitive.
    token
        .allowed("the scheme in lower case", &format!("bearer {BOOK_TOKEN}"))
        .await;
    token.server.terminate().await;
}

#[tokio::test]
async fn ch08_middleware_refuses_every_bad_token_on_every_method() {
    let server = ServerProcess::spawn(
        &binary("ch08-middleware-server"),
        std::iter::empty::<&str>(),
    )
    .await;
    let mut middleware = Matrix {
        server,
        kind: Server::Ch08,
        tls: None,
        good: Some(BOOK_BEARER.to_owned()),
        secrets: vec![BOOK_TOKEN.into()],
        cases: 0,
    };
    // One message for every refusal: the layer does not even say whether a header came.
    let refusal = "missing or invalid token";
    let short = &BOOK_TOKEN[..BOOK_TOKEN.len() - 1];
    let cases = [
        ("no header", None),
        ("a wrong token", Some("Bearer guessed".to_owned())),
        ("the token one byte short", Some(format!("Bearer {short}"))),
        (
            "the token and more",
            Some(format!("Bearer {BOOK_TOKEN}-and-more")),
        ),
        ("the last byte wrong", Some(format!("Bearer {short}X"))),
        ("\"Bearer \"", Some("Bearer ".to_owned())),
        ("\"Bearer\"", Some("Bearer".to_owned())),
        ("the token alone", Some(BOOK_TOKEN.to_owned())),
    ];
    for (case, authorization) in cases {
        middleware
            .refused(
                case,
                authorization.as_deref(),
                Code::Unauthenticated,
                always(refusal),
            )
            .await;
    }
    middleware
        .allowed("the scheme in lower case", &format!("bearer {BOOK_TOKEN}"))
        .await;
    middleware.server.terminate().await;
}

/// `claims` signed by the issuer key `key` (PEM), the way the chapter's issuer signs.
fn signed(key: &str, claims: &Claims) -> String {
    TokenIssuer::from_pem(key)
        .expect("an issuer key")
        .sign(claims)
        .expect("a signed token")
}

/// Good claims for `alice`, then `change`d.
fn claims(change: impl FnOnce(&mut Claims)) -> Claims {
    let mut claims = Claims::new("alice", "admin", TOKEN_LIFETIME);
    change(&mut claims);
    claims
}

/// The message of `PERMISSION_DENIED` for a caller with no role, per the role table.
fn no_role(method: &str, actual: &str) -> bool {
    let service = if method.ends_with("Product") {
        "ProductInfo"
    } else {
        "OrderManagement"
    };
    let needs = match allowed_roles(&format!("/ecommerce.{service}/{method}")) {
        [role] => format!("the {role} role"),
        roles => format!("one of the roles {}", roles.join(", ")),
    };
    actual == format!("{method} needs {needs}; alice has no role")
}

#[tokio::test]
async fn jwt_refuses_every_forged_or_unfit_token_on_every_method() {
    let (dir, certs) = certs();
    let stranger = Certs::generate().expect("another issuer");
    let key = &certs.jwt_issuer_key;
    let admin = signed(key, &claims(|_| ()));
    let mut jwt = Matrix {
        server: ch06_server("jwt", &dir).await,
        kind: Server::Ch06,
        tls: Some(client_tls(&certs, false)),
        good: Some(format!("Bearer {admin}")),
        secrets: vec![admin.clone()],
        cases: 0,
    };
    let now = jsonwebtoken::get_current_timestamp();
    let hour = 3600;

    // `{"alg":"none"}` and no signature: the token vouches for itself.
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(|_| ())).expect("JSON"))
    );
    // The classic key confusion: HS256, keyed with the public key the server checks with.
    let hmac_with_public_key = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(|_| ()),
        &EncodingKey::from_secret(certs.jwt_issuer_public_key.as_bytes()),
    )
    .expect("an HS256 token");
    // A viewer's genuine token, its payload rewritten to say admin, its signature kept.
    let viewer = signed(key, &claims(|claims| claims.role = "viewer".into()));
    let tampered = {
        let mut parts = viewer.split('.');
        let (header, payload, signature) = (parts.next(), parts.next(), parts.next());
        let payload = URL_SAFE_NO_PAD
            .decode(payload.expect("a payload"))
            .expect("base64url");
        let payload = String::from_utf8(payload)
            .expect("JSON")
            .replace(r#""role":"viewer""#, r#""role":"admin""#);
        format!(
            "{}.{}.{}",
            header.expect("a header"),
            URL_SAFE_NO_PAD.encode(payload),
            signature.expect("a signature")
        )
    };
    // Genuine, and without a role claim.
    let mut without_role = serde_json::to_value(claims(|_| ())).expect("JSON");
    without_role
        .as_object_mut()
        .expect("an object")
        .remove("role");
    let without_role = jsonwebtoken::encode(
        &Header::new(Algorithm::ES256),
        &without_role,
        &EncodingKey::from_ec_pem(key.as_bytes()).expect("the issuer's key"),
    )
    .expect("a token");

    let bearer = |token: String| Some(format!("Bearer {token}"));
    let cases = [
        ("no header", None, "no authorization header".to_owned()),
        (
            "\"Bearer \"",
            Some("Bearer ".to_owned()),
            "nothing after Bearer".to_owned(),
        ),
        (
            "expired an hour ago",
            bearer(signed(
                key,
                &claims(|claims| {
                    claims.iat = now - 2 * hour;
                    claims.nbf = now - 2 * hour;
                    claims.exp = now - hour;
                }),
            )),
            "expired".to_owned(),
        ),
        (
            "nbf an hour ahead",
            bearer(signed(
                key,
                &claims(|claims| {
                    claims.nbf = now + hour;
                    claims.exp = now + 2 * hour;
                }),
            )),
            "not valid yet".to_owned(),
        ),
        (
            "another audience",
            bearer(signed(key, &claims(|claims| claims.aud = "billing".into()))),
            format!("not meant for {AUDIENCE}"),
        ),
        (
            "another issuer",
            bearer(signed(
                key,
                &claims(|claims| claims.iss = "https://issuer.example".into()),
            )),
            format!("not issued by {ISSUER}"),
        ),
        (
            "HS256 keyed with the public key",
            bearer(hmac_with_public_key),
            "not signed with ES256".to_owned(),
        ),
        (
            "signed by another key",
            bearer(signed(&stranger.jwt_issuer_key, &claims(|_| ()))),
            "bad signature".to_owned(),
        ),
        (
            "viewer rewritten to admin",
            bearer(tampered),
            "bad signature".to_owned(),
        ),
    ];
    for (case, authorization, why) in cases {
        jwt.refused(
            case,
            authorization.as_deref(),
            Code::Unauthenticated,
            always(&format!("invalid token: {why}")),
        )
        .await;
    }
    // jsonwebtoken cannot even read a header naming `none`, an algorithm it does not know, so
    // the token is malformed before any check of the signature: the reason is the parser's.
    jwt.refused(
        "alg none",
        bearer(unsigned).as_deref(),
        Code::Unauthenticated,
        |_, message| {
            message.starts_with("invalid token: malformed (")
                && message.contains("unknown variant `none`")
        },
    )
    .await;
    jwt.refused(
        "no role claim",
        bearer(without_role).as_deref(),
        Code::PermissionDenied,
        no_role,
    )
    .await;
    jwt.server.terminate().await;
}
