//! Exercise ch06/02 · Greeter에 mTLS 적용하기 (Securing the Greeter with mutual TLS): a
//! reference solution.
//!
//! Mutual TLS adds one setting on each side to one-way TLS:
//!
//! * the server names the CA that client certificates must chain to
//!   (`ServerTlsConfig::client_ca_root`). With it, rustls asks every client for a
//!   certificate during the handshake and closes the connection unless it gets one signed by
//!   that CA: a client without one, or with one from another CA, never makes a call, and no
//!   service code runs for it. (`client_auth_optional(true)` would let certificate-less
//!   clients in, which is not what mutual TLS is for.)
//! * the client shows its certificate and proves it holds the key
//!   (`ClientTlsConfig::identity`).
//!
//! Chapter 6's `ch06_security::tls` has both: `server_tls(.., ClientCerts::Required)` and
//! `client_tls(ca, Some(identity))`.
//!
//! How the refused client sees it depends on when it notices, because TLS 1.3 lets a client
//! finish its half of the handshake before the server has checked the client's certificate:
//! `UNAVAILABLE`, `UNKNOWN` or `CANCELLED` in tonic (see `ch06-security/README.md`).

use std::future::Future;
use std::net::SocketAddr;

use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use ch06_security::Certs;
use ch06_security::tls::{ClientCerts, client_tls, server_tls};
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};

/// The name the client expects in the server's certificate.
pub const SERVER_NAME: &str = ch06_security::tls::SERVER_NAME;

/// Serves the Greeter on `listener` until `shutdown` completes, over mutual TLS: the server
/// shows the server certificate of `certs`, and lets in only clients whose certificate the
/// CA of `certs` signed.
pub async fn serve(
    listener: TcpListener,
    certs: Certs,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .tls_config(server_tls(&certs, ClientCerts::Required))?
        .add_service(GreeterServer::new(GreeterService))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown)
        .await
}

/// A channel to the Greeter at `addr` over mutual TLS: it trusts the CA of `certs` for the
/// server's certificate and shows the client certificate of `certs`. It connects on the
/// first call.
pub fn channel(addr: SocketAddr, certs: &Certs) -> Result<Channel, tonic::transport::Error> {
    let tls = client_tls(certs.ca_certificate(), Some(certs.client_identity()));
    Ok(Endpoint::from_shared(format!("https://{addr}"))?
        .tls_config(tls)?
        .connect_lazy())
}
