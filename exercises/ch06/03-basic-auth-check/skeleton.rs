//! Exercise ch06/03 · 베이직 인증 확인하기 (Checking basic credentials). The task is in
//! `README.md` beside this file; the checks are `tests/ch06_basic_auth_check.rs`.
//!
//! [`greeter`] puts the `helloworld.Greeter` behind [`BasicAuthCheck`], a server interceptor:
//! tonic runs [`BasicAuthCheck::call`] with each call's metadata before the Greeter sees the
//! call, and an `Err` ends the call with that status. For now it lets every call in, with
//! credentials or without. Checking them is the exercise.

use book_proto::helloworld::greeter_server::GreeterServer;
use ch05_advanced::multiplexing::GreeterService;
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Status};

/// The book's username.
pub const BOOK_USERNAME: &str = "admin";
/// The book's password.
pub const BOOK_PASSWORD: &str = "admin";

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
}

impl Interceptor for BasicAuthCheck {
    /// Runs once per call, before the service sees it, with the call's metadata (and no
    /// message).
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        // EXERCISE: read the `authorization` metadata, and refuse the call with
        // UNAUTHENTICATED and the README's reason unless it holds `Basic ` (any case) and
        // the base64 of `username:password`, compared with `common::secret::same_secret`.
        let _ = (&self.username, &self.password);
        Ok(request)
    }
}

/// The Greeter behind `check`.
pub fn greeter(
    check: BasicAuthCheck,
) -> InterceptedService<GreeterServer<GreeterService>, BasicAuthCheck> {
    GreeterServer::with_interceptor(GreeterService, check)
}
