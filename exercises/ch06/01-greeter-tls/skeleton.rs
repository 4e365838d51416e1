//! Exercise ch06/01 · Greeter에 TLS 적용하기 (One-way TLS for the Greeter). The task is in
//! `README.md` beside this file; the checks are `tests/ch06_greeter_tls.rs`.
//!
//! [`serve`] runs the `helloworld.Greeter` of chapter 5's multiplexing sample
//! (`ch05_advanced::multiplexing::GreeterService`, which answers `Hello <name>`), and
//! [`channel`] makes a channel for a `GreeterClient`. Both speak plaintext HTTP/2 for now,
//! and neither uses the certificates it is given: that is the exercise.

use std::future::Future;
use std::net::SocketAddr;

use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use ch06_security::Certs;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Channel, Endpoint, Server};

/// Serves the Greeter on `listener` until `shutdown` completes, over TLS with the server
/// certificate and key of `certs`.
pub async fn serve(
    listener: TcpListener,
    _certs: Certs,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    // EXERCISE: give the server its TLS identity (`certs`) before adding the service.
    Server::builder()
        .add_service(GreeterServer::new(GreeterService))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}

/// A channel to the Greeter at `addr` over TLS, trusting servers whose certificate `ca`
/// signed. It connects on the first call.
pub fn channel(addr: SocketAddr, _ca: Certificate) -> Result<Channel, tonic::transport::Error> {
    // EXERCISE: dial `https://` and trust `ca` for the server's certificate.
    Ok(Endpoint::from_shared(format!("http://{addr}"))?.connect_lazy())
}
