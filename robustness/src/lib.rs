//! The adversarial suite: every server and client binary of the workspace, attacked over real
//! sockets, as the servers readers copy into real services will be.
//!
//! The tests run the binaries themselves (`cargo test --workspace` builds every one of them
//! before any test runs) and talk to them with chapter 4's raw HTTP/2 client, so nothing in
//! tonic's client smooths the input; clients are attacked by a hostile server of ours.
//!
//! * [`servers`]: where the binaries are, and every plaintext server the README starts with a
//!   unary method to call on it.
//! * [`frames`]: HTTP/2 frames written by hand, for the attacks no HTTP/2 library will make.
//! * [`hostile`]: a gRPC server that answers every call with what a test tells it to, well
//!   formed or not.
//! * [`proc`]: what the kernel says about a server process: its CPU time and open files.
//!
//! `tests/defects.rs` holds one regression test per defect an independent attack run found.

pub mod frames;
pub mod hostile;
pub mod proc;
pub mod servers;
