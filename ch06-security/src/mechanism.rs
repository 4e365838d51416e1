//! The chapter's five samples, by the name a reader types: `ch06-server tls`, `… jwt`.

use crate::auth::CallAuth;
use crate::auth::basic::BasicAuth;
use crate::auth::bearer::KnownToken;
use crate::auth::jwt::TokenVerifier;
use crate::certs::Certs;
use crate::client::Transport;
use crate::server::ServerSecurity;
use crate::tls::{ClientCerts, server_tls};

/// How a sample secures its calls. All but `tls` build on one-way TLS; `mtls` adds client
/// certificates; `basic`, `token` and `jwt` add credentials to every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mechanism {
    /// One-way TLS: the server shows a certificate, the client checks it.
    Tls,
    /// Mutual TLS: both sides show a certificate signed by the CA.
    Mtls,
    /// TLS plus HTTP Basic credentials, `admin` / `admin`.
    Basic,
    /// TLS plus the book's OAuth 2.0 bearer token, `some-secret-token`.
    Token,
    /// TLS plus a signed JSON Web Token with a role.
    Jwt,
}

impl Mechanism {
    /// Every sample, in the book's order.
    pub const ALL: [Self; 5] = [Self::Tls, Self::Mtls, Self::Basic, Self::Token, Self::Jwt];

    /// The name a reader types: `tls`, `mtls`, `basic`, `token`, `jwt`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tls => "tls",
            Self::Mtls => "mtls",
            Self::Basic => "basic",
            Self::Token => "token",
            Self::Jwt => "jwt",
        }
    }

    /// The book section the sample belongs to, in Korean and English.
    pub fn section(self) -> &'static str {
        match self {
            Self::Tls => "단방향 보안 연결 활성화 (Enabling a one-way secured connection)",
            Self::Mtls => "mTLS 보안 연결 활성화 (Enabling an mTLS secured connection)",
            Self::Basic => "베이직 인증 사용 (Using basic authentication)",
            Self::Token => "OAuth 2.0 사용 (Using OAuth 2.0)",
            Self::Jwt => "JWT 사용 (Using JWT)",
        }
    }

    /// What the sample's server needs: its TLS settings and, for `basic`, `token` and `jwt`,
    /// the check of every call's credentials. Fails only when the JWT public key in `certs`
    /// is not a valid PEM EC key.
    pub fn server_security(
        self,
        certs: &Certs,
    ) -> Result<ServerSecurity, jsonwebtoken::errors::Error> {
        let client_certs = match self {
            Self::Mtls => ClientCerts::Required,
            Self::Tls | Self::Basic | Self::Token | Self::Jwt => ClientCerts::NotAsked,
        };
        let calls = match self {
            Self::Tls | Self::Mtls => None,
            Self::Basic => Some(CallAuth::Basic(BasicAuth::book().into())),
            Self::Token => Some(CallAuth::Token(KnownToken::book().into())),
            Self::Jwt => Some(CallAuth::Jwt(
                TokenVerifier::from_pem(&certs.jwt_issuer_public_key)?.into(),
            )),
        };
        Ok(ServerSecurity {
            tls: server_tls(certs, client_certs),
            calls,
        })
    }

    /// The transport the sample's client uses: mutual TLS for `mtls`, one-way TLS otherwise.
    pub fn client_transport(self, certs: &Certs) -> Transport {
        match self {
            Self::Mtls => Transport::mutual_tls(certs),
            Self::Tls | Self::Basic | Self::Token | Self::Jwt => Transport::tls(certs),
        }
    }
}
