//! The servers under test: built with the bench's own profile, each run as its own process,
//! and read from `/proc` for the CPU time and memory they used.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// The binaries the suite runs.
const BINARIES: &[&str] = &[
    "ch02-server",
    "ch03-server",
    "ch07-loadtest",
    "bench-h2-limit",
];

/// Where the built binaries are: next to this one, built by the same profile; and the peers
/// built by their own scripts, when given.
pub struct Binaries {
    dir: PathBuf,
    peers: Peers,
}

/// The servers of other gRPC implementations, each doing what ch02-server and ch03-server do.
#[derive(Debug, Default, Clone)]
pub struct Peers {
    /// grpc-go, from `bench/go-reference/build.sh`.
    pub go: Option<PathBuf>,
    /// grpc C++ (callback API), from `bench/cpp-reference/build.sh`.
    pub cpp: Option<PathBuf>,
}

impl Peers {
    /// Builds every peer with its script (`--all-peers`). A script installs what it needs from
    /// Debian's packages and prints the binary's path; its build log goes to our stderr.
    pub fn build_all() -> anyhow::Result<Self> {
        Ok(Self {
            go: Some(run_build_script("go-reference")?),
            cpp: Some(run_build_script("cpp-reference")?),
        })
    }
}

/// Runs `bench/<folder>/build.sh` and returns the path it printed.
fn run_build_script(folder: &str) -> anyhow::Result<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(folder)
        .join("build.sh");
    eprintln!("bench: building {}", script.display());
    let output = StdCommand::new("bash")
        .arg(&script)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("run {}", script.display()))?;
    if !output.status.success() {
        bail!("{} failed: {}", script.display(), output.status);
    }
    let path = String::from_utf8(output.stdout)?.trim().to_owned();
    if !Path::new(&path).is_file() {
        bail!("{} printed {path:?}, not a binary", script.display());
    }
    Ok(path.into())
}

impl Binaries {
    /// Runs `cargo build` for the servers and the load tester with the profile this binary was
    /// built with, so a release bench measures release servers. Fresh binaries take cargo a
    /// moment to confirm; on a fresh clone this is the release build.
    pub fn build(peers: Peers) -> anyhow::Result<Self> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        let mut command = StdCommand::new(cargo);
        command
            .arg("build")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(manifest);
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        for binary in BINARIES {
            command.args(["--bin", binary]);
        }
        let status = command.status().context("run cargo build")?;
        if !status.success() {
            bail!("cargo build of {BINARIES:?} failed: {status}");
        }
        let exe = std::env::current_exe().context("find the bench binary")?;
        let dir = exe
            .parent()
            .context("the bench binary has a folder")?
            .to_owned();
        Ok(Self { dir, peers })
    }

    /// The peers that were given.
    pub fn peers(&self) -> &Peers {
        &self.peers
    }

    /// The path of one of the built binaries.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// A server process under test, on a free loopback port.
pub struct ServerUnderTest {
    child: Child,
    pid: u32,
    addr: String,
}

impl ServerUnderTest {
    /// Starts `binary --addr 127.0.0.1:0 <args>` with `env`, on the CPUs `cpus` names
    /// (`taskset -c`'s list, as `0` or `0-1`) when given, and waits for the start line to learn
    /// the port. The log is read (and dropped) all along, as a terminal would, so a full pipe
    /// never slows the server down.
    pub async fn start(
        binary: &Path,
        args: &[String],
        env: &[(&str, &str)],
        cpus: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mut child = pinned(cpus, binary)
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", binary.display()))?;
        let pid = child.id().context("the server is running")?;
        let stderr = child.stderr.take().context("the server's stderr")?;
        let (started, addr) = oneshot::channel();
        tokio::spawn(async move {
            let mut log = BufReader::new(stderr);
            let mut line = String::new();
            while log.read_line(&mut line).await.is_ok_and(|read| read > 0) {
                if let Some((_, addr)) = line.split_once("listening on ") {
                    let _ = started.send(addr.trim().to_owned());
                    break;
                }
                line.clear();
            }
            // The rest is read in large chunks and dropped: splitting it into lines would
            // take CPU from the server under test, on the same cores.
            let mut chunk = vec![0; 64 * 1024];
            while log.read(&mut chunk).await.is_ok_and(|read| read > 0) {}
        });
        let addr = tokio::time::timeout(Duration::from_secs(30), addr)
            .await
            .context("the server did not log its start line in 30 s")?
            .context("the server exited before it started")?;
        Ok(Self { child, pid, addr })
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// CPU time the process has used so far, user and system, all threads.
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .context("read /proc/<pid>/stat")?;
        // The command name, field 2, is in parentheses and may hold spaces: count fields after
        // its closing parenthesis. utime and stime are fields 14 and 15 of proc(5).
        let after_name = stat.rsplit_once(')').context("a stat line")?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |index: usize| -> anyhow::Result<u64> {
            Ok(fields.get(index).context("a stat field")?.parse()?)
        };
        let total = ticks(11)? + ticks(12)?;
        Ok(Duration::from_secs_f64(
            total as f64 / clock_ticks_per_second(),
        ))
    }

    /// The most resident memory the process has had (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> anyhow::Result<u64> {
        self.status_kib("VmHWM:")
    }

    /// The memory resident now (`VmRSS`), in KiB: what a leak makes grow.
    pub fn rss_kib(&self) -> anyhow::Result<u64> {
        self.status_kib("VmRSS:")
    }

    /// One `NAME:   1234 kB` line of `/proc/<pid>/status`.
    fn status_kib(&self, name: &str) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .context("read /proc/<pid>/status")?;
        let line = status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .with_context(|| format!("a {name} line"))?;
        Ok(line.trim().trim_end_matches("kB").trim().parse()?)
    }

    /// Stops the server with SIGTERM, as Docker and Kubernetes do, and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        StdCommand::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .context("send SIGTERM")?;
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .context("the server did not stop within 30 s of SIGTERM")??;
        if !status.success() {
            bail!("the server exited with {status}");
        }
        Ok(())
    }
}

/// `program`, run by `taskset -c cpus` when `cpus` is given: `taskset` sets the CPU affinity
/// and then becomes the program.
pub fn pinned(cpus: Option<&str>, program: impl AsRef<OsStr>) -> Command {
    match cpus {
        Some(cpus) => {
            let mut taskset = Command::new("taskset");
            taskset.args(["-c", cpus]).arg(program);
            taskset
        }
        None => Command::new(program),
    }
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost everywhere).
fn clock_ticks_per_second() -> f64 {
    StdCommand::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}
