//! The machine the figures came from, for the table's first lines.

use std::fmt;
use std::process::Command;

/// What the figures depend on besides the code.
#[derive(Debug, serde::Serialize)]
pub struct Machine {
    /// CPU cores the process may use.
    pub cores: usize,
    /// The CPU's model name, from `/proc/cpuinfo`.
    pub cpu: String,
    /// The kernel release.
    pub kernel: String,
    /// `rustc --version` of the toolchain on the path.
    pub rustc: String,
    /// `h2load --version`, or `None` when h2load is not installed.
    pub h2load: Option<String>,
    /// The profile the servers were built with: `release` or `dev`.
    pub profile: &'static str,
}

/// The line every table starts with, so figures are never read apart from where they came from.
impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Machine: {} cores, {}, Linux {}; {}; {}; {} build",
            self.cores,
            self.cpu,
            self.kernel,
            self.rustc,
            self.h2load.as_deref().unwrap_or("no h2load"),
            self.profile,
        )
    }
}

/// Reads what it can; what it cannot read is "unknown".
pub fn describe() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or_else(|| "unknown".to_owned(), |(_, name)| name.trim().to_owned());
    Machine {
        cores: std::thread::available_parallelism().map_or(0, usize::from),
        cpu,
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or_else(
            |_| "unknown".to_owned(),
            |release| release.trim().to_owned(),
        ),
        rustc: first_line_of("rustc", &["--version"]).unwrap_or_else(|| "unknown".to_owned()),
        h2load: first_line_of("h2load", &["--version"]),
        profile: if cfg!(debug_assertions) {
            "dev"
        } else {
            "release"
        },
    }
}

/// The first line a command prints, or `None` when it cannot run.
fn first_line_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_owned())
}
