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
    let runs = |section: &str| {
        report[section]
            .as_array()
            .unwrap_or_else(|| panic!("a {section} section in {report:#}"))
            .clone()
    };

    // Without peers: ours and the raw h2 server without call logs, ours with them, at each
    // of the three loads.
    let unary = runs("unary");
    let servers: Vec<(&str, bool)> = unary[..3]
        .iter()
        .map(|run| {
            (
                run["setup"]["peer"].as_str().expect("a peer"),
                run["setup"]["call_logs"].as_bool().expect("call_logs"),
            )
        })
        .collect();
    assert_eq!(
        servers,
        [("ours", false), ("raw h2", false), ("ours", true)],
        "{report:#}"
    );
    assert_eq!(unary.len(), 9, "{report:#}");
    for run in &unary {
        assert_eq!(run["calls"], 200, "{run}");
        assert_figures(run);
        let percentiles = run["percentiles_us"].as_array().expect("p50, p99, p99.9");
        assert_eq!(percentiles.len(), 3, "{run}");
    }
    let tools = runs("tools");
    let h2load = !report["machine"]["h2load"].is_null();
    assert_eq!(tools.len(), if h2load { 3 } else { 0 }, "{report:#}");
    for run in &tools {
        assert_eq!(run["tool"], "h2load", "{run}");
        assert_figures(run);
    }

    // --threads 1 to every core, pinned and then not.
    let cores = report["machine"]["cores"].as_u64().expect("cores");
    let scaling = runs("scaling");
    assert_eq!(scaling.len() as u64, 2 * cores, "{report:#}");
    assert_eq!(scaling[0]["setup"]["threads"], 1);
    assert_eq!(scaling[0]["pinning"]["server"], "0");
    assert!(scaling.last().expect("a row")["pinning"].is_null());

    // Three sizes on both servers; the answer is as large as asked, give or take the id.
    let payload = runs("payload");
    assert_eq!(payload.len(), 6, "{report:#}");
    for run in &payload {
        assert_figures(run);
        let asked = run["product_bytes"].as_u64().expect("a size");
        let answered = run["response_bytes"].as_u64().expect("a size");
        assert!(asked.abs_diff(answered) <= 4, "{run}");
    }

    let streaming = runs("streaming");
    let calls: Vec<_> = streaming
        .iter()
        .map(|run| (run["call"].as_str(), run["setup"]["call_logs"].as_bool()))
        .collect();
    assert_eq!(
        calls,
        [
            (Some("searchOrders"), Some(false)),
            (Some("processOrders"), Some(false)),
            (Some("searchOrders"), Some(true)),
            (Some("processOrders"), Some(true)),
        ]
    );
    for run in &streaming {
        assert_eq!(run["messages"], 300, "{run}");
        assert!(
            run["messages_per_second"]
                .as_f64()
                .is_some_and(|rate| rate > 0.0)
        );
    }
}

/// Every figure of a `getProduct` run is there (CPU time may be 0 in a tiny run: the kernel
/// counts it in 10 ms ticks).
fn assert_figures(run: &serde_json::Value) {
    for figure in [
        "calls_per_second",
        "mean_latency_us",
        "max_latency_us",
        "server_peak_rss_kib",
    ] {
        assert!(
            run[figure].as_f64().is_some_and(|value| value > 0.0),
            "{figure} in {run}"
        );
    }
    assert!(run["server_cpu_us_per_call"].as_f64().is_some(), "{run}");
}

#[test]
fn the_table_names_every_section() {
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .arg("--quick")
        .output()
        .expect("run the bench");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{table}");
    for heading in [
        "getProduct of the book's product, ch07-loadtest, a fresh server per row",
        "Goals (no call logs on any side)",
        "Cores: ours at -c 4 -m 10, no call logs",
        "Payload: getProduct at -c 4 -m 10, no call logs",
        "Streaming: ch03-server's work",
    ] {
        assert!(table.contains(heading), "{heading:?} in\n{table}");
    }
    assert!(
        table.contains("within 25% of the raw h2 limit at -c 4 -m 10"),
        "{table}"
    );
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
