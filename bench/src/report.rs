//! The one table `bench` prints, and the same figures as JSON.

use std::fmt;

use crate::machine::Machine;
use crate::streaming::StreamResult;
use crate::unary::{Setup, Shape, UnaryResult};

/// Everything one run of the suite measured.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// `getProduct` runs, in the order they ran.
    pub unary: Vec<UnaryResult>,
    /// `searchOrders` and `processOrders`.
    pub streaming: Vec<StreamResult>,
}

impl Report {
    /// The report as one JSON document, for `--json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report is plain data")
    }

    /// How much per-call logging costs in calls per second at [`Shape::MIDDLE`], as a
    /// fraction: the shipped server against the same load without call logs.
    pub fn logging_cost(&self) -> Option<f64> {
        let off = self.find(Setup::LoggingOff, Shape::MIDDLE)?;
        let on = self.unary.iter().find(|run| {
            run.setup == Setup::AsShipped && run.shape == Shape::MIDDLE && run.tool == off.tool
        })?;
        Some(1.0 - on.calls_per_second / off.calls_per_second)
    }

    fn find(&self, setup: Setup, shape: Shape) -> Option<&UnaryResult> {
        self.unary
            .iter()
            .find(|run| run.setup == setup && run.shape == shape)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.machine)?;
        writeln!(f)?;
        writeln!(f, "ch02-server, unary getProduct")?;
        writeln!(
            f,
            "{:<12} {:<14} {:<13} {:>8} {:>9} {:>10} {:>10} {:>9} {:>9}",
            "Load", "Tool", "Server", "Calls", "Calls/s", "Mean", "Max", "CPU/call", "Peak RSS"
        )?;
        for run in &self.unary {
            writeln!(
                f,
                "{:<12} {:<14} {:<13} {:>8} {:>9.0} {:>10} {:>10} {:>9} {:>9}",
                run.shape.to_string(),
                run.tool.to_string(),
                run.setup.to_string(),
                run.calls,
                run.calls_per_second,
                latency(run.mean_latency_us),
                latency(run.max_latency_us),
                format!("{:.1} µs", run.server_cpu_us_per_call),
                format!("{:.1} MiB", run.server_peak_rss_kib as f64 / 1024.0),
            )?;
        }
        for shape in Shape::ALL {
            if let (Some(ours), Some(go)) = (
                self.find(Setup::AsShipped, shape),
                self.find(Setup::GrpcGo, shape),
            ) {
                writeln!(
                    f,
                    "At {shape}, ch02-server answers {:.2}× the calls per second of grpc-go, with {:.2}× less CPU per call.",
                    ours.calls_per_second / go.calls_per_second,
                    go.server_cpu_us_per_call / ours.server_cpu_us_per_call,
                )?;
            }
        }
        if let Some(cost) = self.logging_cost() {
            writeln!(
                f,
                "Per-call logging costs {:.1}% of calls per second at {}.",
                cost * 100.0,
                Shape::MIDDLE
            )?;
        }
        writeln!(f)?;
        writeln!(f, "ch03-server, streaming")?;
        writeln!(
            f,
            "{:<14} {:>9} {:>9} {:>11} {:>12}  Note",
            "Call", "Messages", "Seconds", "Messages/s", "CPU/message"
        )?;
        for run in &self.streaming {
            let line = format!(
                "{:<14} {:>9} {:>9.2} {:>11.0} {:>12}  {}",
                run.call,
                run.messages,
                run.seconds,
                run.messages_per_second,
                format!("{:.1} µs", run.server_cpu_us_per_message),
                run.note,
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// A latency in the unit that reads best.
fn latency(micros: f64) -> String {
    if micros >= 1000.0 {
        format!("{:.2} ms", micros / 1000.0)
    } else {
        format!("{micros:.0} µs")
    }
}
