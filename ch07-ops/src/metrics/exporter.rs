//! The endpoint Prometheus scrapes: `GET /metrics` answers the registry in the text format.
//!
//! Prometheus only ever sends a plain HTTP/1.1 GET, so a few lines over a TCP listener do
//! what the book's `promhttp` handler does, without an HTTP server framework.

use std::future::Future;

use prometheus::{Encoder as _, Registry, TextEncoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves `registry` at `/metrics` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, registry: Registry, shutdown: impl Future<Output = ()>) {
    let accept = async {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    tokio::spawn(answer(stream, registry.clone()));
                }
                Err(error) => tracing::warn!("metrics endpoint: {error}"),
            }
        }
    };
    tokio::select! {
        () = accept => {}
        () = shutdown => {}
    }
}

/// The registry's series in Prometheus' text format: what a scrape answers.
pub fn render(registry: &Registry) -> prometheus::Result<String> {
    TextEncoder::new().encode_to_string(&registry.gather())
}

/// Reads one request head and answers it, then closes the connection.
async fn answer(mut stream: TcpStream, registry: Registry) {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 8192 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let request_line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let response = if request_line.starts_with(b"GET /metrics ") {
        match render(&registry) {
            Ok(body) => http_response("200 OK", TextEncoder::new().format_type(), body.as_bytes()),
            Err(error) => http_response(
                "500 Internal Server Error",
                "text/plain",
                error.to_string().as_bytes(),
            ),
        }
    } else {
        http_response("404 Not Found", "text/plain", b"metrics are at /metrics\n")
    };
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}
