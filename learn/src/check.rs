//! Checking an exercise: `cargo test -p exercises --test <suite> -- --include-ignored`, read
//! back as a student needs it.
//!
//! The runner does not reimplement the checks: it runs the same command a student types from
//! the task's README, and reads its output. The checks word their failures in plain words
//! (`exercises::expect`: sent, expected, came back), so the first failure's panic message is
//! shown as it is. A run can be cancelled (watch starts again on the next save) or time out
//! (verify must end even when a student's code never answers); either stops the whole process
//! group, since killing cargo alone would leave the test binary running.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::catalogue::Exercise;

/// What a run of an exercise's checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every check passed.
    Passed {
        /// How many checks the suite has.
        checks: usize,
    },
    /// Some checks failed.
    Failed {
        /// How many of them.
        failed: usize,
        /// Out of how many.
        checks: usize,
        /// The first failing check's name.
        test: String,
        /// What it said: sent, expected, came back.
        message: String,
    },
    /// The exercises do not compile: the compiler's first error.
    DoesNotBuild {
        /// The error as the compiler printed it.
        error: String,
    },
    /// The run took longer than it may.
    TimedOut {
        /// How long it was given.
        after: Duration,
    },
    /// A newer save made this run pointless.
    Cancelled,
}

impl Outcome {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed { .. })
    }
}

/// `cargo`, as the runner's own cargo names it (so a test's toolchain checks the fixture).
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds every exercise and its checks without running any, so the first build's minutes and
/// its compile errors show once, before the checks run one by one.
///
/// `Ok(None)` when everything builds, `Ok(Some(error))` with the compiler's first error.
pub fn build_all(root: &Path) -> Result<Option<String>> {
    let mut command = cargo();
    command.args(["test", "-p", "exercises", "--tests", "--no-run", "--quiet"]);
    Ok(match run(root, command, None, &AtomicBool::new(false))? {
        Ran::Finished { success: true, .. } => None,
        Ran::Finished { stderr, .. } => Some(first_error(&stderr)),
        Ran::Cancelled | Ran::TimedOut => Some("the build was stopped".into()),
    })
}

/// Runs one exercise's checks in the checkout at `root`.
///
/// `limit` bounds the whole run, build included; `cancel` set from another thread stops it.
pub fn check(
    root: &Path,
    exercise: &Exercise,
    limit: Option<Duration>,
    cancel: &AtomicBool,
) -> Result<Outcome> {
    let mut command = cargo();
    command.args([
        "test",
        "-p",
        "exercises",
        "--quiet",
        "--test",
        &exercise.suite,
        "--",
        "--include-ignored",
    ]);
    Ok(match run(root, command, limit, cancel)? {
        Ran::Finished {
            success,
            stdout,
            stderr,
        } => read_outcome(success, &stdout, &stderr),
        Ran::Cancelled => Outcome::Cancelled,
        Ran::TimedOut => Outcome::TimedOut {
            after: limit.unwrap_or_default(),
        },
    })
}

/// How a run of cargo ended.
enum Ran {
    Finished {
        success: bool,
        stdout: String,
        stderr: String,
    },
    Cancelled,
    TimedOut,
}

/// A check running on a thread of its own, for watch: cancel it when a newer save comes.
#[derive(Debug)]
pub struct Running {
    cancel: Arc<AtomicBool>,
}

impl Running {
    /// Starts checking `exercise`; `done` receives the outcome (not for a cancelled run).
    pub fn start(
        root: &Path,
        exercise: &Exercise,
        done: impl FnOnce(Result<Outcome>) + Send + 'static,
    ) -> Running {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let root = root.to_owned();
        let exercise = exercise.clone();
        thread::spawn(move || {
            let outcome = check(&root, &exercise, None, &flag);
            if !matches!(outcome, Ok(Outcome::Cancelled)) {
                done(outcome);
            }
        });
        Running { cancel }
    }

    /// Stops the run; its outcome is never delivered.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

fn run(
    root: &Path,
    mut command: Command,
    limit: Option<Duration>,
    cancel: &AtomicBool,
) -> Result<Ran> {
    command
        .current_dir(root)
        // The message, not a backtrace: CI machines set RUST_BACKTRACE=1.
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    process_group(&mut command);
    let mut child = command
        .spawn()
        .context("cannot start cargo: is it on the PATH?")?;
    let stdout = collect(child.stdout.take());
    let stderr = collect(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if cancel.load(Ordering::SeqCst) {
            stop(&mut child);
            return Ok(Ran::Cancelled);
        }
        if let Some(limit) = limit
            && started.elapsed() > limit
        {
            stop(&mut child);
            return Ok(Ran::TimedOut);
        }
        thread::sleep(Duration::from_millis(50));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Ran::Finished {
        success: status.success(),
        stdout,
        stderr,
    })
}

/// Reads a pipe to its end on a thread, so a chatty run never blocks on a full pipe.
fn collect(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            if pipe.read_to_end(&mut bytes).is_ok() {
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
        }
        text
    })
}

#[cfg(unix)]
fn process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn process_group(_command: &mut Command) {}

/// Stops cargo and everything it started (rustc, the test binary): they share its group.
fn stop(child: &mut Child) {
    if cfg!(unix) {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Turns cargo's output into an outcome.
pub fn read_outcome(success: bool, stdout: &str, stderr: &str) -> Outcome {
    let Some((passed, failed)) = test_counts(stdout) else {
        return Outcome::DoesNotBuild {
            error: first_error(stderr),
        };
    };
    if success && failed == 0 {
        return Outcome::Passed { checks: passed };
    }
    let (test, message) = first_failure(stdout);
    Outcome::Failed {
        failed,
        checks: passed + failed,
        test,
        message,
    }
}

/// `(passed, failed)` from the test harness's `test result:` line.
fn test_counts(stdout: &str) -> Option<(usize, usize)> {
    let line = stdout
        .lines()
        .find(|line| line.starts_with("test result:"))?;
    let count = |word: &str| -> Option<usize> {
        let before = line.split(&format!(" {word}")).next()?;
        before.rsplit(' ').next()?.parse().ok()
    };
    Some((count("passed;")?, count("failed;")?))
}

/// The name and panic message of the first failure the harness printed.
fn first_failure(stdout: &str) -> (String, String) {
    let mut lines = stdout.lines();
    let Some(test) = lines.by_ref().find_map(|line| {
        line.strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
    }) else {
        return (String::new(), "the checks failed without a message".into());
    };
    let mut message = Vec::new();
    let mut in_panic = false;
    for line in lines {
        if line.starts_with("---- ") || line == "failures:" {
            break;
        }
        if line.starts_with("thread '") && line.contains("panicked at") {
            in_panic = true;
            continue;
        }
        if in_panic {
            if line.starts_with("note: run with `RUST_BACKTRACE")
                || line.starts_with("stack backtrace:")
            {
                break;
            }
            message.push(line);
        }
    }
    let message = message.join("\n").trim_matches('\n').to_owned();
    (test.to_owned(), message)
}

/// The compiler's first error, from its `error` line to the blank line that ends it.
fn first_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|line| {
        (line.starts_with("error[") || line.starts_with("error:"))
            && !line.starts_with("error: could not compile")
    });
    match start {
        Some(start) => lines[start..]
            .iter()
            .take_while(|line| !line.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
        None => {
            let tail = lines.len().saturating_sub(20);
            lines[tail..].join("\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILED: &str = "
running 3 tests
.F.
failures:

---- a_product_without_a_name_is_invalid stdout ----

thread 'a_product_without_a_name_is_invalid' panicked at exercises/tests/ch02_validate_product.rs:70:14:

sent:      addProduct with the name \"\"
expected:  INVALID_ARGUMENT
came back: OK, ProductId { value: \"1\" }
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    a_product_without_a_name_is_invalid

test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.05s
";

    #[test]
    fn a_failure_is_its_first_panic_message() {
        assert_eq!(
            read_outcome(false, FAILED, "error: test failed, to rerun pass `--test x`"),
            Outcome::Failed {
                failed: 1,
                checks: 3,
                test: "a_product_without_a_name_is_invalid".into(),
                message: "sent:      addProduct with the name \"\"\nexpected:  INVALID_ARGUMENT\ncame back: OK, ProductId { value: \"1\" }".into(),
            }
        );
    }

    #[test]
    fn a_pass_counts_the_checks() {
        let stdout = "\nrunning 5 tests\n.....\ntest result: ok. 5 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.21s\n";
        assert_eq!(
            read_outcome(true, stdout, ""),
            Outcome::Passed { checks: 5 }
        );
    }

    #[test]
    fn a_compile_error_is_its_first_block() {
        let stderr = "error[E0308]: mismatched types\n --> exercises/ch02/01-validate-product/skeleton.rs:3:5\n  |\n3 |     1\n  |     ^ expected `bool`\n\nerror: could not compile `exercises` (lib) due to 1 previous error\n";
        assert_eq!(
            read_outcome(false, "", stderr),
            Outcome::DoesNotBuild {
                error: "error[E0308]: mismatched types\n --> exercises/ch02/01-validate-product/skeleton.rs:3:5\n  |\n3 |     1\n  |     ^ expected `bool`".into()
            }
        );
    }
}
