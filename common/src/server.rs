//! The `main` of every sample server, once.
//!
//! Each server binary parses its flags, sets up logging (first, so nothing it logs while
//! getting ready is lost) and hands its chapter's `serve` function to [`run`], which binds
//! `--addr` (logging `Server started, listening on …`), serves until Ctrl-C or SIGTERM, lets
//! the calls in flight finish, and logs `Server stopped`.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;

use tokio::net::TcpListener;

use crate::args::ServerAddr;

/// The shutdown signal a server is handed: Ctrl-C or SIGTERM.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs a sample server on `addr` until it is asked to stop.
pub async fn run<F, Fut, E>(addr: &ServerAddr, serve: F) -> Result<(), Box<dyn Error>>
where
    F: FnOnce(TcpListener, Shutdown) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Error + 'static,
{
    let listener = addr.listen().await?;
    serve(listener, Box::pin(crate::shutdown::signal())).await?;
    tracing::info!("Server stopped");
    Ok(())
}
