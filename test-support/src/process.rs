//! A server binary run as a reader runs it, for tests that check what the program itself does:
//! its log lines, its exit status on SIGTERM.
//!
//! [`ServerProcess::spawn`] starts the binary with `--addr 127.0.0.1:0` (plus the caller's
//! arguments), reads its stderr until the `Server started, listening on <addr>` line that
//! every server logs (`common::args::ServerAddr::listen`), and so learns the port without
//! guessing.

use std::ffi::OsStr;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, Command};

/// How long a test waits for the next log line before it fails.
const LINE_WAIT: Duration = Duration::from_secs(30);

/// A running server binary and its log.
pub struct ServerProcess {
    child: Child,
    log: Lines<BufReader<ChildStderr>>,
    addr: String,
    before_start: Vec<String>,
}

impl ServerProcess {
    /// Starts `program` (`env!("CARGO_BIN_EXE_…")`) with `args` and `--addr 127.0.0.1:0` at
    /// `RUST_LOG=info`, and waits for its start line.
    ///
    /// # Panics
    ///
    /// When the program cannot start, or exits or stays silent before its start line.
    pub async fn spawn(program: &str, args: impl IntoIterator<Item = impl AsRef<OsStr>>) -> Self {
        Self::spawn_with_env(program, args, std::iter::empty::<(&str, &str)>()).await
    }

    /// [`ServerProcess::spawn`], with `env` added to the program's environment.
    ///
    /// # Panics
    ///
    /// As [`ServerProcess::spawn`].
    pub async fn spawn_with_env(
        program: &str,
        args: impl IntoIterator<Item = impl AsRef<OsStr>>,
        env: impl IntoIterator<Item = (impl AsRef<OsStr>, impl AsRef<OsStr>)>,
    ) -> Self {
        let mut child = Command::new(program)
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "info")
            .envs(env)
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {program}: {error}"));
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut process = Self {
            child,
            log: BufReader::new(stderr).lines(),
            addr: String::new(),
            before_start: Vec::new(),
        };
        loop {
            let line = process.next_line().await;
            if let Some((_, addr)) = line.split_once("Server started, listening on ") {
                process.addr = addr.to_owned();
                return process;
            }
            process.before_start.push(line);
        }
    }

    /// The process id, for a test that reads the server's `/proc` entries.
    pub fn pid(&self) -> u32 {
        self.child
            .id()
            .expect("the server runs until it is terminated")
    }

    /// The address the server listens on, as `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// What the server logged before its start line.
    pub fn lines_before_start(&self) -> &[String] {
        &self.before_start
    }

    /// The server's next log line.
    ///
    /// # Panics
    ///
    /// When none comes within 30 seconds, or the server has exited.
    pub async fn next_line(&mut self) -> String {
        tokio::time::timeout(LINE_WAIT, self.log.next_line())
            .await
            .expect("the server logs in time")
            .expect("read the server's log")
            .expect("the server is still running")
    }

    /// Sends SIGTERM, as Ctrl-C, Docker or Kubernetes would, and waits for the server to exit.
    ///
    /// # Panics
    ///
    /// When the signal cannot be sent or the exit cannot be awaited.
    pub async fn terminate(mut self) -> ExitStatus {
        self.send_sigterm().await;
        self.wait().await.0
    }

    /// Sends SIGTERM without waiting, for a test that watches what the server does while it
    /// stops (then [`ServerProcess::wait`]s for it).
    ///
    /// # Panics
    ///
    /// When the server has already been waited for, or `kill` fails.
    pub async fn send_sigterm(&mut self) {
        let pid = self.child.id().expect("the server is still running");
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .await
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
    }

    /// Waits for the server to exit; its exit status and the lines it logged from here on.
    ///
    /// # Panics
    ///
    /// When the exit cannot be awaited.
    pub async fn wait(mut self) -> (ExitStatus, Vec<String>) {
        // Read what it still logs while it stops: a server whose log nobody reads blocks on
        // the full pipe as it writes its last lines, and never exits.
        let mut lines = Vec::new();
        let drain = async {
            while let Ok(Some(line)) = self.log.next_line().await {
                lines.push(line);
            }
        };
        let (status, ()) = tokio::join!(self.child.wait(), drain);
        (status.expect("wait for the server"), lines)
    }
}
