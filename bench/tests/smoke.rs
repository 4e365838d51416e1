//! The bench command, end to end, on a tiny load: it builds what it runs, starts the servers,
//! drives them with every tool it finds, and reports every figure; and its soak, on a few
//! thousand calls instead of a million. Nothing here is timed: the figures of a tiny load
//! mean nothing, and speed is reported, not asserted.

use std::process::Command;

#[test]
fn the_bench_runs_end_to_end_and_reports_every_measurement() {
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["--quick", "--json"])
        .output()
        .expect("run the bench");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");

    let unary = report["unary"].as_array().expect("unary runs");
    let tools = if report["machine"]["h2load"].is_null() {
        1
    } else {
        2
    };
    // Three loads per tool as shipped, three on the multi-thread runtime, one without logs.
    assert_eq!(unary.len(), 3 * tools + 3 + 1, "{report:#}");
    for run in unary {
        assert_eq!(run["calls"], 200, "{run}");
        for figure in [
            "calls_per_second",
            "mean_latency_us",
            "max_latency_us",
            "server_cpu_us_per_call",
            "server_peak_rss_kib",
        ] {
            assert!(
                run[figure].as_f64().is_some_and(|value| value > 0.0),
                "{figure} in {run}"
            );
        }
    }
    for (setup, count) in [
        ("as shipped", 3 * tools),
        ("--threads 0", 3),
        ("no call logs", 1),
    ] {
        assert_eq!(
            unary.iter().filter(|run| run["setup"] == setup).count(),
            count,
            "{setup}"
        );
    }

    let streaming = report["streaming"].as_array().expect("streaming runs");
    let calls: Vec<_> = streaming.iter().map(|run| run["call"].as_str()).collect();
    assert_eq!(calls, [Some("searchOrders"), Some("processOrders")]);
    for run in streaming {
        assert_eq!(run["messages"], 300, "{run}");
        assert!(
            run["messages_per_second"]
                .as_f64()
                .is_some_and(|rate| rate > 0.0)
        );
    }
}

#[test]
fn a_short_soak_prints_its_table_and_a_verdict_its_exit_status_follows() {
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["--soak", "--soak-calls", "2000"])
        .output()
        .expect("run the soak");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(
        table.contains("    Calls        RSS   Calls/s  Errors\n    start "),
        "{table}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A tenth of the calls per batch, so that a short soak has batches after warm-up.
    let batches: Vec<&str> = table
        .lines()
        .filter(|line| line.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(batches.len(), 10, "{table}");
    assert!(batches[9].trim_start().starts_with("2000 "), "{table}");
    let verdict = table.lines().last().expect("a verdict");
    assert!(verdict.ends_with(" 0 errors."), "every call is OK: {table}");
    assert_eq!(
        output.status.success(),
        verdict.starts_with("PASS: "),
        "the exit status follows the verdict: {table}"
    );
}
