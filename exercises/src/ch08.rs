//! Chapter 8, 「gRPC 생태계」 (The gRPC Ecosystem): middleware and health checking around a
//! server.
//!
//! 1. [`served_by_header`]: a tower layer that names the server in an `x-served-by` header
//!    on every answer, errors included.
//! 2. [`drain_health`]: health checking that says NOT_SERVING while the server is drained,
//!    with tonic-health's reporter, and watchers that see it change.
//! 3. [`gateway_errors`]: a JSON gateway's answer to a failed call, with grpc-gateway's HTTP
//!    status for each gRPC code and its `{"code", "message", "details"}` body.
//! 4. [`panic_recovery`]: a layer that turns a handler's panic into an INTERNAL status, so
//!    the layers above see it and the server keeps serving.

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch08/01-served-by-header/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch08/01-served-by-header/solution.rs")]
pub mod served_by_header;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch08/02-drain-health/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch08/02-drain-health/solution.rs")]
pub mod drain_health;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch08/03-gateway-errors/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch08/03-gateway-errors/solution.rs")]
pub mod gateway_errors;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch08/04-panic-recovery/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch08/04-panic-recovery/solution.rs")]
pub mod panic_recovery;
