//! What the tests need and the sample binaries don't.
//!
//! A test that checks what a program itself does (the lines it logs, its exit status on
//! SIGTERM) has to run the binary as a reader would, in a child process. That takes tokio's
//! `process` feature, which no sample needs; keeping it here, in a crate the chapters list
//! under `[dev-dependencies]`, keeps it out of every `cargo run --bin …`.
//!
//! * [`process`]: a test runs a server binary and reads its log.
//!
//! What a test shares with the tour stays in `common`: `common::local` starts a chapter's server
//! in-process on an ephemeral port, and `common::log_capture` waits for a line those servers log.

pub mod process;
