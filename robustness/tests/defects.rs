//! One regression test per defect an independent attack run found (issue 24), named after it.
//! Each failed on the code before its fix; the fix is in one shared place, named in the test's
//! comment.

use std::process::Output;
use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Order, Product};
use bytes::Bytes;
use ch04_internals::http2::RawChannel;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::{Claims, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::certs::Certs;
use ch06_security::client::{SecuredChannel, Transport};
use robustness::frames::{self, Frame, RawConnection, kind};
use robustness::hostile::{Answer, HostileServer};
use robustness::http1;
use robustness::proc;
use robustness::secured::{call_every_method, certs, dir_arg};
use robustness::servers::{PLAINTEXT_SERVERS, binary, grpc_code, status};
use test_support::process::ServerProcess;
use tokio::process::Command;
use tonic::Code;
use tonic::transport::{Identity, ServerTlsConfig};

/// How long a client binary may take against a hostile server.
const CLIENT_WAIT: Duration = Duration::from_secs(30);

async fn run(program: &str, args: &[&str]) -> Output {
    let mut command = Command::new(binary(program));
    command.args(args).kill_on_drop(true);
    tokio::time::timeout(CLIENT_WAIT, command.output())
        .await
        .unwrap_or_else(|_| panic!("{program} still running after {CLIENT_WAIT:?}"))
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A client binary's run ended without a panic, and said what the server answered.
fn reported_not_panicked(program: &str, output: &Output, expected: &str) {
    let printed = text(output);
    assert_ne!(
        output.status.code(),
        Some(101),
        "{program} panicked:\n{printed}"
    );
    assert!(!printed.contains("panicked"), "{program}:\n{printed}");
    assert!(
        printed.contains(expected),
        "{program} did not report {expected:?}:\n{printed}"
    );
}

// ---- 3. Every Rust client panicked on one malformed trailer ----------------------------------
// Fix: `common::channel`, the guard every client channel of the workspace goes through.

#[tokio::test]
async fn item_3_undecodable_status_details_do_not_panic_any_client() {
    for answer in [
        Answer::GarbageDetailsInHeaders,
        Answer::GarbageDetailsInTrailers,
    ] {
        let server = HostileServer::start(answer).await;
        let addr = server.addr();
        for (program, args) in [
            ("ch02-client", vec![]),
            ("ch03-client", vec![]),
            ("ch05-error-handling-client", vec![]),
            (
                "ch07-client",
                vec!["--rounds", "1", "--metrics-addr", "127.0.0.1:0"],
            ),
        ] {
            let mut args = args;
            args.extend(["--addr", addr.as_str()]);
            let output = run(program, &args).await;
            reported_not_panicked(program, &output, "InvalidArgument");
        }
        let probe = run("ch08-health-probe", &["--addr", &addr]).await;
        reported_not_panicked("ch08-health-probe", &probe, "InvalidArgument");

        let gateway = ServerProcess::spawn(&binary("ch08-gateway"), ["--backend", &addr]).await;
        for _ in 0..2 {
            let (code, body) = http1::call(
                gateway.addr(),
                "POST",
                "/v1/product",
                r#"{"name":"Apple","price":699}"#,
            )
            .await;
            assert_eq!(code, 400, "{answer:?}: {body}");
            assert!(body.contains(robustness::hostile::MESSAGE), "{body}");
        }
        gateway.terminate().await;
        server.stop().await;
    }
}

#[tokio::test]
async fn item_3_undecodable_status_details_do_not_panic_the_tls_client() {
    let (dir, certs) = certs();
    let tls =
        ServerTlsConfig::new().identity(Identity::from_pem(&certs.server_cert, &certs.server_key));
    let server = HostileServer::start_with(Answer::GarbageDetailsInHeaders, Some(tls)).await;
    let output = run(
        "ch06-client",
        &["--addr", &server.addr(), "--certs", &dir_arg(&dir), "tls"],
    )
    .await;
    reported_not_panicked("ch06-client", &output, "InvalidArgument");
    server.stop().await;
}

// ---- 4. A unary response carrying two messages was accepted -----------------------------------
// Fix: `common::channel` counts the messages of every single-response call.

#[tokio::test]
async fn item_4_a_second_message_in_a_unary_answer_is_internal() {
    let server = HostileServer::start(Answer::TwoMessages).await;
    let channel = common::args::ClientAddr {
        addr: server.addr(),
    }
    .channel()
    .expect("a valid address");

    let mut products = ProductInfoClient::new(channel.clone());
    let error = products
        .add_product(Product::default())
        .await
        .expect_err("two answers to a unary call");
    assert_eq!(error.code(), Code::Internal, "{error:?}");
    assert!(
        error.message().contains("more than one message"),
        "{error:?}"
    );

    let mut orders = OrderManagementClient::new(channel);
    let error = orders
        .update_orders(futures::stream::iter([Order::default()]))
        .await
        .expect_err("two answers to a client-streaming call");
    assert_eq!(error.code(), Code::Internal, "{error:?}");

    let output = run("ch02-client", &["--addr", &server.addr()]).await;
    reported_not_panicked("ch02-client", &output, "code = Internal");
    server.stop().await;
}

// ---- 5. No limit on concurrent streams ---------------------------------------------------------
// Fix: `common::server::builder` advertises MAX_CONCURRENT_STREAMS on every server.

#[tokio::test]
async fn item_5_every_server_advertises_and_enforces_max_concurrent_streams() {
    for sample in PLAINTEXT_SERVERS {
        let server = sample.start().await;
        let mut connection = RawConnection::open(server.addr()).await.expect("connect");
        let settings = connection.server_settings().await.expect("SETTINGS");
        let limit = settings
            .iter()
            .find(|(id, _)| *id == frames::SETTINGS_MAX_CONCURRENT_STREAMS)
            .map(|(_, value)| *value);
        assert_eq!(
            limit,
            Some(common::server::MAX_CONCURRENT_STREAMS),
            "{}: {settings:?}",
            sample.binary
        );

        // Open one more stream than allowed, none of them finished: the server refuses the
        // extra one (RST_STREAM REFUSED_STREAM, or PROTOCOL_ERROR for the connection).
        let over = limit.unwrap_or_default() + 1;
        let opened: Vec<Frame> = (0..over)
            .map(|n| Frame::grpc_request(2 * n + 1, sample.path, sample.headers, false))
            .collect();
        connection.send(&opened).await.expect("send");
        let answers = connection
            .frames_until_quiet(Duration::from_millis(500))
            .await
            .expect("read");
        let refused = answers.iter().any(|frame| {
            (frame.kind == kind::RST_STREAM && frame.error_code() == Some(7))
                || (frame.kind == kind::GOAWAY && frame.error_code() == Some(1))
        });
        assert!(
            refused,
            "{}: the extra stream was not refused: {answers:?}",
            sample.binary
        );
        // The open streams are calls in flight, which a graceful stop would wait for.
        drop(connection);
        sample.still_serves(server.addr()).await;
        server.terminate().await;
    }
}

// ---- 6. The cap on server-caused stream resets was off ----------------------------------------
// Fix: `common::server::builder` sets http2_max_local_error_reset_streams.

#[tokio::test]
async fn item_6_streams_the_server_must_reset_end_in_goaway() {
    let sample = PLAINTEXT_SERVERS[0];
    let server = sample.start().await;
    let mut connection = RawConnection::open(server.addr()).await.expect("connect");
    connection.server_settings().await.expect("SETTINGS");
    // "MadeYouReset": each stream opens with a header block the server must refuse (a
    // connection-specific field such as `connection` is malformed in HTTP/2, RFC 9113
    // §8.2.2), which it answers by resetting the stream. A server without the cap resets all
    // 5,000 and keeps the connection.
    let mut resets = 0;
    let mut goaway = None;
    'attack: for batch in 0..50u32 {
        let frames: Vec<Frame> = (0..100u32)
            .flat_map(|n| {
                let stream = 2 * (batch * 100 + n) + 1;
                [Frame::grpc_request(
                    stream,
                    sample.path,
                    &[("connection", "keep-alive")],
                    true,
                )]
            })
            .collect();
        if connection.send(&frames).await.is_err() {
            break;
        }
        while let Some(frame) = connection
            .next_frame(Duration::from_millis(50))
            .await
            .expect("read")
        {
            match frame.kind {
                kind::RST_STREAM => resets += 1,
                kind::GOAWAY => {
                    goaway = frame.error_code();
                    break 'attack;
                }
                _ => {}
            }
        }
    }
    assert_eq!(
        goaway,
        Some(11),
        "no GOAWAY ENHANCE_YOUR_CALM after {resets} resets"
    );
    assert!(
        resets <= common::server::MAX_LOCAL_ERROR_RESET_STREAMS + 100,
        "{resets} resets before the GOAWAY"
    );
    sample.still_serves(server.addr()).await;
    server.terminate().await;
}

// ---- 7. The accept loop spun when file descriptors ran out ------------------------------------
// Fix: `common::server::incoming` backs off after an accept error.

#[tokio::test]
async fn item_7_running_out_of_file_descriptors_does_not_spin_the_accept_loop() {
    // The server gets 64 descriptors; 100 connections use them up, and every further accept
    // fails with EMFILE while they stay open.
    let server = ServerProcess::spawn(
        "sh",
        [
            "-c",
            r#"ulimit -n 64 && exec "$0" "$@""#,
            &binary("ch02-server"),
        ],
    )
    .await;
    let pid = server.pid();
    let mut held = Vec::new();
    for _ in 0..100 {
        if let Ok(socket) = tokio::net::TcpStream::connect(server.addr()).await {
            held.push(socket);
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = proc::cpu_time(pid);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let used = proc::cpu_time(pid) - before;
    assert!(
        used < Duration::from_millis(250),
        "the server used {used:?} of CPU in 1 s while out of descriptors"
    );
    drop(held);
    PLAINTEXT_SERVERS[0].still_serves(server.addr()).await;
    server.terminate().await;
}

// ---- 10. Only ch02-server answered malformed requests as the spec says ------------------------
// Fix: the conformance layer moved to `wire::conformance`, first in `common::server::builder`.

#[tokio::test]
async fn item_10_every_server_answers_malformed_requests_like_ch02() {
    for sample in PLAINTEXT_SERVERS {
        let server = sample.start().await;
        let channel = RawChannel::connect(server.addr()).await.expect("connect");

        // A prefix announcing one byte over the limit, then a little of the message.
        let announced = u32::try_from(common::server::MAX_MESSAGE_SIZE + 1).expect("fits");
        let mut too_big = vec![0];
        too_big.extend_from_slice(&announced.to_be_bytes());
        too_big.extend_from_slice(&[0; 1024]);
        let exchange = channel
            .call(&sample.request(vec![Bytes::from(too_big)]))
            .await
            .expect("an answer");
        assert_eq!(grpc_code(&exchange), 8, "{}: {exchange}", sample.binary);

        for content_type in [Some("application/json"), None] {
            let mut request = sample.good_request();
            request
                .headers
                .retain(|(name, _)| name != http::header::CONTENT_TYPE);
            if let Some(content_type) = content_type {
                request.headers.push((
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static(content_type),
                ));
            }
            let exchange = channel.call(&request).await.expect("an answer");
            assert_eq!(
                exchange.status, 415,
                "{}, content-type {content_type:?}: {exchange}",
                sample.binary
            );
            assert_eq!(status(&exchange).code, 3, "{}", sample.binary);
        }
        sample.still_serves(server.addr()).await;
        server.terminate().await;
    }
}

// ---- 1 and 2. JWT `nbf` unchecked; roles guarded ProductInfo only -----------------------------
// Fixes: `ch06_security::auth::jwt::TokenVerifier` checks `nbf`; `ch06_security::roles`
// holds every method of both services to one table.

async fn jwt_server() -> (ServerProcess, tempfile::TempDir, Certs) {
    let (dir, certs) = certs();
    let server =
        ServerProcess::spawn(&binary("ch06-server"), ["jwt", "--certs", &dir_arg(&dir)]).await;
    (server, dir, certs)
}

fn token_channel(server: &ServerProcess, certs: &Certs, claims: &Claims) -> SecuredChannel {
    let token = TokenIssuer::from_pem(&certs.jwt_issuer_key)
        .expect("the issuer's key")
        .sign(claims)
        .expect("a signed token");
    ch06_security::client::channel(
        server.addr(),
        Transport::tls(certs),
        CallCredentials::bearer(&token).expect("a header value"),
    )
    .expect("a channel")
}

#[tokio::test]
async fn item_1_a_jwt_not_valid_yet_is_unauthenticated_on_every_method() {
    let (server, _dir, certs) = jwt_server().await;
    let mut claims = Claims::new("alice", "admin", TOKEN_LIFETIME);
    claims.nbf += 3600;
    claims.exp += 3600;
    for (method, result) in call_every_method(token_channel(&server, &certs, &claims)).await {
        let status = result.expect_err(method);
        assert_eq!(status.code(), Code::Unauthenticated, "{method}: {status:?}");
        assert_eq!(status.message(), "invalid token: not valid yet", "{method}");
    }
    // Within the leeway, a token from a clock a little ahead is fine.
    let mut claims = Claims::new("alice", "admin", TOKEN_LIFETIME);
    claims.nbf += 10;
    for (method, result) in call_every_method(token_channel(&server, &certs, &claims)).await {
        result.unwrap_or_else(|status| panic!("{method}: {status:?}"));
    }
    server.terminate().await;
}

#[tokio::test]
async fn item_2_roles_are_enforced_on_every_method_of_both_services() {
    let (server, _dir, certs) = jwt_server().await;
    for role in ["admin", "viewer", "", "guest"] {
        let claims = Claims::new("alice", role, TOKEN_LIFETIME);
        for (method, result) in call_every_method(token_channel(&server, &certs, &claims)).await {
            let allowed = ch06_security::roles::allowed_roles(&format!(
                "/ecommerce.{}/{method}",
                if method.ends_with("Product") {
                    "ProductInfo"
                } else {
                    "OrderManagement"
                }
            ))
            .contains(&role);
            match result {
                Ok(()) => assert!(allowed, "role {role:?} may not call {method}"),
                Err(status) => {
                    assert!(!allowed, "role {role:?}, {method}: {status:?}");
                    assert_eq!(status.code(), Code::PermissionDenied, "{role:?} {method}");
                }
            }
        }
    }
    server.terminate().await;
}

// ---- 8. ch07 metrics grew with every unknown path ---------------------------------------------
// Fix: `ch07_ops::metrics::layer` labels calls from the descriptors, never from the path.

#[tokio::test]
async fn item_8_metrics_count_every_unknown_method_under_one_label() {
    let server =
        ServerProcess::spawn(&binary("ch07-server"), ["--metrics-addr", "127.0.0.1:0"]).await;
    let mut server = server;
    let metrics = loop {
        let line = server.next_line().await;
        if let Some((addr, _)) = line
            .split_once("Metrics on http://")
            .and_then(|(_, url)| url.split_once('/'))
        {
            break addr.to_owned();
        }
    };
    let channel = RawChannel::connect(server.addr()).await.expect("connect");
    let made_up = 2000;
    for n in 0..made_up {
        let mut request = PLAINTEXT_SERVERS[0].good_request();
        request.path = format!("/made.Up{n}/method{n}");
        let exchange = channel.call(&request).await.expect("an answer");
        assert_eq!(grpc_code(&exchange), 12, "{exchange}");
    }
    let (code, body) = http1::call(&metrics, "GET", "/metrics", "").await;
    assert_eq!(code, 200);
    assert!(!body.contains("made.Up"), "a made-up path became a label");
    let unknown = body
        .lines()
        .filter(|line| line.starts_with("grpc_server_handled_total") && line.contains("unknown"))
        .collect::<Vec<_>>();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].ends_with(&format!(" {made_up}")), "{unknown:?}");
    assert!(body.len() < 64 * 1024, "/metrics is {} bytes", body.len());
    server.terminate().await;
}

// ---- 9. ch08-gateway had no timeout for slow requests -----------------------------------------
// Fix: `ch08_ecosystem::gateway::serve_with` serves connections with `Timeouts`.

#[tokio::test]
async fn item_9_the_gateway_gives_up_on_slow_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let gateway = ServerProcess::spawn(
        &binary("ch08-gateway"),
        [
            "--backend",
            "127.0.0.1:9",
            "--header-read-timeout",
            "1s",
            "--request-timeout",
            "2s",
        ],
    )
    .await;
    let fds_before = proc::open_fds(gateway.pid());

    // 200 connections that send half a request head and stop: each is closed.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut socket = tokio::net::TcpStream::connect(gateway.addr())
            .await
            .expect("connect");
        socket
            .write_all(b"GET /v1/product/1 HTTP/1.1\r\nhost: loc")
            .await
            .expect("half a head");
        slow.push(socket);
    }
    for mut socket in slow {
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut rest)).await;
        assert!(
            closed.is_ok(),
            "a connection with half a head is still open"
        );
    }

    // A head, then a body that never comes: 408, with the gateway's JSON error.
    let mut socket = tokio::net::TcpStream::connect(gateway.addr())
        .await
        .expect("connect");
    socket
        .write_all(b"POST /v1/product HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\n{")
        .await
        .expect("a head");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":4"#), "{answer}");

    tokio::time::sleep(Duration::from_millis(200)).await;
    let fds_after = proc::open_fds(gateway.pid());
    assert!(
        fds_after <= fds_before + 2,
        "{fds_before} descriptors before, {fds_after} after"
    );
    gateway.terminate().await;
}

// ---- 11. ch08 spoke the chapter 2 proto where the book's chapter 8 uses StringValue -----------
// Fix: `proto/ch08/product_info.proto`, served by `ch08_ecosystem::product_info`, reflection
// and the gateway.

#[tokio::test]
async fn item_11_ch08_speaks_the_books_chapter_8_proto() {
    use prost::Message;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let server = ServerProcess::spawn(&binary("ch08-server"), std::iter::empty::<&str>()).await;
    let gateway = ServerProcess::spawn(&binary("ch08-gateway"), ["--backend", server.addr()]).await;

    // The book's curl: the id comes back as a bare JSON string.
    http1::book_curls(gateway.addr()).await;

    // grpcurl's describe: the methods take and return google.protobuf.StringValue.
    let channel = common::args::ClientAddr {
        addr: server.addr().to_owned(),
    }
    .channel()
    .expect("a valid address");
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::FileContainingSymbol(
            "ecommerce.ProductInfo".into(),
        )),
    };
    let mut answers = ServerReflectionClient::new(channel)
        .server_reflection_info(futures::stream::iter([request]))
        .await
        .expect("reflection")
        .into_inner();
    let Some(MessageResponse::FileDescriptorResponse(files)) = answers
        .message()
        .await
        .expect("an answer")
        .and_then(|answer| answer.message_response)
    else {
        panic!("no file descriptor");
    };
    let file = files
        .file_descriptor_proto
        .iter()
        .map(|bytes| prost_types::FileDescriptorProto::decode(bytes.as_slice()).expect("decodes"))
        .find(|file| {
            file.service
                .iter()
                .any(|service| service.name() == "ProductInfo")
        })
        .expect("the file of ProductInfo");
    let methods: Vec<(&str, &str, &str)> = file.service[0]
        .method
        .iter()
        .map(|method| (method.name(), method.input_type(), method.output_type()))
        .collect();
    assert_eq!(
        methods,
        [
            (
                "addProduct",
                ".ecommerce.Product",
                ".google.protobuf.StringValue"
            ),
            (
                "getProduct",
                ".google.protobuf.StringValue",
                ".ecommerce.Product"
            ),
        ]
    );
    gateway.terminate().await;
    server.terminate().await;
}
