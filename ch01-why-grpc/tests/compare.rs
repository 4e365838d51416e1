//! `ch01-compare`, run as a reader runs it, with tiny counts: the table has every row, and
//! protobuf's `getProduct` answer is smaller than JSON's. No timing is asserted: times depend
//! on the machine, bytes do not.

use std::process::Command;

/// The numbers of the row that starts with `first` and has `columns` columns after it.
fn row(output: &str, first: &str, columns: usize) -> Vec<f64> {
    let numbers: Vec<Vec<f64>> = output
        .lines()
        .filter(|line| line.split_whitespace().next() == Some(first))
        .map(|line| {
            line.split_whitespace()
                .skip(1)
                .filter_map(|cell| cell.parse().ok())
                .collect()
        })
        .filter(|numbers: &Vec<f64>| numbers.len() == columns)
        .collect();
    assert_eq!(numbers.len(), 1, "one bytes row for {first} in:\n{output}");
    numbers[0].clone()
}

#[test]
fn prints_both_protocols_and_protobuf_is_smaller() {
    let output = Command::new(env!("CARGO_BIN_EXE_ch01-compare"))
        .args(["--calls", "50", "--concurrency", "2"])
        .output()
        .expect("ch01-compare runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Setup out, setup in, add out, add in, get out, get in.
    let json = row(&stdout, "HTTP/1.1+JSON", 6);
    let grpc = row(&stdout, "gRPC", 6);
    assert_eq!(
        &json[..2],
        &[0.0, 0.0],
        "HTTP/1.1 sends nothing before its first call"
    );
    assert!(grpc[0] > 0.0, "HTTP/2 opens with its preface and SETTINGS");
    assert!(
        grpc[5] < json[5],
        "gRPC's getProduct answer ({}) is smaller than JSON's ({})",
        grpc[5],
        json[5]
    );

    for load in ["1 caller ", "2 callers"] {
        for protocol in ["HTTP/1.1+JSON", "gRPC"] {
            assert!(
                stdout
                    .lines()
                    .any(|line| line.starts_with(load) && line.contains(protocol)),
                "a {load} row for {protocol} in:\n{stdout}"
            );
        }
    }
}
