//! Exercise ch06/03 · 베이직 인증 확인하기 (Checking basic credentials): a reference solution.
//!
//! **What the header is.** `authorization: Basic YWRtaW46YWRtaW4=`: a scheme name, matched
//! without regard to case as HTTP says, a space, and the base64 of `username:password`. Base64
//! is an encoding, not encryption, so the header is the password in the clear for anyone who
//! sees it: the book sends it over TLS only, and so must any real server. (These checks run
//! over plaintext to keep the exercise about the header.)
//!
//! **What the refusals say.** Every refusal is `UNAUTHENTICATED`, with a reason about the
//! header's form, which helps whoever wrote the client: no header, another scheme, not base64,
//! no colon. It says nothing about the secret: a wrong username and a wrong password get the
//! same words, so a guesser cannot learn which usernames exist.
//!
//! **Why in constant time.** `==` on two byte strings stops at the first difference, so a
//! guess that starts right takes a little longer to refuse, and many timed guesses can find
//! the password byte by byte. [`same_secret`] takes as long wherever the difference is; and
//! both the username and the password are compared, whatever the first comparison says, so
//! a wrong username is not refused any faster than a wrong password.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use common::secret::same_secret;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Status};

/// The book's username.
pub const BOOK_USERNAME: &str = "admin";
/// The book's password.
pub const BOOK_PASSWORD: &str = "admin";

/// The metadata key of the credentials (gRPC metadata keys are lower case).
const AUTHORIZATION: &str = "authorization";

/// The scheme name before the credentials.
const SCHEME: &str = "Basic";

/// A server interceptor that lets in only calls with `authorization: Basic
/// base64(username:password)` of its one account.
#[derive(Debug, Clone)]
pub struct BasicAuthCheck {
    username: String,
    password: String,
}

impl BasicAuthCheck {
    /// Lets in the account with these credentials.
    pub fn new(username: &str, password: &str) -> Self {
        Self {
            username: username.to_owned(),
            password: password.to_owned(),
        }
    }

    /// The book's account, `admin` / `admin`.
    pub fn book() -> Self {
        Self::new(BOOK_USERNAME, BOOK_PASSWORD)
    }

    /// Whether the call's metadata holds this account's credentials, or why not.
    fn check(&self, request: &Request<()>) -> Result<(), Status> {
        let value = request
            .metadata()
            .get(AUTHORIZATION)
            .ok_or_else(|| refuse("no authorization header"))?
            .to_str()
            .map_err(|_| refuse("the authorization header is not printable ASCII"))?;
        let (scheme, encoded) = value.split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case(SCHEME) {
            return Err(refuse("expected the Basic scheme"));
        }
        let decoded = STANDARD
            .decode(encoded.trim())
            .map_err(|_| refuse("the credentials are not base64"))?;
        let (username, password) = std::str::from_utf8(&decoded)
            .ok()
            .and_then(|text| text.split_once(':'))
            .ok_or_else(|| refuse("the credentials are not username:password"))?;
        // `&`, not `&&`: both comparisons run, whatever the first one says.
        let username_matches = same_secret(username.as_bytes(), self.username.as_bytes());
        let password_matches = same_secret(password.as_bytes(), self.password.as_bytes());
        if username_matches & password_matches {
            Ok(())
        } else {
            Err(refuse("wrong username or password"))
        }
    }
}

impl Interceptor for BasicAuthCheck {
    /// Runs once per call, before the service sees it, with the call's metadata (and no
    /// message): the call goes on with its credentials checked, or ends here.
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        self.check(&request)?;
        Ok(request)
    }
}

/// The status of a refused call: the book's words, then the reason.
fn refuse(reason: &str) -> Status {
    Status::unauthenticated(format!("invalid credentials: {reason}"))
}

/// The Greeter behind `check`.
pub fn greeter(
    check: BasicAuthCheck,
) -> InterceptedService<GreeterServer<GreeterService>, BasicAuthCheck> {
    GreeterServer::with_interceptor(GreeterService, check)
}
