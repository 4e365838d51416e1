//! The client's channel: a transport (plaintext, TLS or mutual TLS) and call credentials.
//!
//! The book's Go clients pass both to `grpc.Dial`: `WithTransportCredentials` for TLS and
//! `WithPerRPCCredentials` for the `authorization` header. [`channel`] takes the same two
//! things and gives a channel that any generated client (`ProductInfoClient`,
//! `OrderManagementClient`) runs on.
//!
//! Two tonic details matter here. TLS is used only for an `https://` address: given
//! `http://`, tonic would quietly speak plaintext to a TLS server, which fails with an opaque
//! transport error. And tonic has no notion of credentials that need a secure transport, so
//! [`channel`] enforces it: credentials over plaintext are refused before anything is sent,
//! as grpc-go refuses with "the credentials require transport security".

use std::fmt;

use book_proto::ecommerce::Product;
use common::channel::Channel;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{ClientTlsConfig, Endpoint};

use crate::auth::credentials::CallCredentials;
use crate::certs::Certs;
use crate::tls::client_tls;

/// The product the book's chapter 6 clients add.
pub fn book_product() -> Product {
    Product {
        id: String::new(),
        name: "Samsung S10".into(),
        description: "Samsung Galaxy S10 is the latest smart phone, launched in February 2019"
            .into(),
        price: 700.0,
    }
}

/// How the client's bytes travel.
#[derive(Debug, Clone)]
pub enum Transport {
    /// HTTP/2 over bare TCP (`http://`): readable by anyone on the path.
    Plaintext,
    /// HTTP/2 over TLS (`https://`).
    Tls(ClientTlsConfig),
}

impl Transport {
    /// One-way TLS: trust the CA of `certs`, show no certificate.
    pub fn tls(certs: &Certs) -> Self {
        Self::Tls(client_tls(certs.ca_certificate(), None))
    }

    /// Mutual TLS: trust the CA of `certs` and show the client certificate of `certs`.
    pub fn mutual_tls(certs: &Certs) -> Self {
        Self::Tls(client_tls(
            certs.ca_certificate(),
            Some(certs.client_identity()),
        ))
    }
}

/// A channel whose every call carries the client's credentials.
pub type SecuredChannel = InterceptedService<Channel, CallCredentials>;

/// A channel to `addr` (`HOST:PORT`) over `transport`, adding `credentials` to every call.
///
/// It connects on the first call, like grpc-go's `Dial`: the TCP and TLS handshakes happen
/// inside that call's deadline, and a failed handshake is that call's `UNAVAILABLE`.
pub fn channel(
    addr: &str,
    transport: Transport,
    credentials: CallCredentials,
) -> Result<SecuredChannel, ChannelError> {
    let endpoint = match transport {
        Transport::Plaintext if !credentials.is_none() => {
            return Err(ChannelError::CredentialsNeedTls);
        }
        Transport::Plaintext => endpoint("http", addr)?,
        Transport::Tls(config) => endpoint("https", addr)?
            .tls_config(config)
            .map_err(ChannelError::Tls)?,
    };
    Ok(InterceptedService::new(
        common::channel::guard(endpoint.connect_lazy()),
        credentials,
    ))
}

fn endpoint(scheme: &str, addr: &str) -> Result<Endpoint, ChannelError> {
    Endpoint::from_shared(format!("{scheme}://{addr}"))
        .map_err(|_| ChannelError::InvalidAddr(addr.to_owned()))
}

/// Why [`channel`] made no channel.
#[derive(Debug)]
pub enum ChannelError {
    /// Credentials were to go over a plaintext connection.
    CredentialsNeedTls,
    /// The address is not `HOST:PORT`.
    InvalidAddr(String),
    /// The TLS settings were refused (a certificate or key that is not valid PEM, say).
    Tls(tonic::transport::Error),
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CredentialsNeedTls => f.write_str(
                "refusing to send credentials over a plaintext connection: \
                 the credentials require transport security",
            ),
            Self::InvalidAddr(addr) => write!(f, "invalid --addr {addr:?}: expected HOST:PORT"),
            Self::Tls(error) => write!(f, "invalid TLS settings: {error}"),
        }
    }
}

impl std::error::Error for ChannelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Tls(error) => Some(error),
            Self::CredentialsNeedTls | Self::InvalidAddr(_) => None,
        }
    }
}
