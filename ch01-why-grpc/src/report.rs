//! The table `ch01-compare` prints: bytes first, then time.

use std::fmt;

use crate::measure::{Figures, Plan, Timing, WARM_UP};

/// Both protocols' figures, as one table.
pub struct Report {
    /// What was asked for.
    pub plan: Plan,
    /// One entry per protocol, in [`Protocol::ALL`](crate::measure::Protocol::ALL) order.
    pub figures: Vec<Figures>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ProductInfo on loopback: HTTP/1.1 + JSON (axum, hyper) against gRPC (tonic), after {WARM_UP} warm-up calls of each method"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "Bytes on the wire per call (client's socket, out = request, in = response; setup = before the first call)"
        )?;
        writeln!(
            f,
            "{:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "Protocol", "Setup out", "Setup in", "add out", "add in", "get out", "get in"
        )?;
        for run in &self.figures {
            writeln!(
                f,
                "{:<14} {:>9} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
                run.protocol.name(),
                run.setup.sent,
                run.setup.received,
                run.add.sent,
                run.add.received,
                run.get.sent,
                run.get.received,
            )?;
        }
        writeln!(f)?;
        writeln!(f, "getProduct, timed")?;
        writeln!(
            f,
            "{:<11} {:<14} {:>7} {:>9} {:>10} {:>10} {:>10}",
            "Load", "Protocol", "Calls", "Calls/s", "Mean", "p50", "p99"
        )?;
        let loads: [fn(&Figures) -> Timing; 2] = [|run| run.sequential, |run| run.concurrent];
        for load in loads {
            for run in &self.figures {
                let timing = load(run);
                writeln!(
                    f,
                    "{:<11} {:<14} {:>7} {:>9.0} {:>10} {:>10} {:>10}",
                    format!(
                        "{} caller{}",
                        timing.callers,
                        if timing.callers == 1 { "" } else { "s" }
                    ),
                    run.protocol.name(),
                    timing.calls,
                    timing.calls_per_second,
                    micros(timing.mean_us),
                    micros(timing.p50_us),
                    micros(timing.p99_us),
                )?;
            }
        }
        writeln!(
            f,
            "Concurrent HTTP/1.1 callers have a keep-alive connection each; gRPC's {} share one HTTP/2 connection.",
            self.plan.concurrency
        )
    }
}

fn micros(us: f64) -> String {
    format!("{us:.1} µs")
}
