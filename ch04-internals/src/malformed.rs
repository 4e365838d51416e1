//! Requests a gRPC server must refuse, and the status the spec says it refuses them with.
//!
//! Each [`Malformed`] case breaks one rule of the wire format. A server that is robust
//! answers each with a status that names the problem (or, for a request that is not gRPC at
//! all, HTTP 415), and goes on serving other calls on the same connection.
//! `ch04-raw-client --malformed <case>` sends one; the tests send them all to `ch02-server`.

use book_proto::ecommerce::ProductId;
use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use crate::framing::{PREFIX_LEN, Prefix, frame};
use crate::http2::call::{CALL_TIMEOUT, GET_PRODUCT, MessageKind, RawRequest, grpc_headers};
use crate::http2::status::code_name;
use crate::protobuf::encode;

/// A request that breaks one rule of the gRPC wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Malformed {
    /// The prefix announces 50 bytes; 4 follow, then the stream ends.
    PrefixLongerThanData,
    /// The stream ends 3 bytes into the 5-byte prefix.
    TruncatedPrefix,
    /// The frame is whole, but the protobuf inside is cut: a string announces 10 bytes and
    /// has 2.
    TruncatedProtobuf,
    /// The compressed-flag is 1, but the call has no `grpc-encoding` header.
    CompressedWithoutEncoding,
    /// The message bytes are not protobuf: wire type 7 does not exist.
    NotProtobuf,
    /// A message one byte over the server's size limit.
    TooBig,
    /// `content-type: application/json`: not a gRPC request at all.
    WrongContentType,
    /// `:path /ecommerce.ProductInfo/GetProduct`: method names are case-sensitive.
    WrongPath,
}

/// What the spec calls for: the HTTP status and the gRPC status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// The `:status` of the response.
    pub http: u16,
    /// The `grpc-status` code.
    pub code: u32,
}

impl Malformed {
    /// Every case, in the order the tests and the tour send them.
    pub const ALL: [Self; 8] = [
        Self::PrefixLongerThanData,
        Self::TruncatedPrefix,
        Self::TruncatedProtobuf,
        Self::CompressedWithoutEncoding,
        Self::NotProtobuf,
        Self::TooBig,
        Self::WrongContentType,
        Self::WrongPath,
    ];

    /// A sentence saying what is wrong with the request.
    pub fn description(self) -> String {
        match self {
            Self::PrefixLongerThanData => {
                "a length prefix longer than the data: it announces 50 bytes, 4 follow".into()
            }
            Self::TruncatedPrefix => {
                "a truncated message: the stream ends 3 bytes into the 5-byte prefix".into()
            }
            Self::TruncatedProtobuf => {
                "a truncated protobuf: the value announces 10 bytes and has 2".into()
            }
            Self::CompressedWithoutEncoding => {
                "the compressed-flag set, with no grpc-encoding header".into()
            }
            Self::NotProtobuf => "bytes that are not protobuf: wire type 7".into(),
            Self::TooBig => format!(
                "a message of {} bytes, one over the server's limit",
                ch02_productinfo::MAX_MESSAGE_SIZE + 1
            ),
            Self::WrongContentType => "content-type: application/json".into(),
            Self::WrongPath => {
                ":path /ecommerce.ProductInfo/GetProduct (the method is getProduct)".into()
            }
        }
    }

    /// The status the gRPC spec calls for (`doc/statuscodes.md`, `PROTOCOL-HTTP2.md`,
    /// `doc/compression.md`).
    pub fn expected(self) -> Expected {
        let grpc = |code| Expected { http: 200, code };
        match self {
            // A request cut short, or not protobuf: the request cannot be parsed.
            Self::PrefixLongerThanData
            | Self::TruncatedPrefix
            | Self::TruncatedProtobuf
            | Self::NotProtobuf => grpc(13),
            // compression.md: "MUST fail with INTERNAL status".
            Self::CompressedWithoutEncoding => grpc(13),
            // "Sent or received message was larger than configured limit".
            Self::TooBig => grpc(8),
            // A non-gRPC request: HTTP 415; grpc-go adds INVALID_ARGUMENT for gRPC clients.
            Self::WrongContentType => Expected { http: 415, code: 3 },
            // "Method not found at server".
            Self::WrongPath => grpc(12),
        }
    }

    /// The request.
    pub fn request(self) -> RawRequest {
        let product_id = encode(&ProductId { value: "15".into() });
        let mut request = RawRequest {
            path: GET_PRODUCT.to_owned(),
            headers: grpc_headers(CALL_TIMEOUT),
            data: vec![],
            sends: MessageKind::ProductId,
            expects: MessageKind::Product,
        };
        let data = match self {
            Self::PrefixLongerThanData => {
                let mut data = prefix(false, 50).to_vec();
                data.extend_from_slice(&product_id);
                data
            }
            Self::TruncatedPrefix => prefix(false, 4)[..3].to_vec(),
            Self::TruncatedProtobuf => framed(&[0x0a, 0x0a, b'1', b'5']),
            Self::CompressedWithoutEncoding => {
                let mut data = prefix(true, product_id.len()).to_vec();
                data.extend_from_slice(&product_id);
                data
            }
            Self::NotProtobuf => framed(&[0x0f, 0x01, 0x02, 0x03]),
            Self::TooBig => framed(&oversized_product_id()),
            Self::WrongContentType => {
                set_header(&mut request, http::header::CONTENT_TYPE, "application/json");
                framed(&product_id)
            }
            Self::WrongPath => {
                request.path = "/ecommerce.ProductInfo/GetProduct".into();
                framed(&product_id)
            }
        };
        request.data = vec![Bytes::from(data)];
        request
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.http != 200 {
            write!(f, "HTTP {}, ", self.http)?;
        }
        write!(f, "{} ({})", code_name(self.code), self.code)
    }
}

fn prefix(compressed: bool, length: usize) -> [u8; PREFIX_LEN] {
    Prefix {
        compressed,
        length: u32::try_from(length).expect("the cases' messages are small"),
    }
    .to_bytes()
}

fn framed(message: &[u8]) -> Vec<u8> {
    frame(message).expect("the cases' messages are small")
}

/// A ProductID whose encoding is one byte longer than the server accepts.
fn oversized_product_id() -> Vec<u8> {
    let limit = ch02_productinfo::MAX_MESSAGE_SIZE;
    // Tag (1 byte) + length varint (4 bytes for a length in the millions) + the value.
    let value = "x".repeat(limit + 1 - 5);
    let encoded = encode(&ProductId { value });
    debug_assert_eq!(encoded.len(), limit + 1);
    encoded
}

fn set_header(request: &mut RawRequest, name: HeaderName, value: &'static str) {
    for (header, header_value) in &mut request.headers {
        if *header == name {
            *header_value = HeaderValue::from_static(value);
        }
    }
}
