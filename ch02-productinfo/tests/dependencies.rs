//! Chapter 2 is the first thing a reader builds: `cargo run --bin ch02-server` on a fresh clone
//! should compile what chapter 2 needs and nothing that only later chapters use (TLS,
//! OpenTelemetry, Prometheus, JWT, reflection, ...). Cargo builds only the dependencies of
//! the package it is asked for, so this holds as long as this crate's own dependency tree
//! stays small, which is what the tests check.

use std::process::Command;

/// Crates that belong to later chapters, with the chapter that needs them.
const LATER_CHAPTERS: &[(&str, &str)] = &[
    ("tonic-types", "5 (error details)"),
    ("rustls", "6 (TLS)"),
    ("ring", "6 (TLS)"),
    ("rcgen", "6 (certificates)"),
    ("jsonwebtoken", "6 (JWT)"),
    ("opentelemetry", "7 (tracing)"),
    ("opentelemetry_sdk", "7 (tracing)"),
    ("prometheus", "7 (metrics)"),
    ("hdrhistogram", "7 (load testing)"),
    ("tonic-health", "7 and 8 (health)"),
    ("tonic-reflection", "8 (reflection)"),
    ("serde_json", "7 and 8"),
];

/// `cargo tree` of this crate's normal and build dependencies, one `format` line a crate.
fn tree(format: &str) -> String {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "ch02-productinfo",
            "-e",
            "normal,build",
        ])
        .args(["--prefix", "none", "--format", format])
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn chapter_two_builds_nothing_that_only_later_chapters_need() {
    let tree = tree("{p}");
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"tonic"), "{tree}");
    for (name, chapter) in LATER_CHAPTERS {
        assert!(
            !crates.contains(name),
            "ch02-productinfo depends on {name}, which only chapter {chapter} needs"
        );
    }
}

/// Running a program as a child process is for the tests that check a binary (the
/// `test-support` crate); no sample server needs tokio's `process` feature.
#[test]
fn chapter_two_builds_tokio_without_its_process_feature() {
    let tree = tree("{p} {f}");
    let features = tree
        .lines()
        .find_map(|line| line.strip_prefix("tokio v"))
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("tokio with its features in {tree}"));
    assert!(features.contains("rt"), "{features}");
    assert!(
        !features.split(',').any(|feature| feature == "process"),
        "ch02-productinfo builds tokio with {features}"
    );
}
