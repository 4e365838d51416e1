//! Prometheus metrics (book section "메트릭", Metrics), the book's go-grpc-prometheus.
//!
//! * [`grpc`]: the standard gRPC series, per service and method: calls started, calls
//!   handled by status code, messages received and sent, and handling time.
//! * [`layer`]: the tower layer that feeds them, on a server's routes or a client's channel.
//! * [`business`]: the book's own counter, `product_mgt_server_handle_count{name}`, kept by
//!   a ProductInfo that counts and then hands the call to chapter 2's service.
//! * [`exporter`]: the HTTP endpoint Prometheus scrapes, `/metrics` (port 9092 on the
//!   server, 9094 on the client, the book's ports).

pub mod business;
pub mod exporter;
pub mod grpc;
pub mod layer;

/// The book's port for the server's metrics.
pub const SERVER_METRICS_PORT: u16 = 9092;

/// The book's port for the client's metrics.
pub const CLIENT_METRICS_PORT: u16 = 9094;
