//! Chapter 4, 「gRPC: 동작 원리」 (gRPC: Under the Hood): the bytes under a call.
//!
//! 1. [`varint_and_tag`]: write protobuf's varints and tags by hand, and the book's
//!    `ProductID` with them, byte for byte as prost does.
//! 2. [`read_grpc_frame`]: read a length-prefixed gRPC message: the compressed flag, the
//!    big-endian length, and the frames a reader must refuse (short, oversized, a bad flag).
//! 3. [`status_in_trailers`]: the `grpc-status` and percent-encoded `grpc-message` of the
//!    trailers, written and read with the standard library only.
//! 4. [`add_order_field`]: add a field to `Order` without breaking the book's clients, in
//!    the `.proto` (`skeleton.proto`) and in the code that merges an old client's update.

/// Version 2 of the book's `Order`, with a `customer` field: the task folder's
/// `skeleton.proto` (or, with `--features solution`, its `solution.proto`).
#[allow(missing_docs, clippy::all)]
pub mod proto {
    tonic::include_proto!("exercises.ch04.order_v2");
}

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch04/01-varint-and-tag/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch04/01-varint-and-tag/solution.rs")]
pub mod varint_and_tag;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch04/02-read-grpc-frame/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch04/02-read-grpc-frame/solution.rs")]
pub mod read_grpc_frame;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch04/03-status-in-trailers/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch04/03-status-in-trailers/solution.rs"
)]
pub mod status_in_trailers;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch04/04-add-order-field/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch04/04-add-order-field/solution.rs")]
pub mod add_order_field;
