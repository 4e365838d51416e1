//! Logging set-up for servers, clients and the tour.
//!
//! The book's Go samples log one line per call with `log.Printf`. Ours do the same through
//! `tracing`, at `INFO`, so the default output reads like the book's. `RUST_LOG` shows more:
//! `RUST_LOG=debug` for our own detail, `RUST_LOG=h2=trace` for every HTTP/2 frame.
//!
//! Lines go to stderr (as Go's `log` package does) through a non-blocking writer: the request
//! path only hands a line to a background thread, so a slow terminal never slows a call down.
//! The price is that lines may be dropped when the writer falls far behind, which a sample
//! under a load test would rather do than stall.

use std::io::IsTerminal;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Installs the global `tracing` subscriber.
///
/// `default_filter` applies when `RUST_LOG` is unset. Keep the returned guard alive for the
/// whole program: dropping it flushes the lines still queued and stops the writer thread.
/// Calling this a second time (from a test, say) keeps the first subscriber.
#[must_use = "dropping the guard stops logging"]
pub fn init(default_filter: &str) -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking(std::io::stderr());
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // An error here only means a subscriber is already installed, which is fine.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer)
        .try_init();
    guard
}
