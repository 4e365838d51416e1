//! What Linux's `/proc` says about a server process: CPU time, memory, threads and open files.
//!
//! The attacks check that a server is not only still answering but also not holding on to
//! what an attacker made it take: descriptors closed, and no CPU burnt while nothing useful
//! happens.

use std::fs;
use std::time::Duration;

/// The CPU time process `pid` has used, user and system together.
///
/// # Panics
///
/// When the process is gone.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap_or_else(|error| panic!("/proc/{pid}/stat: {error}"));
    // The command name, field 2, is in parentheses and may hold spaces; count after it.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .map(|&index| {
            fields
                .get(index)
                .and_then(|field| field.parse::<u64>().ok())
        })
        .sum::<Option<u64>>()
        .unwrap_or_else(|| panic!("unexpected /proc/{pid}/stat: {stat}"));
    // The kernel reports in clock ticks, 100 per second on every Linux this runs on.
    Duration::from_millis(ticks * 10)
}

/// How many file descriptors process `pid` has open.
///
/// # Panics
///
/// When the process is gone.
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap_or_else(|error| panic!("/proc/{pid}/fd: {error}"))
        .count()
}

/// How many bytes of process `pid` are resident in memory now (`VmRSS`).
///
/// # Panics
///
/// When the process is gone.
pub fn rss(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|error| panic!("/proc/{pid}/status: {error}"));
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kib| kib * 1024)
        .unwrap_or_else(|| panic!("no VmRSS in /proc/{pid}/status"))
}

/// How many threads process `pid` runs.
///
/// # Panics
///
/// When the process is gone.
pub fn threads(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap_or_else(|error| panic!("/proc/{pid}/task: {error}"))
        .count()
}
