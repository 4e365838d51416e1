//! Plumbing that every chapter needs and no chapter teaches.
//!
//! The chapters hold what the book explains; this crate holds the rest, once:
//!
//! * [`args`]: the `--addr` flags every server and client takes.
//! * [`runtime`]: `--threads`, the Tokio runtime a server runs on.
//! * [`shutdown`]: the Ctrl-C / SIGTERM future servers stop on.
//! * [`logging`]: `tracing` set-up whose default output reads like the book's Go logs.
//! * [`deadline`]: one deadline shared by several calls, as a Go `context.WithTimeout` is.
//! * [`server`] and [`client`]: the `main` of the sample servers and clients (all but the few
//!   that listen on several ports or make their own connection); the limits
//!   every server runs with, and the conformance checks (`wire::conformance`) first in front
//!   of every server's services.
//! * [`channel`]: the channel every client calls through, guarded against answers that
//!   would panic a tonic client.
//! * [`local`]: start a chapter's server on an ephemeral loopback port, for tests and the tour.
//! * [`status`]: a failed call printed the way grpc-go prints it.
//! * [`text_format`]: a message printed the way the book's Go clients print one.
//! * [`log_capture`]: a test, or the tour, waits for a line its in-process servers log.
//! * [`secret`]: the book's token, and comparing secrets in constant time.
//!
//! What only tests need lives in `test-support`, a dev-dependency: running a server binary and
//! reading its log takes tokio's `process` feature, which no sample binary should compile.
//! [`local`] and [`log_capture`] stay here because the tour, a binary, uses them too.

pub mod args;
pub mod channel;
pub mod client;
pub mod deadline;
pub mod local;
pub mod log_capture;
pub mod logging;
pub mod runtime;
pub mod secret;
pub mod server;
pub mod shutdown;
pub mod status;
pub mod text_format;
