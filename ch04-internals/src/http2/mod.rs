//! HTTP/2를 통한 gRPC (gRPC over HTTP/2), with nothing but an HTTP/2 connection.
//!
//! * [`call`]: one call made by hand with the `h2` crate, and the [`Exchange`] it records.
//! * [`book_calls`]: the calls `ch04-raw-client` makes, a product found and one not found.
//! * [`transcript`]: an exchange written out frame by frame.
//! * [`status`]: `grpc-status` and the percent-encoded `grpc-message`.
//! * [`timeout`]: the `grpc-timeout` header.

pub mod book_calls;
pub mod call;
pub mod status;
pub mod timeout;
pub mod transcript;

pub use call::{Exchange, MessageKind, RawChannel, RawError, RawRequest};
pub use status::GrpcStatus;
