//! One gRPC call made by hand over an HTTP/2 connection, and everything that crossed the wire.
//!
//! A unary call is one HTTP/2 stream: the client sends a HEADERS frame (the call), DATA
//! frames (the length-prefixed request message, the last one flagged END_STREAM), and the
//! server answers with a HEADERS frame, DATA frames (the response message) and a final
//! HEADERS frame, the trailers, flagged END_STREAM, which carries the status. A server that
//! fails before answering sends only that final frame: a Trailers-Only response.
//!
//! [`RawChannel::call`] sends what a [`RawRequest`] says, without checking it (sending
//! broken requests on purpose is half the point), and records the whole [`Exchange`].

use std::fmt;
use std::time::Duration;

use book_proto::ecommerce::{Order, Product, ProductId};
use bytes::Bytes;
use h2::client::SendRequest;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::status::{GrpcStatus, StatusError};
use super::timeout::grpc_timeout;
use crate::framing::{Deframer, FrameError, Framed, frame};
use crate::protobuf::messages::describe;
use crate::protobuf::{BookMessage, decode, encode};

/// The deadline the book's clients give a call.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// The path of ProductInfo's `addProduct`: `/<package>.<Service>/<Method>`, case-sensitive.
pub const ADD_PRODUCT: &str = "/ecommerce.ProductInfo/addProduct";
/// The path of ProductInfo's `getProduct`.
pub const GET_PRODUCT: &str = "/ecommerce.ProductInfo/getProduct";

/// Which of the book's messages travels in a direction of a call, so that a transcript can
/// decode it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `ecommerce.ProductID`.
    ProductId,
    /// `ecommerce.Product`.
    Product,
    /// `ecommerce.Order`, chapter 3's.
    Order,
}

impl MessageKind {
    /// The message decoded by hand, or why it does not decode.
    pub fn describe(self, message: &[u8]) -> String {
        match self {
            Self::ProductId => describe_as::<ProductId>(message),
            Self::Product => describe_as::<Product>(message),
            Self::Order => describe_as::<Order>(message),
        }
    }
}

fn describe_as<M: BookMessage>(message: &[u8]) -> String {
    match decode::<M>(message) {
        Ok(message) => describe(&message),
        Err(error) => format!("not a valid {}: {error}", M::NAME),
    }
}

/// What to send: the `:path`, the headers, and the DATA frames, exactly as given.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The `:path` pseudo-header.
    pub path: String,
    /// The headers after the pseudo-headers, in the order they are sent.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The payloads handed to HTTP/2, one DATA frame each (HTTP/2 splits one that is larger
    /// than the peer's maximum frame size, 16 KiB by default); the last ends the stream.
    pub data: Vec<Bytes>,
    /// What the request's messages are.
    pub sends: MessageKind,
    /// What the response's messages should be.
    pub expects: MessageKind,
}

impl RawRequest {
    /// A well-formed unary call: the gRPC headers and one length-prefixed message.
    pub fn unary(
        path: &str,
        message: &[u8],
        sends: MessageKind,
        expects: MessageKind,
    ) -> Result<Self, FrameError> {
        Ok(Self {
            path: path.to_owned(),
            headers: grpc_headers(CALL_TIMEOUT),
            data: vec![Bytes::from(frame(message)?)],
            sends,
            expects,
        })
    }

    /// `getProduct` of the product with id `id`.
    pub fn get_product(id: &str) -> Result<Self, FrameError> {
        let message = encode(&ProductId {
            value: id.to_owned(),
        });
        Self::unary(
            GET_PRODUCT,
            &message,
            MessageKind::ProductId,
            MessageKind::Product,
        )
    }

    /// `addProduct` of `product`.
    pub fn add_product(product: &Product) -> Result<Self, FrameError> {
        Self::unary(
            ADD_PRODUCT,
            &encode(product),
            MessageKind::Product,
            MessageKind::ProductId,
        )
    }
}

/// The headers of a gRPC call after the pseudo-headers, in the spec's order: the timeout
/// right after the pseudo-headers, then the call definition.
pub fn grpc_headers(timeout: Duration) -> Vec<(HeaderName, HeaderValue)> {
    let timeout = HeaderValue::from_str(&grpc_timeout(timeout))
        .expect("digits and a unit letter make a valid header value");
    vec![
        (HeaderName::from_static("grpc-timeout"), timeout),
        (
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/grpc"),
        ),
        // Required: it tells proxies that the client understands trailers, which gRPC's
        // status lives in.
        (http::header::TE, HeaderValue::from_static("trailers")),
    ]
}

/// Everything that crossed the wire in one call.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The HTTP/2 stream the call used (client streams are odd: 1, 3, 5, …).
    pub stream_id: u32,
    /// The request's headers, pseudo-headers first, as sent.
    pub request_headers: Vec<(String, HeaderValue)>,
    /// The request's DATA payloads that HTTP/2 accepted; the last ended the stream.
    pub request_data: Vec<Bytes>,
    /// What the request's messages are.
    pub sends: MessageKind,
    /// What the response's messages should be.
    pub expects: MessageKind,
    /// The response's `:status`.
    pub status: StatusCode,
    /// The response's first HEADERS frame, without `:status`.
    pub response_headers: HeaderMap,
    /// Whether that HEADERS frame ended the stream: a Trailers-Only response.
    pub trailers_only: bool,
    /// The response's DATA frames, one payload each.
    pub response_data: Vec<Bytes>,
    /// The trailers: the HEADERS frame that ended the response.
    pub trailers: Option<HeaderMap>,
    /// Why the stream ended early, if the server reset it (RST_STREAM).
    pub reset: Option<String>,
}

impl Exchange {
    /// The status the server gave: from the trailers, or from the headers of a
    /// Trailers-Only response. `None` if it gave none.
    pub fn grpc_status(&self) -> Option<Result<GrpcStatus, StatusError>> {
        match (&self.trailers, self.trailers_only) {
            (Some(trailers), _) => GrpcStatus::from_headers(trailers),
            (None, true) => GrpcStatus::from_headers(&self.response_headers),
            (None, false) => None,
        }
    }

    /// The response's messages, taken out of its DATA frames.
    pub fn response_messages(&self) -> Result<Vec<Framed>, FrameError> {
        let mut deframer = Deframer::new();
        let mut messages = Vec::new();
        for data in &self.response_data {
            deframer.push(data);
            while let Some(message) = deframer.next_message()? {
                messages.push(message);
            }
        }
        deframer.finish()?;
        Ok(messages)
    }

    /// The one response message of a unary call, decoded as `M`.
    pub fn response<M: BookMessage>(&self) -> Result<M, RawError> {
        let messages = self
            .response_messages()
            .map_err(|error| RawError::Unexpected(format!("the response framing: {error}")))?;
        match messages.as_slice() {
            [only] if !only.prefix.compressed => decode(&only.message).map_err(|error| {
                RawError::Unexpected(format!("the response is not a {}: {error}", M::NAME))
            }),
            [_] => Err(RawError::Unexpected(
                "the response message is compressed".into(),
            )),
            other => Err(RawError::Unexpected(format!(
                "{} response messages for a unary call",
                other.len()
            ))),
        }
    }
}

/// An HTTP/2 connection to a server, with nothing of gRPC on top.
#[derive(Debug, Clone)]
pub struct RawChannel {
    sender: SendRequest<Bytes>,
    authority: String,
}

impl RawChannel {
    /// Connects to `addr` (HOST:PORT) and performs the HTTP/2 handshake: the connection
    /// preface, then SETTINGS both ways. The connection is driven by a background task
    /// that ends when the last handle is dropped.
    pub async fn connect(addr: &str) -> Result<Self, RawError> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|error| RawError::Connect(addr.to_owned(), error))?;
        // Small request and response frames should go out at once, not wait for more.
        tcp.set_nodelay(true)
            .map_err(|error| RawError::Connect(addr.to_owned(), error))?;
        Self::handshake(tcp, addr).await
    }

    /// Performs the HTTP/2 handshake over a connection already made (a TLS stream, for a
    /// server that speaks only TLS), naming the server `authority` in every request.
    pub async fn handshake<T>(io: T, authority: &str) -> Result<Self, RawError>
    where
        T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let (sender, connection) = h2::client::handshake(io).await.map_err(RawError::Http2)?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "HTTP/2 connection ended");
            }
        });
        Ok(Self {
            sender,
            authority: authority.to_owned(),
        })
    }

    /// Sends `request` on a new stream and records everything until the stream ends.
    pub async fn call(&self, request: &RawRequest) -> Result<Exchange, RawError> {
        let mut sender = self.sender.clone().ready().await.map_err(RawError::Http2)?;
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(format!("http://{}{}", self.authority, request.path));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(())
            .map_err(|error| RawError::InvalidRequest(error.to_string()))?;
        let request_headers = headers_as_sent(&self.authority, request);

        let (response, mut body) = sender
            .send_request(http_request, request.data.is_empty())
            .map_err(RawError::Http2)?;
        let stream_id = u32::from(response.stream_id());
        let mut request_data = Vec::new();
        for (index, data) in request.data.iter().enumerate() {
            let last = index + 1 == request.data.len();
            // The server may answer and close the stream before the request is all sent
            // (it does, for a message over its size limit); what it said is in the response.
            if body.send_data(data.clone(), last).is_err() {
                break;
            }
            request_data.push(data.clone());
        }

        let response = response.await.map_err(RawError::Http2)?;
        let (parts, mut body) = response.into_parts();
        let trailers_only = body.is_end_stream();
        let mut response_data = Vec::new();
        let mut reset = None;
        while let Some(data) = body.data().await {
            match data {
                Ok(data) => {
                    // Give the flow-control window back, or a large response would stall.
                    let _ = body.flow_control().release_capacity(data.len());
                    response_data.push(data);
                }
                Err(error) => {
                    reset = Some(error.to_string());
                    break;
                }
            }
        }
        let trailers = match reset {
            Some(_) => None,
            None => body.trailers().await.unwrap_or_else(|error| {
                reset = Some(error.to_string());
                None
            }),
        };

        Ok(Exchange {
            stream_id,
            request_headers,
            request_data,
            sends: request.sends,
            expects: request.expects,
            status: parts.status,
            response_headers: parts.headers,
            trailers_only,
            response_data,
            trailers,
            reset,
        })
    }
}

/// The request's header block as h2 writes it: the pseudo-headers it makes from the method
/// and URI, then ours.
fn headers_as_sent(authority: &str, request: &RawRequest) -> Vec<(String, HeaderValue)> {
    let pseudo = [
        (":method", "POST"),
        (":scheme", "http"),
        (":authority", authority),
        (":path", request.path.as_str()),
    ];
    pseudo
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), HeaderValue::from_str(value).ok()?)))
        .chain(
            request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.clone())),
        )
        .collect()
}

/// Why a raw call could not be made or understood.
#[derive(Debug)]
pub enum RawError {
    /// The TCP connection to the address failed.
    Connect(String, std::io::Error),
    /// HTTP/2 failed: the handshake, or the stream was refused or reset before a response.
    Http2(h2::Error),
    /// The request could not be built (an invalid path or header).
    InvalidRequest(String),
    /// The server answered something a gRPC server should not.
    Unexpected(String),
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect(addr, error) => write!(f, "cannot connect to {addr}: {error}"),
            Self::Http2(error) => write!(f, "HTTP/2: {error}"),
            Self::InvalidRequest(error) => write!(f, "invalid request: {error}"),
            Self::Unexpected(what) => write!(f, "unexpected response: {what}"),
        }
    }
}

impl std::error::Error for RawError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Connect(_, error) => Some(error),
            Self::Http2(error) => Some(error),
            Self::InvalidRequest(_) | Self::Unexpected(_) => None,
        }
    }
}

impl From<FrameError> for RawError {
    fn from(error: FrameError) -> Self {
        Self::InvalidRequest(error.to_string())
    }
}
