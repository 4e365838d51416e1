//! The tables `bench` prints, the ratios the goals are stated in, and the same figures as JSON.

use std::fmt;

use crate::machine::Machine;
use crate::setup::{Peer, Setup};
use crate::streaming::StreamResult;
use crate::unary::{Shape, UnaryResult};

/// Everything one run of the suite measured.
#[derive(Debug, serde::Serialize)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// `getProduct` of the book's product on every server at every load, with ch07-loadtest.
    pub unary: Vec<UnaryResult>,
    /// The same on ours with h2load: the load generator cross-checked.
    pub tools: Vec<UnaryResult>,
    /// `--threads N` on ours, pinned and not.
    pub scaling: Vec<UnaryResult>,
    /// Products of every size on every server.
    pub payload: Vec<UnaryResult>,
    /// `searchOrders` and `processOrders` on every server.
    pub streaming: Vec<StreamResult>,
}

impl Report {
    /// The report as one JSON document, for `--json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report is plain data")
    }

    /// The `getProduct` run of `setup` at `shape`.
    fn find(&self, setup: Setup, shape: Shape) -> Option<&UnaryResult> {
        self.unary
            .iter()
            .find(|result| result.run.setup == setup && result.run.shape == shape)
    }

    /// How much per-call logging costs ours in calls per second at [`Shape::MIDDLE`], as a
    /// fraction.
    pub fn logging_cost(&self) -> Option<f64> {
        let quiet = self.find(Setup::quiet(Peer::Ours), Shape::MIDDLE)?;
        let logging = self.find(Setup::logging(Peer::Ours), Shape::MIDDLE)?;
        Some(1.0 - logging.calls_per_second / quiet.calls_per_second)
    }

    /// The goals of issue #21, each with what was measured: `(goal, measured, met)`.
    pub fn goals(&self) -> Vec<(String, String, bool)> {
        let mut goals = Vec::new();
        let ours = |shape| self.find(Setup::quiet(Peer::Ours), shape);
        if let (Some(ours), Some(cpp)) = (
            ours(Shape::MIDDLE),
            self.find(Setup::quiet(Peer::GrpcCpp), Shape::MIDDLE),
        ) {
            let ratio = ours.calls_per_second / cpp.calls_per_second;
            goals.push((
                format!("≥ 1.2× grpc C++'s calls/s at {}", Shape::MIDDLE),
                format!("{ratio:.2}×"),
                ratio >= 1.2,
            ));
            goals.push((
                format!("≤ grpc C++'s CPU per call at {}", Shape::MIDDLE),
                format!(
                    "{:.1} µs against {:.1} µs",
                    ours.server_cpu_us_per_call, cpp.server_cpu_us_per_call
                ),
                ours.server_cpu_us_per_call <= cpp.server_cpu_us_per_call,
            ));
        }
        if let (Some(ours), Some(limit)) = (
            ours(Shape::MIDDLE),
            self.find(Setup::quiet(Peer::H2Limit), Shape::MIDDLE),
        ) {
            let share = ours.calls_per_second / limit.calls_per_second;
            goals.push((
                format!("within 25% of the raw h2 limit at {}", Shape::MIDDLE),
                format!("{:.0}% of its calls/s", share * 100.0),
                share >= 0.75,
            ));
        }
        for shape in Shape::ALL {
            if let (Some(ours), Some(go)) =
                (ours(shape), self.find(Setup::quiet(Peer::GrpcGo), shape))
            {
                let (Some([_, ours_p99, _]), Some([_, go_p99, _])) =
                    (ours.percentiles_us, go.percentiles_us)
                else {
                    continue;
                };
                goals.push((
                    format!("p99 under grpc-go's at {shape}"),
                    format!("{} against {}", latency(ours_p99), latency(go_p99)),
                    ours_p99 < go_p99,
                ));
            }
        }
        goals
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.machine)?;
        writeln!(f)?;
        writeln!(
            f,
            "getProduct of the book's product, ch07-loadtest, a fresh server per row"
        )?;
        writeln!(f, "{}", UnaryColumns::header())?;
        for result in &self.unary {
            writeln!(
                f,
                "{:<12} {}",
                result.run.shape.to_string(),
                UnaryColumns(result)
            )?;
        }
        self.fmt_ratios(f)?;
        self.fmt_tools(f)?;
        self.fmt_scaling(f)?;
        self.fmt_payload(f)?;
        self.fmt_streaming(f)
    }
}

impl Report {
    /// Each peer against ours, at each load, and the goals.
    fn fmt_ratios(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f)?;
        for shape in Shape::ALL {
            let Some(ours) = self.find(Setup::quiet(Peer::Ours), shape) else {
                continue;
            };
            for peer in [Peer::H2Limit, Peer::GrpcCpp, Peer::GrpcGo] {
                if let Some(other) = self.find(Setup::quiet(peer), shape) {
                    writeln!(
                        f,
                        "At {shape}, ours answers {} the calls per second of {peer}, with {} its CPU per call.",
                        times(ours.calls_per_second, other.calls_per_second),
                        times(ours.server_cpu_us_per_call, other.server_cpu_us_per_call),
                    )?;
                }
            }
        }
        if let Some(cost) = self.logging_cost() {
            writeln!(
                f,
                "Per-call logging costs ours {:.1}% of its calls per second at {}.",
                cost * 100.0,
                Shape::MIDDLE
            )?;
        }
        let goals = self.goals();
        if !goals.is_empty() {
            writeln!(f)?;
            writeln!(f, "Goals (no call logs on any side)")?;
            for (goal, measured, met) in goals {
                let verdict = if met { "met" } else { "NOT met" };
                writeln!(f, "  {goal:<44} {measured:<26} {verdict}")?;
            }
        }
        Ok(())
    }

    /// h2load next to ch07-loadtest on ours.
    fn fmt_tools(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tools.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(f, "The load generator checked: ours, no call logs")?;
        writeln!(
            f,
            "{:<12} {:<14} {:>9} {:>9} {:>9} {:>9}",
            "Load", "Tool", "Calls/s", "Mean", "Max", "CPU/call"
        )?;
        for result in &self.tools {
            let checked = self.find(result.run.setup, result.run.shape);
            for row in [Some(result), checked].into_iter().flatten() {
                writeln!(
                    f,
                    "{:<12} {:<14} {:>9.0} {:>9} {:>9} {:>9}",
                    row.run.shape.to_string(),
                    row.run.tool.to_string(),
                    row.calls_per_second,
                    latency(row.mean_latency_us),
                    latency(row.max_latency_us),
                    format!("{:.1} µs", row.server_cpu_us_per_call),
                )?;
            }
        }
        Ok(())
    }

    /// `--threads N`, pinned and not.
    fn fmt_scaling(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scaling.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(f, "Cores: ours at {}, no call logs", Shape::MIDDLE)?;
        writeln!(
            f,
            "{:<8} {:<12} {:<12} {:>9} {:>9} {:>9} {:>9}",
            "Threads", "Server CPUs", "Load CPUs", "Calls/s", "p50", "p99", "CPU/call"
        )?;
        for result in &self.scaling {
            let (server, load) = result
                .run
                .pinning
                .as_ref()
                .map_or(("any", "any"), |pinning| {
                    (pinning.server.as_str(), pinning.load.as_str())
                });
            let [p50, p99, _] = result.percentiles_us.unwrap_or_default();
            writeln!(
                f,
                "{:<8} {:<12} {:<12} {:>9.0} {:>9} {:>9} {:>9}",
                result.run.setup.threads.unwrap_or(1),
                server,
                load,
                result.calls_per_second,
                latency(p50),
                latency(p99),
                format!("{:.1} µs", result.server_cpu_us_per_call),
            )?;
        }
        Ok(())
    }

    /// Every product size on every server.
    fn fmt_payload(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.payload.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(f, "Payload: getProduct at {}, no call logs", Shape::MIDDLE)?;
        writeln!(
            f,
            "{:<9} {:<10} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10}",
            "Product", "Server", "Calls", "Calls/s", "MiB/s", "p99", "CPU/call", "Peak RSS"
        )?;
        for result in &self.payload {
            let [_, p99, _] = result.percentiles_us.unwrap_or_default();
            writeln!(
                f,
                "{:<9} {:<10} {:>7} {:>9.0} {:>9.0} {:>9} {:>10} {:>10}",
                bytes(result.run.product_bytes.unwrap_or(result.response_bytes)),
                result.run.setup.to_string(),
                result.run.calls,
                result.calls_per_second,
                result.calls_per_second * result.response_bytes as f64 / (1024.0 * 1024.0),
                latency(p99),
                format!("{:.1} µs", result.server_cpu_us_per_call),
                format!("{:.1} MiB", result.server_peak_rss_kib as f64 / 1024.0),
            )?;
        }
        Ok(())
    }

    /// Chapter 3's streams on every server, and ours against each.
    fn fmt_streaming(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.streaming.is_empty() {
            return Ok(());
        }
        writeln!(f)?;
        writeln!(f, "Streaming: ch03-server's work")?;
        writeln!(
            f,
            "{:<14} {:<15} {:>9} {:>8} {:>11} {:>12}  Note",
            "Call", "Server", "Messages", "Seconds", "Messages/s", "CPU/message"
        )?;
        for run in &self.streaming {
            let line = format!(
                "{:<14} {:<15} {:>9} {:>8.2} {:>11.0} {:>12}  {}",
                run.call,
                run.setup.to_string(),
                run.messages,
                run.seconds,
                run.messages_per_second,
                format!("{:.2} µs", run.server_cpu_us_per_message),
                run.note,
            );
            writeln!(f, "{}", line.trim_end())?;
        }
        let quiet = |peer, call| {
            self.streaming
                .iter()
                .find(|run| run.setup == Setup::quiet(peer) && run.call == call)
        };
        for call in ["searchOrders", "processOrders"] {
            let Some(ours) = quiet(Peer::Ours, call) else {
                continue;
            };
            for peer in [Peer::GrpcCpp, Peer::GrpcGo] {
                if let Some(other) = quiet(peer, call) {
                    writeln!(
                        f,
                        "{call}: ours carries {} the messages per second of {peer}, with {} its CPU per message.",
                        times(ours.messages_per_second, other.messages_per_second),
                        times(
                            ours.server_cpu_us_per_message,
                            other.server_cpu_us_per_message
                        ),
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// The columns of a `getProduct` row after its load.
struct UnaryColumns<'a>(&'a UnaryResult);

impl UnaryColumns<'_> {
    /// The header of a table of these rows, after a 12-wide load column.
    fn header() -> String {
        format!(
            "{:<12} {:<17} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "Load", "Server", "Calls/s", "p50", "p99", "p99.9", "Max", "CPU/call", "Peak RSS"
        )
    }
}

impl fmt::Display for UnaryColumns<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let result = self.0;
        let [p50, p99, p999] = result
            .percentiles_us
            .map(|percentiles| percentiles.map(latency))
            .unwrap_or_else(|| ["–".to_owned(), "–".to_owned(), "–".to_owned()]);
        write!(
            f,
            "{:<17} {:>9.0} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            result.run.setup.to_string(),
            result.calls_per_second,
            p50,
            p99,
            p999,
            latency(result.max_latency_us),
            format!("{:.1} µs", result.server_cpu_us_per_call),
            format!("{:.1} MiB", result.server_peak_rss_kib as f64 / 1024.0),
        )
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

/// `ours / theirs` as `1.23×`, or `–×` when a tiny run measured no CPU time at all (the
/// kernel counts it in 10 ms ticks).
fn times(ours: f64, theirs: f64) -> String {
    let ratio = ours / theirs;
    if ratio.is_finite() && ratio > 0.0 {
        format!("{ratio:.2}×")
    } else {
        "–×".to_owned()
    }
}

/// A size in the unit that reads best.
fn bytes(count: usize) -> String {
    match count {
        0..1024 => format!("{count} B"),
        1024..1_048_576 => format!("{:.0} KiB", count as f64 / 1024.0),
        _ => format!("{:.0} MiB", count as f64 / 1_048_576.0),
    }
}
