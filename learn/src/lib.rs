//! `learn`: the exercise runner for a class on 「gRPC 시작에서 운영까지」 (*gRPC: Up and
//! Running*), in the spirit of rustlings.
//!
//! A student runs `cargo run --bin learn` in their checkout and works through the exercises of
//! chapters 2 to 8 in book order: the runner shows the current exercise, checks it every time
//! its file is saved, words the first failing check as what was sent, what was expected and
//! what came back, gives hints one at a time, and moves on when the checks pass. A teacher
//! collects one report per student and merges them into a class table.
//!
//! The runner knows nothing the checkout does not say: the exercises are the folders under
//! `exercises/`, checked by the same `cargo test` command each task's README gives.
//!
//! * [`catalogue`]: the exercises, their titles and hints, read from the checkout;
//! * [`check`]: running one exercise's checks and reading what they said;
//! * [`progress`]: the student's progress file;
//! * [`watch`]: the loop of `learn` and `learn watch`;
//! * [`commands`]: `list`, `hint`, `verify`, `reset`;
//! * [`report`]: a student's report and the class table;
//! * [`show`]: what all of them print.

pub mod catalogue;
pub mod check;
pub mod commands;
pub mod progress;
pub mod report;
pub mod show;
pub mod watch;
