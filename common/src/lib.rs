//! Plumbing that every chapter needs and no chapter teaches.
//!
//! The chapters hold what the book explains; this crate holds the rest, once:
//!
//! * [`args`]: the `--addr` flags every server and client takes.
//! * [`runtime`]: `--threads`, the Tokio runtime a server runs on.
//! * [`shutdown`]: the Ctrl-C / SIGTERM future servers stop on.
//! * [`logging`]: `tracing` set-up whose default output reads like the book's Go logs.
//! * [`deadline`]: one deadline shared by several calls, as a Go `context.WithTimeout` is.
//! * [`server`] and [`client`]: the `main` of every sample server and client; the limits
//!   every server runs with.
//! * [`channel`]: the channel every client calls through, guarded against answers that
//!   would panic a tonic client.
//! * [`conformance`]: the answers the gRPC spec asks of a server and tonic leaves out.
//! * [`local`]: start a chapter's server on an ephemeral loopback port, for tests and the tour.
//! * [`status`]: a failed call printed the way grpc-go prints it.
//! * [`log_capture`]: a test waits for a line its servers log.
//! * [`process`]: a test runs a server binary and reads its log.
//! * [`secret`]: the book's token, and comparing secrets in constant time.

pub mod args;
pub mod channel;
pub mod client;
pub mod conformance;
pub mod deadline;
pub mod local;
pub mod log_capture;
pub mod logging;
pub mod process;
pub mod runtime;
pub mod secret;
pub mod server;
pub mod shutdown;
pub mod status;
