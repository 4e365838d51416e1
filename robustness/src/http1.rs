//! HTTP/1.1 requests written byte by byte, for the servers that speak it: chapter 8's REST
//! gateway and chapter 7's `/metrics`.
//!
//! An HTTP library would refuse to send most of what the gateway must survive: a path that is
//! not UTF-8, a body larger than the server takes, a request line no parser accepts. Here a
//! request is the bytes a test gives, and the answer is read as it comes: the status, the
//! headers and the body, even when the server answers before the body is sent and closes the
//! connection under the client (as a server that refuses a 10 MiB upload does).

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for a whole answer.
const ANSWER_WAIT: Duration = Duration::from_secs(30);

/// A server's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status code, e.g. 404.
    pub status: u16,
    /// The header fields, names lower-cased, in the order they came.
    pub headers: Vec<(String, String)>,
    /// The body: `Content-Length` bytes, or all the server sent when it gave no length.
    pub body: Vec<u8>,
}

impl Answer {
    /// The value of header `name` (lower case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The head of a request with `Connection: close`: the request line (whose `path` may hold
/// any bytes), `Host`, a JSON content type, and `Content-Length` when `length` is given
/// (`None`: the caller sends `Transfer-Encoding` itself in `extra`, or no body).
pub fn head(method: &str, path: &[u8], length: Option<usize>, extra: &[&str]) -> Vec<u8> {
    let mut head = Vec::new();
    head.extend_from_slice(method.as_bytes());
    head.push(b' ');
    head.extend_from_slice(path);
    head.extend_from_slice(
        b" HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\nconnection: close\r\n",
    );
    if let Some(length) = length {
        head.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
    }
    for field in extra {
        head.extend_from_slice(field.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// `body` in chunked transfer coding, in chunks of 64 KiB.
pub fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 1024 + 16);
    for chunk in body.chunks(64 * 1024) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Sends `request` (head and body, as bytes) on a new connection and reads the answer.
///
/// The request is written while the answer is read: a server may answer a request it refuses
/// before reading its body, and stop reading. Errors writing are therefore ignored, and a
/// connection reset after the answer arrived ends the answer rather than failing it.
///
/// # Panics
///
/// When the server cannot be reached, sends no complete status line, or takes longer than 30 s.
pub async fn send(addr: &str, request: Vec<u8>) -> Answer {
    let socket = TcpStream::connect(addr)
        .await
        .unwrap_or_else(|error| panic!("cannot connect to {addr}: {error}"));
    let (mut reader, mut writer) = socket.into_split();
    let writing = tokio::spawn(async move {
        // The server may close before it has read everything: that is its answer, not an error.
        let _ = writer.write_all(&request).await;
        let _ = writer.flush().await;
        writer
    });
    let mut received = Vec::new();
    let read = async {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) => return,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
                Err(error) if error.kind() == io::ErrorKind::ConnectionReset => return,
                Err(error) => panic!("reading the answer from {addr}: {error}"),
            }
        }
    };
    tokio::time::timeout(ANSWER_WAIT, read)
        .await
        .unwrap_or_else(|_| panic!("{addr} did not answer and close within {ANSWER_WAIT:?}"));
    // Keep the writing half until the answer is read: dropping it would half-close the socket.
    drop(writing.await);
    parse(&received).unwrap_or_else(|| {
        panic!(
            "not an HTTP/1.1 answer: {:?}",
            String::from_utf8_lossy(&received)
        )
    })
}

/// A one-shot request with a JSON `body` (empty for none); the status code and the body.
///
/// # Panics
///
/// As [`send`].
pub async fn call(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut request = head(method, path.as_bytes(), Some(body.len()), &[]);
    request.extend_from_slice(body.as_bytes());
    let answer = send(addr, request).await;
    (answer.status, answer.text())
}

/// The status line, the headers and the body of `bytes`; `None` when the head is incomplete.
fn parse(bytes: &[u8]) -> Option<Answer> {
    let end = bytes.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(rest.len());
    Some(Answer {
        status,
        headers,
        body: rest.get(..length)?.to_vec(),
    })
}

/// The book's two `curl` commands against the REST gateway at `addr`: adds the book's Apple
/// iPhone with `POST /v1/product`, checks that the id comes back as a bare JSON string (the
/// chapter 8 proto's `StringValue`), and reads the product back with `GET /v1/product/{id}`.
///
/// # Panics
///
/// When either answer is not what the book shows.
pub async fn book_curls(addr: &str) {
    let (code, body) = call(
        addr,
        "POST",
        "/v1/product",
        r#"{"name": "Apple", "description": "iphone7", "price": 699}"#,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let id: String = serde_json::from_str(&body)
        .unwrap_or_else(|_| panic!("the id is not a bare JSON string: {body}"));
    let (code, product) = call(addr, "GET", &format!("/v1/product/{id}"), "").await;
    assert_eq!(code, 200, "{product}");
    assert!(product.contains(r#""name":"Apple""#), "{product}");
}
