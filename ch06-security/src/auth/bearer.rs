//! OAuth 2.0 bearer tokens (book section "OAuth 2.0 사용", Using OAuth 2.0).
//!
//! In OAuth 2.0 a client gets an access token from an authorization server and shows it to
//! the resource server (ours) with every call: `authorization: Bearer <token>`. Whoever
//! bears the token gets in, hence the name, and hence TLS again. A real resource server
//! would ask the authorization server whether the token is valid (token introspection);
//! the book skips that and compares with one token it knows, `some-secret-token`, and so do
//! we ([`BOOK_TOKEN`], which chapter 8's middleware accepts too), in constant time
//! ([`common::secret::same_secret`]). [`crate::auth::jwt`] shows the other way: a token the
//! server can check on its own.
//!
//! A wrong or missing token is `UNAUTHENTICATED` "invalid token", the book's Go words,
//! followed by the reason.

pub use common::secret::BOOK_TOKEN;
use common::secret::same_secret;
use tonic::Status;
use tonic::metadata::MetadataMap;

use super::{ADMIN_ROLE, Caller, header};

/// The scheme name in the `authorization` header.
pub const SCHEME: &str = "Bearer";

/// A token the server accepts, and who presents it.
pub struct KnownToken {
    token: String,
    caller: Caller,
}

impl KnownToken {
    /// Accepts `token` as proof that `caller` is calling.
    pub fn new(token: &str, caller: Caller) -> Self {
        Self {
            token: token.to_owned(),
            caller,
        }
    }

    /// The book's token. Its Java server takes the token's bearer to be the user `admin`, and
    /// so do we.
    pub fn book() -> Self {
        Self::new(
            BOOK_TOKEN,
            Caller {
                subject: "admin".into(),
                role: ADMIN_ROLE.into(),
            },
        )
    }

    /// The token's caller, if the call's `authorization` header bears the token.
    pub fn authenticate(&self, metadata: &MetadataMap) -> Result<Caller, Status> {
        let token = header::credentials(metadata, SCHEME).map_err(refuse)?;
        if same_secret(token.as_bytes(), self.token.as_bytes()) {
            Ok(self.caller.clone())
        } else {
            Err(refuse("unknown token"))
        }
    }
}

/// What the client puts after `authorization: `.
pub fn header_value(token: &str) -> String {
    format!("{SCHEME} {token}")
}

/// The status for a call whose bearer token is missing or not accepted.
pub(crate) fn refuse(reason: impl std::fmt::Display) -> Status {
    Status::unauthenticated(format!("invalid token: {reason}"))
}
