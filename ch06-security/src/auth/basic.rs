//! Basic authentication (book section "베이직 인증 사용", Using basic authentication).
//!
//! The client sends `authorization: Basic <base64 of username:password>` with every call; the
//! book's account is `admin` / `admin`, so the header reads `Basic YWRtaW46YWRtaW4=`. Base64 is
//! an encoding, not encryption: anyone who sees the header has the password. That is why the
//! book (and [`crate::client`]) send it over TLS only.
//!
//! The book's Go server compares the header with the encoding it expects and answers
//! `UNAUTHENTICATED` "invalid credentials"; ours decodes it, so it can say what was wrong with
//! the form, and keeps the book's words in front: `invalid credentials: wrong username or
//! password`. A missing header is `UNAUTHENTICATED` too (the Go sample's `INVALID_ARGUMENT`
//! "missing metadata" is for a call with no metadata at all, which gRPC never delivers).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::secret::same_secret;
use tonic::Status;
use tonic::metadata::MetadataMap;

use super::{ADMIN_ROLE, Caller, header};

/// The book's username.
pub const BOOK_USERNAME: &str = "admin";
/// The book's password.
pub const BOOK_PASSWORD: &str = "admin";

/// The scheme name in the `authorization` header.
pub const SCHEME: &str = "Basic";

/// The one account the server knows, as in the book.
pub struct BasicAuth {
    username: String,
    password: String,
    role: String,
}

impl BasicAuth {
    /// An account with these credentials and this role.
    pub fn new(username: &str, password: &str, role: &str) -> Self {
        Self {
            username: username.to_owned(),
            password: password.to_owned(),
            role: role.to_owned(),
        }
    }

    /// The book's account, `admin` / `admin`, which may do everything.
    pub fn book() -> Self {
        Self::new(BOOK_USERNAME, BOOK_PASSWORD, ADMIN_ROLE)
    }

    /// The account, if the call's `authorization` header holds its username and password.
    pub fn authenticate(&self, metadata: &MetadataMap) -> Result<Caller, Status> {
        let encoded = header::credentials(metadata, SCHEME).map_err(refuse)?;
        let decoded = STANDARD
            .decode(encoded)
            .map_err(|_| refuse("the credentials are not base64"))?;
        let (username, password) = std::str::from_utf8(&decoded)
            .ok()
            .and_then(|text| text.split_once(':'))
            .ok_or_else(|| refuse("the credentials are not username:password"))?;
        // Both comparisons run, whatever the first says: a wrong username takes as long to
        // refuse as a wrong password.
        let username_matches = same_secret(username.as_bytes(), self.username.as_bytes());
        let password_matches = same_secret(password.as_bytes(), self.password.as_bytes());
        if username_matches & password_matches {
            Ok(Caller {
                subject: self.username.clone(),
                role: self.role.clone(),
            })
        } else {
            Err(refuse("wrong username or password"))
        }
    }
}

/// What the client puts after `authorization: `.
pub fn header_value(username: &str, password: &str) -> String {
    format!(
        "{SCHEME} {}",
        STANDARD.encode(format!("{username}:{password}"))
    )
}

fn refuse(reason: impl std::fmt::Display) -> Status {
    Status::unauthenticated(format!("invalid credentials: {reason}"))
}
