//! Chapter 7, 「서비스 수준 gRPC 실행」 (Running gRPC in Production).
//!
//! The book's chapter 7 is about what happens around a service once it is written: tests that
//! run it without a network, a load test that tells how much it takes, a container and the
//! Kubernetes objects that run it, and the metrics, traces and logs that show how it is
//! doing. Everything here works on chapter 2's ProductInfo service and client flow, reused as
//! they are.
//!
//! What lives where:
//!
//! * `tests/testing.rs`: the book's "gRPC 애플리케이션 테스트" (Testing gRPC Applications), three
//!   tests a reader can copy: the server over an in-memory transport (grpc-go's `bufconn`),
//!   the server over a real TCP listener, and the client against a mock of the service
//!   (the book's `gomock`).
//! * [`loadtest`]: the counterpart of the book's `ghz`: many concurrent calls over a few
//!   connections, latencies in an HDR histogram, a summary like ghz's or JSON.
//! * [`metrics`]: Prometheus metrics, the standard gRPC series as a tower layer plus the
//!   book's business counter, and the `/metrics` endpoint.
//! * [`telemetry`]: OpenTelemetry spans on both sides, joined by the W3C trace context in
//!   the calls' metadata, exported over OTLP or written to the log.
//! * [`server`] and [`client`]: chapter 2's service and client flow with all of the above,
//!   and [`cli`], their command lines.
//! * [`balancing`]: the client balancing its rounds over every pod of a headless Service
//!   (`--addr dns:///productinfo-headless:50051 --lb round_robin`), reusing chapter 5's
//!   balancer; beyond the book.
//! * `deploy/`: the Dockerfile and the Kubernetes manifests (`tests/deploy.rs` checks that
//!   they agree with the code).
//! * Binaries: `ch07-server` (gRPC on 50051, metrics on 9092), `ch07-client` (metrics on
//!   9094) and `ch07-loadtest`.
//!
//! The metrics and span layers and the load tester read calls off the wire (message
//! prefixes, `grpc-status` and `grpc-message`) with the `wire` crate, shared with the
//! conformance layer every server runs and the client guard.

pub mod balancing;
pub mod cli;
pub mod client;
pub mod loadtest;
pub mod metrics;
pub mod server;
pub mod telemetry;
