//! JSON Web Tokens (book section "JWT 사용", Using JWT).
//!
//! A JWT is a bearer token that carries its own proof. It is three base64url parts joined by
//! dots: a header (`{"alg":"ES256","typ":"JWT"}`), the claims (who the token is about, who
//! issued it, for whom, until when, and anything else, here a role), and a signature over
//! both. The issuer signs with its private key; the server holds only the public key, so it
//! can check tokens without asking anyone, but it cannot make them.
//!
//! The book has no JWT sample (its Go text uses `oauth.NewJWTAccessFromFile` with a Google
//! service account). Here the client plays the issuer: [`TokenIssuer`] signs a short-lived
//! token with the key in the certificate folder, and the client sends it as
//! `authorization: Bearer <token>`. The server's [`TokenVerifier`] checks
//!
//! * the signature, with ES256 and nothing else: the accepted algorithm is fixed on the
//!   server, never taken from the token, which is what defeats the classic forgeries (a
//!   header saying `"alg":"none"`, or HS256 with the public key used as the HMAC secret);
//! * the validity period: not before `nbf` and not after `exp`, allowing [`LEEWAY`] for
//!   clocks that disagree a little (jsonwebtoken checks `exp` by default but `nbf` only when
//!   told to, so a token minted for later would otherwise be good now);
//! * the issuer (`iss`) and the audience (`aud`): a token another issuer made, or one made
//!   for another service, does not get in even if it is otherwise valid;
//! * that a subject (`sub`) is there.
//!
//! A token without a `role` claim passes: it proves who is calling, and grants nothing. Every
//! method then answers `PERMISSION_DENIED`, as for an empty role or one the policy does not
//! list: the server knows the caller, and says no.
//!
//! The leeway is [`LEEWAY`], 30 seconds, on both ends of the validity period.
//!
//! Every failure is `UNAUTHENTICATED` "invalid token: …" with the reason. What the caller may then do is
//! decided by its role, in [`crate::roles`]: a valid token with the wrong role is
//! `PERMISSION_DENIED`.

use std::time::Duration;

use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tonic::Status;
use tonic::metadata::MetadataMap;

use super::{Caller, bearer, header};

/// Who issues the tokens; the server accepts no other issuer.
pub const ISSUER: &str = "https://issuer.ch06-security.example";

/// Whom the tokens are for: the services of the book's `ecommerce` package.
pub const AUDIENCE: &str = "ecommerce";

/// The only signing algorithm: ECDSA with P-256 and SHA-256.
pub const ALGORITHM: Algorithm = Algorithm::ES256;

/// How long a token the client makes stays valid: short, so a stolen one is soon useless.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How far the issuer's and the server's clocks may disagree.
pub const LEEWAY: Duration = Duration::from_secs(30);

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Subject: whom the token is about.
    pub sub: String,
    /// Audience: the service the token is for.
    pub aud: String,
    /// Issued at, in seconds since the Unix epoch.
    pub iat: u64,
    /// Not valid before, in seconds since the Unix epoch.
    pub nbf: u64,
    /// Expires at, in seconds since the Unix epoch.
    pub exp: u64,
    /// What the subject may do, such as [`super::ADMIN_ROLE`]; empty when the token has no
    /// role claim, which [`crate::roles::POLICY`] allows nothing.
    #[serde(default)]
    pub role: String,
}

impl Claims {
    /// Claims for `subject` with `role`, issued now by [`ISSUER`] for [`AUDIENCE`], valid
    /// for `lifetime`.
    pub fn new(subject: &str, role: &str, lifetime: Duration) -> Self {
        let now = jsonwebtoken::get_current_timestamp();
        Self {
            iss: ISSUER.into(),
            sub: subject.into(),
            aud: AUDIENCE.into(),
            iat: now,
            nbf: now,
            exp: now + lifetime.as_secs(),
            role: role.into(),
        }
    }
}

/// Makes tokens: holds the issuer's private key.
pub struct TokenIssuer {
    key: EncodingKey,
}

impl TokenIssuer {
    /// An issuer signing with this PKCS#8 PEM private key.
    pub fn from_pem(private_key: &str) -> Result<Self, Error> {
        Ok(Self {
            key: EncodingKey::from_ec_pem(private_key.as_bytes())?,
        })
    }

    /// The signed token, ready to send.
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        jsonwebtoken::encode(&Header::new(ALGORITHM), claims, &self.key)
    }
}

/// Checks tokens: holds the issuer's public key and what a good token must say.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    /// A verifier trusting the issuer with this PEM public key.
    pub fn from_pem(public_key: &str) -> Result<Self, Error> {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = LEEWAY.as_secs();
        Ok(Self {
            key: DecodingKey::from_ec_pem(public_key.as_bytes())?,
            validation,
        })
    }

    /// The claims of `token`, if it passes every check.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        jsonwebtoken::decode(token, &self.key, &self.validation).map(|data| data.claims)
    }

    /// The caller a call's bearer token names, if the token is good.
    pub fn authenticate(&self, metadata: &MetadataMap) -> Result<Caller, Status> {
        let token = header::credentials(metadata, bearer::SCHEME).map_err(bearer::refuse)?;
        let claims = self
            .verify(token)
            .map_err(|error| bearer::refuse(reason(&error)))?;
        Ok(Caller {
            subject: claims.sub,
            role: claims.role,
        })
    }
}

/// Why a token was refused, in words for the status message.
fn reason(error: &Error) -> String {
    match error.kind() {
        ErrorKind::ExpiredSignature => "expired".into(),
        ErrorKind::ImmatureSignature => "not valid yet".into(),
        ErrorKind::InvalidSignature => "bad signature".into(),
        ErrorKind::InvalidAlgorithm => format!("not signed with {ALGORITHM:?}"),
        ErrorKind::InvalidIssuer => format!("not issued by {ISSUER}"),
        ErrorKind::InvalidAudience => format!("not meant for {AUDIENCE}"),
        ErrorKind::MissingRequiredClaim(claim) => format!("no {claim} claim"),
        _ => format!("malformed ({error})"),
    }
}
