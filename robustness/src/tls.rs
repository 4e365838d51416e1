//! TLS by hand, for the attacks on `ch06-server`, which speaks nothing else.
//!
//! The raw clients ([`RawChannel`](ch04_internals::http2::RawChannel),
//! [`RawConnection`](crate::frames::RawConnection)) write HTTP/2 over any byte stream; this
//! makes the stream a TLS one that trusts the chapter's CA, offers `h2` by ALPN as gRPC
//! clients do, and shows the client certificate when the server asks for one (mutual TLS).

use std::io;
use std::sync::Arc;

use ch06_security::certs::Certs;
use rustls::ClientConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// The name in the server's certificate, as the book's clients expect it.
const SERVER_NAME: &str = ch06_security::tls::SERVER_NAME;

/// Makes TLS connections to a `ch06-server` whose certificates are `certs`.
#[derive(Clone)]
pub struct TlsClient {
    connector: TlsConnector,
}

impl TlsClient {
    /// A client trusting the CA of `certs`, showing its client certificate if `mutual`.
    ///
    /// # Panics
    ///
    /// When the PEM text of `certs` does not parse.
    pub fn new(certs: &Certs, mutual: bool) -> Self {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(certs.ca_cert.as_bytes()).expect("the CA's PEM"))
            .expect("a CA certificate");
        let builder =
            ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("the provider's protocol versions")
                .with_root_certificates(roots);
        let mut config = if mutual {
            let chain = vec![
                CertificateDer::from_pem_slice(certs.client_cert.as_bytes())
                    .expect("the client certificate's PEM"),
            ];
            let key = PrivateKeyDer::from_pem_slice(certs.client_key.as_bytes())
                .expect("the client key's PEM");
            builder
                .with_client_auth_cert(chain, key)
                .expect("a client certificate and its key")
        } else {
            builder.with_no_client_auth()
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        Self {
            connector: TlsConnector::from(Arc::new(config)),
        }
    }

    /// A TLS connection to `addr`, handshake done.
    pub async fn connect(&self, addr: &str) -> io::Result<TlsStream<TcpStream>> {
        let tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let name = ServerName::try_from(SERVER_NAME).map_err(io::Error::other)?;
        self.connector.connect(name, tcp).await
    }
}
