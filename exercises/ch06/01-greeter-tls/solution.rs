//! Exercise ch06/01 · Greeter에 TLS 적용하기 (One-way TLS for the Greeter): a reference
//! solution.
//!
//! One-way TLS is two settings, one on each side, both from chapter 6's
//! `ch06_security::tls`:
//!
//! * the server shows a certificate (and proves it holds the key) in the handshake:
//!   `ServerTlsConfig::new().identity(..)`, here `tls::server_tls` with
//!   `ClientCerts::NotAsked`, since clients stay anonymous;
//! * the client checks that certificate against a CA it trusts, and that it names the host it
//!   meant to reach: `ClientTlsConfig::new().ca_certificate(..).domain_name(..)`, here
//!   `tls::client_tls` with no identity of its own.
//!
//! The one trap is the scheme: tonic uses TLS only for an `https://` address. Given
//! `http://` and a TLS config it speaks plaintext anyway, and the first call fails with an
//! opaque transport error.

use std::future::Future;
use std::net::SocketAddr;

use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use ch06_security::Certs;
use ch06_security::tls::{ClientCerts, client_tls, server_tls};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Channel, Endpoint, Server};

/// Serves the Greeter on `listener` until `shutdown` completes, over TLS with the server
/// certificate and key of `certs`.
///
/// A client that fails the handshake (one speaking plaintext, say) loses its connection; the
/// server goes on serving the others.
pub async fn serve(
    listener: TcpListener,
    certs: Certs,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .tls_config(server_tls(&certs, ClientCerts::NotAsked))?
        .add_service(GreeterServer::new(GreeterService))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}

/// A channel to the Greeter at `addr` over TLS, trusting servers whose certificate `ca`
/// signed. It connects on the first call.
///
/// `client_tls` expects the name `localhost` in the server's certificate whatever address is
/// dialled, as the book's clients do.
pub fn channel(addr: SocketAddr, ca: Certificate) -> Result<Channel, tonic::transport::Error> {
    Ok(Endpoint::from_shared(format!("https://{addr}"))?
        .tls_config(client_tls(ca, None))?
        .connect_lazy())
}
