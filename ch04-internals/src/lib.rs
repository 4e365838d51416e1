//! Chapter 4, 「gRPC: 동작 원리」 (gRPC: Under the Hood): what a call looks like on the wire.
//!
//! The book follows one `getProduct` call down the stack: the client stub turns the
//! `ProductID` into protobuf bytes, puts them behind a five-byte length prefix, and sends
//! them as the DATA of an HTTP/2 stream whose HEADERS name the method; the server answers with
//! HEADERS, DATA and a final HEADERS frame, the trailers, that carry the status. The book has
//! no code for this chapter. Here every layer is done by hand, printed byte by byte, and
//! checked against the real thing (prost, tonic, `ch02-server`):
//!
//! * [`protobuf`]: 프로토콜 버퍼를 사용한 메시지 인코딩 (message encoding): varints, tags
//!   and wire types; a hand-written encoder and decoder for the book's `ProductID`,
//!   `Product` and `Order`, proved against prost by property tests.
//! * [`framing`]: 길이-접두사 지정 메시지 프레이밍 (length-prefixed framing): the compressed
//!   flag, the big-endian length, and a deframer for bytes that arrive in any pieces.
//! * [`http2`]: HTTP/2를 통한 gRPC (gRPC over HTTP/2): a client made of nothing but the `h2`
//!   crate that sends the request headers and frames itself and records every frame of the
//!   answer, including the Trailers-Only form and the percent-encoded `grpc-message`.
//! * [`malformed`]: the requests a server must refuse, and the status the spec calls for;
//!   every server answers each one correctly (see `wire::conformance`).
//! * [`spy`]: a proxy that prints the HTTP/2 frames of any plaintext call passing through it.
//! * [`listing`], [`hex`], [`book`]: the byte-by-byte listings, and the book's example
//!   messages they explain.
//!
//! The binaries:
//!
//! * `ch04-encode`: explains the encoding of the book's messages, or of one given on the
//!   command line (`--product-id 15`).
//! * `ch04-raw-client`: calls `ch02-server` over raw HTTP/2 and prints every frame
//!   (`--malformed <case>` sends a request the server must refuse).
//! * `ch04-spy`: sits between any client and server and prints every frame both ways.

pub mod book;
pub mod framing;
pub mod hex;
pub mod http2;
pub mod listing;
pub mod malformed;
pub mod protobuf;
pub mod spy;
