//! One gRPC call made straight on HTTP/2, the way `h2load` makes it.
//!
//! A load tester must cost less than the server it measures. A full gRPC client builds,
//! encodes and decodes a message per call and routes each call through a channel's queue;
//! here the request is encoded once (the 5-byte prefix of `wire::frame` and protobuf bytes),
//! each call is one HEADERS and one DATA frame on a shared connection, and the answer is read
//! only as far as its `grpc-status` (`wire::status::code_in`). What is measured is the server,
//! not the tester.

use std::time::Duration;

use ::wire::status::code_in;
use bytes::Bytes;
use h2::client::SendRequest;
use http::{Request, StatusCode};
use prost::Message;
use tokio::net::TcpStream;
use tonic::Code;

/// Flow-control windows as large as HTTP/2 allows (h2load's defaults are as generous), so
/// that a window update never holds a call back.
const WINDOW: u32 = (1 << 31) - 1;

/// One HTTP/2 connection to the server; clones share it.
#[derive(Clone)]
pub struct Connection {
    sender: SendRequest<Bytes>,
}

impl Connection {
    /// Opens a connection to `addr` (`HOST:PORT`) and drives it in a background task.
    pub async fn open(addr: &str, timeout: Duration) -> Result<Self, String> {
        let tcp = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| format!("{addr}: no connection within {timeout:?}"))?
            .map_err(|error| format!("{addr}: {error}"))?;
        tcp.set_nodelay(true)
            .map_err(|error| format!("{addr}: {error}"))?;
        let (sender, connection) = h2::client::Builder::new()
            .initial_window_size(WINDOW)
            .initial_connection_window_size(WINDOW)
            .handshake(tcp)
            .await
            .map_err(|error| format!("{addr}: HTTP/2 handshake failed: {error}"))?;
        // The connection ends when the server goes away; every call then fails on its own.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Self { sender })
    }

    /// Sends `body` to `uri` and answers with the call's status code.
    pub async fn call(&self, uri: &http::Uri, body: &Bytes) -> Code {
        self.try_call(uri, body)
            .await
            .unwrap_or_else(|error| code_of_h2_error(&error))
    }

    async fn try_call(&self, uri: &http::Uri, body: &Bytes) -> Result<Code, h2::Error> {
        let mut sender = self.sender.clone().ready().await?;
        let request = Request::post(uri.clone())
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(())
            .expect("a POST with two fixed headers is a valid request");
        let (response, mut stream) = sender.send_request(request, false)?;
        stream.send_data(body.clone(), true)?;
        let response = response.await?;
        if response.status() != StatusCode::OK {
            return Ok(code_of_http_status(response.status()));
        }
        // A "trailers-only" answer (an error before any message) carries grpc-status here.
        if let Some(code) = code_in(response.headers()) {
            return Ok(code);
        }
        let mut body = response.into_body();
        while let Some(chunk) = body.data().await {
            let chunk = chunk?;
            let _ = body.flow_control().release_capacity(chunk.len());
        }
        let trailers = body.trailers().await?;
        Ok(trailers
            .as_ref()
            .and_then(code_in)
            .unwrap_or(Code::Internal))
    }
}

/// A message as a gRPC request body: flag 0 (not compressed), length as big-endian u32, bytes.
pub fn frame(message: &impl Message) -> Bytes {
    ::wire::frame(&message.encode_to_vec())
}

/// The gRPC spec's mapping of an HTTP status without a `grpc-status` to a code.
fn code_of_http_status(status: StatusCode) -> Code {
    match status.as_u16() {
        400 => Code::Internal,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::Unimplemented,
        429 | 502..=504 => Code::Unavailable,
        _ => Code::Unknown,
    }
}

/// A broken connection or a reset stream, as grpc-go reports them.
fn code_of_h2_error(error: &h2::Error) -> Code {
    match error.reason() {
        Some(h2::Reason::REFUSED_STREAM) => Code::Unavailable,
        Some(h2::Reason::CANCEL) => Code::Cancelled,
        Some(_) => Code::Internal,
        None => Code::Unavailable,
    }
}
