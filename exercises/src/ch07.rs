//! Chapter 7, 「서비스 수준 gRPC 실행」 (Running gRPC in Production): test, observe and trace a
//! service.
//!
//! 1. [`mock_product_info`]: test chapter 2's client against a mock of the service (the
//!    book's `gomock`), its failures and its deadline included.
//! 2. [`call_counter`]: count a server's calls per method and status code in a Prometheus
//!    counter, with a tower layer.
//! 3. [`latency_histogram`]: time every call in a Prometheus histogram, by method and status
//!    code, with buckets that suit a call on one machine.
//! 4. [`propagate_traceparent`]: keep a trace whole across a server that calls another
//!    server, by passing the W3C `traceparent` on.

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch07/01-mock-product-info/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch07/01-mock-product-info/solution.rs"
)]
pub mod mock_product_info;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch07/02-call-counter/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch07/02-call-counter/solution.rs")]
pub mod call_counter;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch07/03-latency-histogram/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch07/03-latency-histogram/solution.rs"
)]
pub mod latency_histogram;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch07/04-propagate-traceparent/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch07/04-propagate-traceparent/solution.rs"
)]
pub mod propagate_traceparent;
