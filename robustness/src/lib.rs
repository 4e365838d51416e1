//! The adversarial suite: every server and client binary of the workspace, attacked over real
//! sockets, as the servers readers copy into real services will be.
//!
//! The tests run the binaries themselves (`cargo test --workspace` builds every one of them
//! before any test runs) and talk to them with chapter 4's raw HTTP/2 client, so nothing in
//! tonic's client smooths the input; clients are attacked by a hostile server of ours.
//!
//! * [`servers`]: where the binaries are, and every plaintext server the README starts with a
//!   unary method to call on it.
//! * [`cases`]: hostile requests any gRPC server must answer well, and the answer each is owed.
//! * [`frames`]: HTTP/2 frames written by hand, for the attacks no HTTP/2 library will make.
//! * [`hostile`]: a gRPC server that answers every call with what a test tells it to, well
//!   formed or not.
//! * [`http1`]: HTTP/1.1 requests written byte by byte, for the REST gateway and `/metrics`.
//! * [`target`]: a server under attack, plaintext or TLS, and how to reach it.
//! * [`tls`]: TLS connections by hand, for `ch06-server`.
//! * [`proc`]: what the kernel says about a server process: CPU time, memory, threads, files.
//! * [`secured`]: the TLS and credential-checking servers, and a client that sends exactly
//!   the `authorization` bytes a test means.
//!
//! `tests/defects.rs` holds one regression test per defect an independent attack run found.
//! `tests/auth.rs` refuses every bad credential and handshake on every method of the secured
//! servers.

pub mod cases;
pub mod frames;
pub mod hostile;
pub mod http1;
pub mod proc;
pub mod secured;
pub mod servers;
pub mod target;
pub mod tls;
