//! Chapter 7, 「서비스 수준 gRPC 실행」 (Running gRPC in Production): testing and load testing.
//!
//! The book's chapter 7 is about what happens around a service once it is written: tests that
//! run it without a network, a load test that tells how much it takes, and the tools that run
//! and watch it in production. This crate keeps to the first two, on chapter 2's ProductInfo
//! service and client flow, reused as they are, and to the metrics Prometheus scrapes from
//! them.
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
//! * [`server`] and [`client`]: chapter 2's service and client flow with those metrics.
//! * `src/bin/ch07-loadtest.rs`: the load tester's command line.
//! * `src/bin/ch07-server.rs`, `src/bin/ch07-client.rs`: the metered server (metrics on
//!   port 9092) and client (port 9094).

pub mod client;
pub mod loadtest;
pub mod metrics;
pub mod server;
