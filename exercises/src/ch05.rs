//! Chapter 5, 「gRPC: 고급 기능」 (gRPC: Beyond the Basics): interceptors, metadata and rich
//! errors around chapter 3's OrderManagement service.
//!
//! 1. [`request_id_client`]: a client interceptor that gives every call an `x-request-id`.
//! 2. [`bad_request_details`]: refuse a bad order with `INVALID_ARGUMENT` and a
//!    `google.rpc.BadRequest` naming every bad field, and read it back on the client.
//! 3. [`stop_when_cancelled`]: a server-streaming search, run by a task of its own, that stops
//!    as soon as the client goes away.
//! 4. [`require_request_id`]: a server layer that refuses every call, streaming ones
//!    included, that comes without an `x-request-id`, and echoes the id back.

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch05/01-request-id-client/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch05/01-request-id-client/solution.rs"
)]
pub mod request_id_client;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch05/02-bad-request-details/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch05/02-bad-request-details/solution.rs"
)]
pub mod bad_request_details;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch05/03-stop-when-cancelled/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch05/03-stop-when-cancelled/solution.rs"
)]
pub mod stop_when_cancelled;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch05/04-require-request-id/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch05/04-require-request-id/solution.rs"
)]
pub mod require_request_id;
