//! The `main` of every sample client, once.
//!
//! A client binary parses its flags, sets up logging and hands its flow to [`run`], which
//! makes a channel to `--addr` (starting to connect at once, like grpc-go's `Dial`), runs the
//! flow, and turns the outcome into the exit status: 0 when the flow succeeded, 1 when it
//! failed (its error printed on stderr, in the book's words), 2 when `--addr` is not a valid
//! `HOST:PORT`.

use std::fmt::Display;
use std::future::Future;
use std::process::ExitCode;

use crate::channel::Channel;

use crate::args::ClientAddr;

/// Runs a sample client's `flow` against the server at `addr`.
pub async fn run<F, Fut, E>(addr: &ClientAddr, flow: F) -> ExitCode
where
    F: FnOnce(Channel) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Display,
{
    let channel = match addr.dial().await {
        Ok(channel) => channel,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    match flow(channel).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
