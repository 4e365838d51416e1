//! PINGs on the wire, a dead peer found by them, and the book's timeout.
//!
//! The keepalive tests speak HTTP/2 by hand over a raw TCP socket, to see the frames: every
//! frame starts with 9 bytes, a 24-bit payload length, a type, flags and a 31-bit stream id.
//! A PING (type 6) carries 8 bytes that the peer sends back with the ACK flag.

use std::time::Duration;

use ch03_patterns::client::{Client, order_101};
use ch05_advanced::keepalive::{
    CLIENT_KEEPALIVE, Keepalive, SERVER_KEEPALIVE, book_flow, endpoint, serve,
};
use common::local::LocalServer;
use common::status::RpcError;
use test_support::process::ServerProcess;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::Command;
use tonic::Code;

type Server = LocalServer<tonic::transport::Error>;

/// The longest any single wait in these tests may take.
const WAIT: Duration = Duration::from_secs(20);

const SETTINGS: u8 = 4;
const PING: u8 = 6;
const GOAWAY: u8 = 7;
const ACK: u8 = 1;
const CLIENT_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

#[derive(Debug)]
struct Frame {
    kind: u8,
    flags: u8,
    stream: u32,
    payload: Vec<u8>,
}

/// The next frame, or `None` once the peer has closed the connection.
async fn read_frame(socket: &mut TcpStream) -> Option<Frame> {
    let read = async {
        let mut header = [0; 9];
        socket.read_exact(&mut header).await.ok()?;
        let [l0, l1, l2, kind, flags, s0, s1, s2, s3] = header;
        let length = u32::from_be_bytes([0, l0, l1, l2]);
        let mut payload = vec![0; usize::try_from(length).expect("24 bits fit")];
        socket.read_exact(&mut payload).await.ok()?;
        Some(Frame {
            kind,
            flags,
            stream: u32::from_be_bytes([s0 & 0x7f, s1, s2, s3]),
            payload,
        })
    };
    tokio::time::timeout(WAIT, read)
        .await
        .expect("a frame or the end of the connection in time")
}

async fn write_frame(socket: &mut TcpStream, kind: u8, flags: u8, payload: &[u8]) {
    let length = u32::try_from(payload.len())
        .expect("a small frame")
        .to_be_bytes();
    let mut frame = vec![length[1], length[2], length[3], kind, flags, 0, 0, 0, 0];
    frame.extend_from_slice(payload);
    socket.write_all(&frame).await.expect("write a frame");
}

/// Reads frames until a PING that is not an ACK, acknowledging SETTINGS on the way as any
/// HTTP/2 peer must. Whether the PING gets its ACK is the caller's choice.
async fn next_ping(socket: &mut TcpStream) -> Frame {
    loop {
        let frame = read_frame(socket)
            .await
            .expect("a PING before the connection ends");
        match (frame.kind, frame.flags & ACK) {
            (PING, 0) => return frame,
            (SETTINGS, 0) => write_frame(socket, SETTINGS, ACK, &[]).await,
            _ => {}
        }
    }
}

/// A raw HTTP/2 client connection to `server`, past the connection preface.
async fn raw_client(server: &Server) -> TcpStream {
    let mut socket = TcpStream::connect(server.addr()).await.expect("connect");
    socket
        .write_all(CLIENT_PREFACE)
        .await
        .expect("write the preface");
    write_frame(&mut socket, SETTINGS, 0, &[]).await;
    socket
}

async fn start(keepalive: Keepalive) -> Server {
    LocalServer::start(move |listener, shutdown| serve(listener, keepalive, shutdown.wait()))
        .await
        .expect("bind a loopback port")
}

// ---- The server pings ------------------------------------------------------------------------

#[tokio::test]
async fn the_server_closes_a_connection_whose_ping_goes_unanswered() {
    let server = start(Keepalive {
        interval: Duration::from_millis(100),
        timeout: Duration::from_millis(100),
        while_idle: true,
    })
    .await;
    let mut socket = raw_client(&server).await;

    let ping = next_ping(&mut socket).await;
    assert_eq!(ping.stream, 0, "a PING belongs to the connection");
    assert_eq!(ping.payload.len(), 8);

    // No ACK: to the server this peer is dead. It says goodbye and closes the connection.
    let mut frames = Vec::new();
    while let Some(frame) = read_frame(&mut socket).await {
        frames.push(frame);
    }
    let goaway = frames
        .iter()
        .find(|frame| frame.kind == GOAWAY)
        .expect("a GOAWAY before the close");
    assert_eq!(goaway.payload[4..8], [0, 0, 0, 0], "error code NO_ERROR");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_server_keeps_a_connection_whose_pings_are_answered() {
    // A timeout far longer than any wait here: only a missing ACK could close the connection.
    let server = start(Keepalive {
        interval: Duration::from_millis(100),
        timeout: WAIT * 2,
        while_idle: true,
    })
    .await;
    let mut socket = raw_client(&server).await;

    for _ in 0..3 {
        let ping = next_ping(&mut socket).await;
        write_frame(&mut socket, PING, ACK, &ping.payload).await;
    }
    // A graceful stop waits for the client to go; this one goes now.
    drop(socket);
    server.stop().await.expect("clean stop");
}

// ---- The client pings ------------------------------------------------------------------------

/// A peer that accepts one connection, speaks just enough HTTP/2 to be connected to, and then
/// answers nothing: no responses, no PING ACKs.
struct SilentServer {
    listener: TcpListener,
}

impl SilentServer {
    async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Self { listener }
    }

    fn addr(&self) -> String {
        self.listener.local_addr().expect("local addr").to_string()
    }

    /// Accepts the client, sends the server's SETTINGS, and returns the socket.
    async fn accept(&self) -> TcpStream {
        let (mut socket, _) = tokio::time::timeout(WAIT, self.listener.accept())
            .await
            .expect("the client connects in time")
            .expect("accept");
        let mut preface = [0; CLIENT_PREFACE.len()];
        socket
            .read_exact(&mut preface)
            .await
            .expect("read the preface");
        assert_eq!(preface, CLIENT_PREFACE);
        write_frame(&mut socket, SETTINGS, 0, &[]).await;
        socket
    }
}

fn quick_client_keepalive() -> Keepalive {
    Keepalive {
        interval: Duration::from_millis(100),
        timeout: Duration::from_millis(100),
        while_idle: true,
    }
}

#[tokio::test]
async fn an_idle_client_connection_pings_too() {
    let server = SilentServer::bind().await;
    let client = endpoint(&server.addr(), quick_client_keepalive()).expect("a valid address");
    let connecting = tokio::spawn(async move { client.connect().await });
    let mut socket = server.accept().await;
    let _channel: tonic::transport::Channel = connecting
        .await
        .expect("the connect task")
        .expect("connected");

    let ping = next_ping(&mut socket).await;
    assert_eq!(ping.stream, 0);
}

#[tokio::test]
async fn a_call_to_a_peer_that_stopped_answering_fails_as_unavailable() {
    let server = SilentServer::bind().await;
    let channel = endpoint(&server.addr(), quick_client_keepalive())
        .expect("a valid address")
        .connect_lazy()
        .into();
    // No deadline: without keepalive this call would wait forever.
    let call = tokio::spawn(async move { Client::new(channel).add_order(order_101()).await });

    let mut socket = server.accept().await;
    next_ping(&mut socket).await;
    let status = tokio::time::timeout(WAIT, call)
        .await
        .expect("the call ends in time")
        .expect("the call task")
        .expect_err("nobody answered");
    assert_eq!(status.code(), Code::Unavailable, "{status:?}");
    let printed = RpcError(&status).to_string();
    assert!(printed.ends_with("timed out"), "{printed}");
}

// ---- The book's timeout ----------------------------------------------------------------------

#[tokio::test]
async fn the_book_flow_reports_deadline_exceeded() {
    let server = start(SERVER_KEEPALIVE).await;
    let channel = endpoint(&server.addr().to_string(), CLIENT_KEEPALIVE)
        .expect("a valid address")
        .connect_lazy()
        .into();
    let mut lines = Vec::new();
    book_flow(channel, |line| lines.push(line)).await;
    assert_eq!(lines, ["Error Occured -> addOrder : , DeadlineExceeded:"]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binaries_show_the_slow_call_and_the_timeout() {
    let mut server =
        ServerProcess::spawn(env!("CARGO_BIN_EXE_ch05-keepalive-server"), [] as [&str; 0]).await;
    let addr = server.addr().to_owned();

    let output = Command::new(env!("CARGO_BIN_EXE_ch05-keepalive-client"))
        .args(["--addr", &addr])
        .output()
        .await
        .expect("run ch05-keepalive-client");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
    assert_eq!(stdout, "Error Occured -> addOrder : , DeadlineExceeded:\n");

    let sleeping = server.next_line().await;
    assert!(sleeping.ends_with("Sleeping for : 5 s"), "{sleeping}");
    server.terminate().await;
}
