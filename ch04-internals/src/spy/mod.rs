//! The spy: a proxy that shows the HTTP/2 frames of every call that passes through it.
//!
//! [`serve`] accepts connections, opens one to the upstream server for each, and copies the
//! bytes both ways unchanged. A copy of each chunk goes to the connection's reader
//! ([`frames::Connection`]), which cuts it into frames, and each frame is printed
//! ([`print::Format`]) as soon as it is whole. Since the bytes pass untouched, the spy works
//! with any client and server that speak HTTP/2 in plaintext (h2c): tonic, grpc-go, grpcio.
//! A connection it cannot read (TLS, say) still works; the spy only says so.

pub mod frames;
pub mod print;

use std::io::Write;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use frames::{Connection, Direction};
use print::Format;

/// How much one read takes at most.
const CHUNK: usize = 16 * 1024;

/// Accepts connections on `listener` and relays each to `upstream`, printing its frames to
/// stdout in `format`. Runs until accepting fails.
pub async fn serve(listener: TcpListener, upstream: String, format: Format) -> std::io::Result<()> {
    let mut next_id = 1;
    loop {
        let (client, peer) = listener.accept().await?;
        let id = next_id;
        next_id += 1;
        tracing::info!("connection {id} from {peer}");
        let upstream = upstream.clone();
        tokio::spawn(relay(id, client, upstream, format));
    }
}

/// One connection: copy both ways, and read the copies in order of arrival.
async fn relay(id: u64, client: TcpStream, upstream: String, format: Format) {
    let server = match TcpStream::connect(&upstream).await {
        Ok(server) => server,
        Err(error) => {
            tracing::warn!("connection {id}: cannot reach {upstream}: {error}");
            return;
        }
    };
    // One channel for both directions: the reader sees the chunks in the order the spy
    // forwarded them, so a response never prints before the request that caused it.
    let (sender, receiver) = mpsc::unbounded_channel();
    let printer = tokio::spawn(print_frames(id, receiver, format));
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::join!(
        pump(
            client_read,
            server_write,
            Direction::ToServer,
            sender.clone()
        ),
        pump(server_read, client_write, Direction::ToClient, sender),
    );
    // Both pumps are done and their senders dropped, so the printer ends after the last frame.
    let _ = printer.await;
    tracing::info!("connection {id} closed");
}

/// Copies `from` to `to` until either end closes, sending a copy of each chunk to the reader.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    direction: Direction,
    copies: mpsc::UnboundedSender<(Direction, Vec<u8>)>,
) {
    let mut buffer = vec![0; CHUNK];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if to.write_all(&buffer[..read]).await.is_err() {
            break;
        }
        // The printer only stops when both pumps have; a failed send cannot happen before.
        let _ = copies.send((direction, buffer[..read].to_vec()));
    }
    // Pass the end on, so the other side sees the close as it would without the spy.
    let _ = to.shutdown().await;
}

/// Reads the copies of one connection and prints each frame as it completes.
async fn print_frames(
    id: u64,
    mut copies: mpsc::UnboundedReceiver<(Direction, Vec<u8>)>,
    format: Format,
) {
    let mut connection = Connection::new();
    while let Some((direction, bytes)) = copies.recv().await {
        let text: String = connection
            .push(direction, &bytes)
            .iter()
            .map(|frame| format.render(id, frame))
            .collect();
        // One write per chunk keeps each frame's lines together when connections interleave;
        // a closed stdout leaves the proxy copying without printing.
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }
}
