//! Classroom exercises for 「gRPC 시작에서 운영까지」 (*gRPC: Up and Running*), chapter by
//! chapter, a few tasks per chapter in rising difficulty.
//!
//! Each task is a folder `chNN/NN-name/` that holds:
//!
//! * `README.md`: the task in Korean and English, how to check it, and hints;
//! * `skeleton.rs`: what the student completes. It builds, and the task's tests fail on it;
//! * `solution.rs`: a reference solution, built in place of the skeleton with
//!   `--features solution`;
//! * for tasks about the service definition, `skeleton.proto` and `solution.proto`, swapped
//!   the same way by `build.rs`.
//!
//! The checks of task `chNN/NN-name` are `tests/chNN_name.rs`. The skeletons would fail them,
//! so a plain `cargo test --workspace` lists them as ignored; a student runs one task's
//! checks with `--include-ignored` (see `EXERCISES.md` at the top of the repository):
//!
//! ```text
//! cargo test -p exercises --test ch02_validate_product -- --include-ignored
//! ```
//!
//! `exercises/prove` is what CI runs: every suite must pass with the solutions and fail on
//! the untouched skeletons, so no task is unsolvable and none passes before it is done.
//!
//! The `chNN` modules are the chapters, each one's modules its tasks; [`harness`] starts a
//! task's service for its tests, and [`expect`] words a failed check as the runner shows it:
//! what was sent, what was expected, what came back.

pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod expect;
pub mod harness;
