//! Chapter 8, 「gRPC 생태계」 (The gRPC Ecosystem): the tools that grow around a gRPC server.
//!
//! A gRPC server speaks a binary protocol; tools that did not compile its `.proto` files
//! still need to find their way around it. This chapter adds, next to chapter 2's
//! ProductInfo service (reused, not copied), the standard services that make that possible:
//!
//! * [`reflection`]: server reflection (「서버 리플렉션」), in both the current
//!   `grpc.reflection.v1` and the older `grpc.reflection.v1alpha` that tools such as
//!   `grpc_cli` and many `grpcurl` builds still speak. A client asks the server which
//!   services it has and receives their descriptors.
//! * [`health`]: the standard health checking protocol, `grpc.health.v1.Health`, tied to the
//!   server's real state: SERVING while it serves, NOT_SERVING from the moment it is asked
//!   to shut down.
//! * [`probe`]: the counterpart of `grpc_health_probe`, the command line check used by
//!   Kubernetes exec probes, with its flags and exit codes.
//! * [`gateway`]: the REST gateway, HTTP/JSON to gRPC, with routes read from the
//!   `google.api.http` options in `product_info.proto` and an OpenAPI document.
//! * [`middleware`]: a server built from a chain of tower layers (logging, metrics, auth,
//!   timeouts, panic recovery) and the order they run in. The layers are tower's and
//!   tower-http's where those crates have them; only what they leave out is written here
//!   (counting calls by gRPC status, a constant-time token check, gRPC answers, and keeping a
//!   caught panic off stderr).
//! * [`product_info`]: chapter 2's ProductInfo (reused, not copied) spoken in chapter 8's
//!   proto, where the id is a `google.protobuf.StringValue`, as the book's chapter 8 has it.
//! * [`serve`]: ProductInfo with reflection and health on one server.
//! * [`web`]: ProductInfo and chapter 3's OrderManagement over gRPC-Web, with a page that
//!   calls them from the browser.
//!
//! Binaries: `ch08-server` (the server above), `ch08-gateway` (the REST gateway on port
//! 8081), `ch08-health-probe` (the probe) and
//! `ch08-middleware-server` (ProductInfo behind the layer chain) and `ch08-web` (the
//! gRPC-Web page on port 8080).

pub mod gateway;
pub mod health;
pub mod middleware;
pub mod probe;
pub mod product_info;
pub mod reflection;
pub mod web;

use std::future::Future;

use tokio::net::TcpListener;

/// Serves ProductInfo, server reflection (v1 and v1alpha) and health on `listener` until
/// `shutdown` completes.
///
/// Health starts as SERVING for the whole server (`""`) and for `ecommerce.ProductInfo`.
/// When `shutdown` completes, both turn NOT_SERVING first, so watchers and load balancers
/// learn it before the server stops taking calls; then the server drains. An open `Watch`
/// never ends on its own, so a drain with a watcher waits for ever: `ch08-server` runs this
/// through `common::server::run`, which cuts the drain after `common::server::DRAIN_TIMEOUT`.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let (health, health_service) = health::ServerHealth::serving().await;
    let (reflection_v1, reflection_v1alpha) = reflection::services();
    let stop_serving = async move {
        shutdown.await;
        health.shutting_down().await;
    };

    common::server::builder()
        .add_service(product_info::server())
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .serve_with_incoming_shutdown(common::server::incoming(listener), stop_serving)
        .await
}
