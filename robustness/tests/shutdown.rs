//! SIGTERM under load: what Docker and Kubernetes do to a server at every deploy.
//!
//! A rolling update stops each old server while clients still call it. A graceful stop must
//! lose nothing: the calls the server has taken finish OK, new calls are refused in a way a
//! client may safely retry (UNAVAILABLE, whether the listener was closed or the server's
//! GOAWAY refused a stream it had not begun: `common::channel` reports both so), and
//! the process exits 0 within its grace period, `common::server::DRAIN_TIMEOUT`, even when a
//! call never ends on its own.
//!
//! Each test starts a server binary, holds one unary call open on the server (its request
//! head sent, its message not yet), runs eight clients that loop `addProduct` and
//! `getProduct`, sends SIGTERM, and then checks every call and the exit. Two of them also leave
//! a call open that never ends on its own, which the server must cut at the grace period: on
//! `ch02-server` a unary call whose message never comes (a client that hung), on `ch08-server`
//! a health `Watch`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use bytes::{Bytes, BytesMut};
use common::args::ClientAddr;
use common::server::DRAIN_TIMEOUT;
use prost::Message;
use robustness::servers::binary;
use test_support::process::ServerProcess;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};

/// How many clients call at once.
const CLIENTS: usize = 8;

/// Calls the load makes before the signal, at least: enough that calls are in flight.
const CALLS_BEFORE_SIGNAL: usize = 200;

/// The longest any one call may take. A unary call takes milliseconds; one that takes longer
/// hangs on a server that neither answers nor refuses it.
const CALL_TIMEOUT: Duration = Duration::from_secs(3);

/// What the exit may take beyond the grace period: the runtime's shutdown and the process's.
const EXIT_SLACK: Duration = Duration::from_secs(2);

/// The lines the tests read (the start line, the signal, the drain's warning, `Server
/// stopped`) without the line per call that would flood the log under load.
const LOG_FILTER: &str = "warn,common=info,ch08_ecosystem=info";

/// How one call of the load ended.
#[derive(Debug)]
enum Ended {
    Ok,
    Failed(tonic::Status),
    TimedOut,
}

/// One call of the load: when it started and how it ended.
#[derive(Debug)]
struct Call {
    started: Instant,
    ended: Ended,
}

/// Eight clients, each on its own connection, each calling until a call fails.
struct Load {
    ok: Arc<AtomicUsize>,
    clients: Vec<JoinHandle<Vec<Call>>>,
}

impl Load {
    fn start(addr: &str) -> Self {
        let ok = Arc::new(AtomicUsize::new(0));
        let clients = (0..CLIENTS)
            .map(|_| tokio::spawn(client(addr.to_owned(), ok.clone())))
            .collect();
        Self { ok, clients }
    }

    /// Waits until the load has made [`CALLS_BEFORE_SIGNAL`] calls.
    async fn running(&self) {
        timeout(Duration::from_secs(30), async {
            while self.ok.load(Ordering::Relaxed) < CALLS_BEFORE_SIGNAL {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the load runs");
    }

    /// Every call the clients made, once each has seen a call fail.
    async fn finish(self) -> Vec<Call> {
        let mut calls = Vec::new();
        for client in self.clients {
            let client = timeout(CALL_TIMEOUT * 2, client)
                .await
                .expect("every client stops once the server is gone");
            calls.extend(client.expect("a client task"));
        }
        calls
    }
}

/// Adds a product, gets it back, and again, until a call fails (or times out).
async fn client(addr: String, ok: Arc<AtomicUsize>) -> Vec<Call> {
    let channel = ClientAddr { addr }.channel().expect("a valid address");
    let mut client = ProductInfoClient::new(channel);
    let mut calls = Vec::new();
    let mut added: Option<ProductId> = None;
    loop {
        let started = Instant::now();
        let call = async {
            match added.take() {
                None => client
                    .add_product(product("load"))
                    .await
                    .map(|id| Some(id.into_inner())),
                Some(id) => client.get_product(id).await.map(|_| None),
            }
        };
        let ended = match timeout(CALL_TIMEOUT, call).await {
            Ok(Ok(id)) => {
                added = id;
                ok.fetch_add(1, Ordering::Relaxed);
                Ended::Ok
            }
            Ok(Err(status)) => Ended::Failed(status),
            Err(_) => Ended::TimedOut,
        };
        let failed = !matches!(ended, Ended::Ok);
        calls.push(Call { started, ended });
        if failed {
            return calls;
        }
    }
}

fn product(name: &str) -> Product {
    Product {
        name: name.into(),
        description: "a product added while the server stops".into(),
        price: 1.0,
        ..Product::default()
    }
}

/// A unary `addProduct` the server has taken but cannot answer yet: its request head is
/// sent and its message is not, so it stays open on the server for as long as the test likes.
/// Written with `h2` directly, since a tonic client sends a unary request in one go.
struct HeldCall {
    message: h2::SendStream<Bytes>,
    response: h2::client::ResponseFuture,
}

impl HeldCall {
    async fn open(addr: &str) -> Self {
        let socket = TcpStream::connect(addr).await.expect("connect");
        let (send, mut connection) = h2::client::handshake(socket)
            .await
            .expect("an HTTP/2 handshake");
        let mut ping_pong = connection.ping_pong().expect("the connection's ping_pong");
        tokio::spawn(connection);
        let mut send = send.ready().await.expect("a stream may be opened");
        let request =
            http::Request::post(format!("http://{addr}/ecommerce.ProductInfo/addProduct"))
                .header(http::header::CONTENT_TYPE, "application/grpc")
                .header(http::header::TE, "trailers")
                .body(())
                .expect("a valid request head");
        let (response, message) = send
            .send_request(request, false)
            .expect("send the request head");
        // The server reads frames in order: once it answers a PING sent after the HEADERS, it
        // has read the HEADERS, and the call is open on its side.
        ping_pong
            .ping(h2::Ping::opaque())
            .await
            .expect("the server answers a PING");
        Self { message, response }
    }

    /// Waits for the answer the server never gave: the stream ends when the server exits.
    async fn abandoned(self) -> Result<http::Response<h2::RecvStream>, h2::Error> {
        timeout(EXIT_SLACK, self.response)
            .await
            .expect("the call ends with the server")
    }

    /// Sends the request message and reads the answer: the gRPC status code and the id.
    async fn finish(mut self) -> (String, ProductId) {
        let message = wire::frame(&product("held").encode_to_vec());
        self.message
            .send_data(message, true)
            .expect("send the request message");
        let response = timeout(CALL_TIMEOUT, self.response)
            .await
            .expect("an answer in time")
            .expect("an answer, not a reset stream");
        assert_eq!(response.status(), 200, "{response:?}");
        let mut body = response.into_body();
        let mut data = BytesMut::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk.expect("the answer's data");
            let _ = body.flow_control().release_capacity(chunk.len());
            data.extend_from_slice(&chunk);
        }
        let trailers = body
            .trailers()
            .await
            .expect("the answer's trailers")
            .expect("trailers");
        let code = trailers
            .get("grpc-status")
            .and_then(|code| code.to_str().ok())
            .unwrap_or("none")
            .to_owned();
        let id = ProductId::decode(data.get(5..).unwrap_or_default()).expect("a ProductID");
        (code, id)
    }
}

/// A health `Watch` of the whole server: a call that never ends on its own.
async fn watch(addr: &str) -> tonic::Streaming<HealthCheckResponse> {
    let channel = ClientAddr {
        addr: addr.to_owned(),
    }
    .channel()
    .expect("a valid address");
    let mut stream = HealthClient::new(channel)
        .watch(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("watch")
        .into_inner();
    let first = stream
        .message()
        .await
        .expect("a status")
        .expect("a message");
    assert_eq!(first.status(), ServingStatus::Serving);
    stream
}

/// Waits until connecting is refused: the server has closed its listener.
async fn listener_closed(addr: &str) {
    timeout(DRAIN_TIMEOUT, async {
        loop {
            match TcpStream::connect(addr).await {
                Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => return,
                _ => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    })
    .await
    .expect("the listener closes once the signal is received");
}

/// A call left open that never ends on its own, for the server to cut at the grace period.
enum Stuck {
    /// None: the server must exit as soon as the calls it took are done.
    Nothing,
    /// A unary call whose message never comes.
    UnaryCall,
    /// A health `Watch` (`ch08-server` only).
    Watch,
}

/// The open call of a [`Stuck`].
enum StuckCall {
    UnaryCall(HeldCall),
    Watch(tonic::Streaming<HealthCheckResponse>),
}

/// Runs the whole scenario on `program`.
async fn stop_under_load(program: &str, args: &[&str], stuck: Stuck) {
    let mut server =
        ServerProcess::spawn_with_env(&binary(program), args, [("RUST_LOG", LOG_FILTER)]).await;
    let addr = server.addr().to_owned();
    let mut stuck = match stuck {
        Stuck::Nothing => None,
        Stuck::UnaryCall => Some(StuckCall::UnaryCall(HeldCall::open(&addr).await)),
        Stuck::Watch => Some(StuckCall::Watch(watch(&addr).await)),
    };
    let held = HeldCall::open(&addr).await;
    let load = Load::start(&addr);
    load.running().await;

    let signalled = Instant::now();
    server.send_sigterm().await;
    while !server
        .next_line()
        .await
        .contains("SIGTERM received, shutting down")
    {}
    listener_closed(&addr).await;

    // A new call: refused, as UNAVAILABLE, at once.
    let channel = ClientAddr { addr: addr.clone() }
        .channel()
        .expect("a valid address");
    let refused = timeout(
        CALL_TIMEOUT,
        ProductInfoClient::new(channel).get_product(ProductId::default()),
    )
    .await
    .expect("a new call is refused, not left hanging")
    .expect_err("a new call after the listener closed");
    assert_eq!(refused.code(), Code::Unavailable, "{refused:?}");

    if let Some(StuckCall::Watch(watcher)) = &mut stuck {
        let next = watcher
            .message()
            .await
            .expect("a status")
            .expect("a message");
        assert_eq!(next.status(), ServingStatus::NotServing);
    }

    // The call the server took before the signal: it completes, after the listener closed.
    let (code, id) = held.finish().await;
    assert_eq!(code, "0", "{program}: the held call");
    assert_eq!(id.value.len(), 36, "{program}: an id {id:?}");

    let (status, lines) = timeout(DRAIN_TIMEOUT + EXIT_SLACK, server.wait())
        .await
        .unwrap_or_else(|_| panic!("{program} still running {DRAIN_TIMEOUT:?} after SIGTERM"));
    let drained = signalled.elapsed();
    assert!(status.success(), "{program}: {status}\n{lines:#?}");
    assert!(
        lines.iter().any(|line| line.ends_with("Server stopped")),
        "{program}: {lines:#?}"
    );
    let cut = lines
        .iter()
        .any(|line| line.contains("Calls still open after 5s; closing their connections"));
    if let Some(stuck) = stuck {
        assert!(cut, "{program}: no warning for the call it cut: {lines:#?}");
        assert!(
            drained >= DRAIN_TIMEOUT,
            "{program}: exited after {drained:?}"
        );
        match stuck {
            StuckCall::UnaryCall(held) => {
                let answer = held.abandoned().await;
                assert!(answer.is_err(), "{program}: the stuck call: {answer:?}");
            }
            StuckCall::Watch(mut watcher) => {
                let ended = timeout(EXIT_SLACK, watcher.message())
                    .await
                    .expect("the watch ends with the server");
                assert!(
                    !matches!(ended, Ok(Some(_))),
                    "{program}: the watch still answers: {ended:?}"
                );
            }
        }
    } else {
        assert!(!cut, "{program}: cut calls without a reason: {lines:#?}");
        assert!(
            drained < DRAIN_TIMEOUT,
            "{program}: exited after {drained:?}"
        );
    }
    assert!(
        drained < DRAIN_TIMEOUT + EXIT_SLACK,
        "{program}: exited after {drained:?}"
    );

    let calls = load.finish().await;
    let before: Vec<&Call> = calls
        .iter()
        .filter(|call| call.started < signalled)
        .collect();
    let lost: Vec<&&Call> = before
        .iter()
        .filter(|call| !matches!(call.ended, Ended::Ok))
        .collect();
    assert!(lost.is_empty(), "{program}: calls lost: {lost:?}");
    let after: Vec<&Call> = calls
        .iter()
        .filter(|call| call.started >= signalled)
        .collect();
    for call in &after {
        match &call.ended {
            Ended::Ok => {}
            Ended::Failed(status) if status.code() == Code::Unavailable => {}
            other => panic!("{program}: a call after the signal ended {other:?}"),
        }
    }
    let unavailable = after
        .iter()
        .filter(|call| matches!(&call.ended, Ended::Failed(_)))
        .count();
    assert_eq!(
        unavailable, CLIENTS,
        "{program}: each client stops at its first refused call"
    );
    println!(
        "{program}: {} calls before SIGTERM, all OK; {} after: {} OK, {unavailable} UNAVAILABLE; \
         exit 0 after {drained:?}",
        before.len(),
        after.len(),
        after.len() - unavailable,
    );
}

#[tokio::test]
async fn ch02_server_finishes_its_calls_and_refuses_new_ones_on_sigterm() {
    stop_under_load("ch02-server", &[], Stuck::Nothing).await;
}

#[tokio::test]
async fn ch02_server_cuts_a_call_whose_message_never_comes_at_the_grace_period() {
    stop_under_load("ch02-server", &[], Stuck::UnaryCall).await;
}

#[tokio::test]
async fn ch07_server_finishes_its_calls_and_refuses_new_ones_on_sigterm() {
    stop_under_load(
        "ch07-server",
        &["--metrics-addr", "127.0.0.1:0"],
        Stuck::Nothing,
    )
    .await;
}

#[tokio::test]
async fn ch08_server_cuts_a_watch_that_never_ends_at_the_grace_period() {
    stop_under_load("ch08-server", &[], Stuck::Watch).await;
}

/// The client side of a drain, made certain: a server that reads the call's HEADERS and
/// answers only GOAWAY (last stream 0, NO_ERROR), so the call is one it never began. Every
/// client of the workspace must report that as UNAVAILABLE, which a retry policy may retry;
/// tonic alone says INTERNAL.
#[tokio::test]
async fn a_call_the_servers_goaway_refused_is_unavailable() {
    use robustness::frames::{Frame, kind};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address").to_string();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a client");
        // The preface (24 bytes), the client's SETTINGS and the call's HEADERS: enough once
        // the client has sent a HEADERS frame's worth.
        let mut read = vec![0; 4096];
        let mut received = 0;
        while received < 100 {
            received += socket.read(&mut read[received..]).await.expect("read");
        }
        let mut answer = BytesMut::new();
        Frame::settings(&[]).encode(&mut answer);
        Frame::new(kind::SETTINGS, 1, 0, Bytes::new()).encode(&mut answer);
        // GOAWAY: last stream id 0, error code NO_ERROR (0).
        Frame::new(kind::GOAWAY, 0, 0, vec![0; 8]).encode(&mut answer);
        socket.write_all(&answer).await.expect("write");
        // Hold the connection until the client has read it all and gone.
        let _ = socket.read(&mut read).await;
    });

    let channel = ClientAddr { addr }.channel().expect("a valid address");
    let status = ProductInfoClient::new(channel)
        .get_product(ProductId { value: "1".into() })
        .await
        .expect_err("the server took no call");
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    server.await.expect("the server task");
}
