//! The client's side: credentials on every call, like grpc-go's `PerRPCCredentials`.
//!
//! [`CallCredentials`] is a tonic interceptor on the client's channel. It adds the
//! `authorization` header to each call before it leaves, marked sensitive so that HTTP/2's
//! header compression never puts it in a table and `Debug` output never prints it.
//!
//! Credentials like these are worth nothing once someone has read them off the wire, so
//! grpc-go's `RequireTransportSecurity()` keeps them off plaintext connections. Ours do the
//! same: [`crate::client::channel`] refuses to pair credentials with a plaintext transport.

use tonic::metadata::{AsciiMetadataValue, errors::InvalidMetadataValue};
use tonic::service::Interceptor;
use tonic::{Request, Status};

use super::header::AUTHORIZATION;
use super::{basic, bearer};

/// The `authorization` header a client adds to every call, or none.
#[derive(Clone, Default)]
pub struct CallCredentials {
    header: Option<AsciiMetadataValue>,
}

impl CallCredentials {
    /// No credentials: the channel (TLS, mutual TLS) is all the security there is.
    pub fn none() -> Self {
        Self::default()
    }

    /// HTTP Basic: `authorization: Basic base64(username:password)`.
    pub fn basic(username: &str, password: &str) -> Self {
        Self::header(basic::header_value(username, password))
            .expect("base64 is always a valid header value")
    }

    /// A bearer token (an OAuth 2.0 access token, or a JWT): `authorization: Bearer <token>`.
    pub fn bearer(token: &str) -> Result<Self, InvalidMetadataValue> {
        Self::header(bearer::header_value(token))
    }

    /// Whether there is anything to protect.
    pub fn is_none(&self) -> bool {
        self.header.is_none()
    }

    fn header(value: String) -> Result<Self, InvalidMetadataValue> {
        let mut value = AsciiMetadataValue::try_from(value)?;
        value.set_sensitive(true);
        Ok(Self {
            header: Some(value),
        })
    }
}

impl Interceptor for CallCredentials {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if let Some(value) = &self.header {
            request.metadata_mut().insert(AUTHORIZATION, value.clone());
        }
        Ok(request)
    }
}

/// Never prints the credentials.
impl std::fmt::Debug for CallCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.header {
            Some(_) => f.write_str("CallCredentials(authorization: <redacted>)"),
            None => f.write_str("CallCredentials(none)"),
        }
    }
}
