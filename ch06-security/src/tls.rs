//! Authenticating the channel with TLS (book section "TLS를 사용한 gRPC 채널 인증").
//!
//! One-way TLS ("단방향 보안 연결 활성화"): the server proves who it is with a certificate
//! the client checks against a CA it trusts, and everything on the connection is encrypted.
//! The client stays anonymous at this level.
//!
//! Mutual TLS ("mTLS 보안 연결 활성화"): the server also asks for a certificate, and closes
//! the handshake unless the client shows one signed by the CA the server trusts. Only clients
//! holding such a certificate and its key get to make any call at all.
//!
//! tonic does TLS with rustls (the `tls-ring` feature). Two things differ from Go: rustls
//! checks the server's name only against the certificate's subject alternative names (see
//! [`crate::certs`]), and a client uses TLS only for an `https://` address (see
//! [`crate::client`]).

use tonic::transport::{Certificate, ClientTlsConfig, Identity, ServerTlsConfig};

use crate::certs::Certs;

/// The name the client expects in the server's certificate, whatever address it dials: the
/// book's `localhost`.
pub const SERVER_NAME: &str = "localhost";

/// Whether the server asks clients for a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCerts {
    /// One-way TLS: clients stay anonymous.
    NotAsked,
    /// Mutual TLS: a client without a certificate signed by the CA cannot connect.
    Required,
}

/// The server's side of the handshake: its certificate and, for mutual TLS, the CA that
/// client certificates must chain to.
pub fn server_tls(certs: &Certs, client_certs: ClientCerts) -> ServerTlsConfig {
    let config = ServerTlsConfig::new().identity(certs.server_identity());
    match client_certs {
        ClientCerts::NotAsked => config,
        // With a client CA set, tonic requires a client certificate unless told
        // `client_auth_optional(true)` (what the book's Java server does, by mistake).
        ClientCerts::Required => config.client_ca_root(certs.ca_certificate()),
    }
}

/// The client's side: the CA it trusts to sign the server's certificate, the server name it
/// expects, and, for mutual TLS, its own certificate.
pub fn client_tls(trusted_ca: Certificate, identity: Option<Identity>) -> ClientTlsConfig {
    let config = ClientTlsConfig::new()
        .ca_certificate(trusted_ca)
        .domain_name(SERVER_NAME);
    match identity {
        Some(identity) => config.identity(identity),
        None => config,
    }
}
