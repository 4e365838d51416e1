//! Soak (장시간 부하): a million `getProduct` calls on one `ch02-server`, watching its memory.
//!
//! A benchmark run of 200,000 calls shows speed; a leak of a few bytes per call, or per
//! connection, hides in it. A soak keeps one server busy for long enough that such a leak
//! adds up: it runs the calls in batches, reads the server's resident memory (`VmRSS`) after
//! each, and counts the calls that did not end OK. The first batch is warm-up (the allocator,
//! the runtime and the log buffer grow to their working size). After it, a server that does
//! not leak holds its memory level: the largest sample of the soak's second half is no larger
//! than the largest of its first half, give or take what an allocator keeps. Comparing halves
//! rather than every sample with the smallest lets an allocator settle in a step or two
//! (mimalloc takes memory in segments, and may take its last one late), while a leak, which
//! grows with every call, still shows: its second half is always above its first.
//!
//! Each batch is one run of chapter 7's `ch07-loadtest` at the load the targets are stated at
//! (`-c 4 -m 10`), on four fresh connections, so connections come and go as well as calls.
//! `ch07-loadtest` adds the book's product before its calls, so the server stores one more
//! product per batch: ten small records after a million calls, far below what `VmRSS` shows.

use std::fmt;

use crate::machine::Machine;
use crate::server::Binaries;
use crate::setup::{Peer, Setup, Work};
use crate::unary::{Shape, run_ch07_loadtest};

/// Calls per batch, between two memory samples.
pub const BATCH: u64 = 100_000;

/// How much larger the second half's largest sample may be than the first half's: allocators
/// hold on to freed memory and return it in steps, so level is "within 10%", not "equal".
const LEVEL: f64 = 1.10;

/// The memory samples the verdict leaves out: the first batch is warm-up.
const WARM_UP: usize = 1;

/// The memory and errors after one batch.
#[derive(Debug)]
pub struct Sample {
    /// Calls made so far, this batch included.
    pub calls: u64,
    /// The server's resident memory after the batch, in KiB.
    pub rss_kib: u64,
    /// Calls per second over the batch.
    pub calls_per_second: f64,
    /// Calls of the batch that did not end OK.
    pub errors: u64,
}

/// A soak's table and verdict.
#[derive(Debug)]
pub struct SoakReport {
    /// Where it ran.
    pub machine: Machine,
    /// Calls per batch.
    pub batch: u64,
    /// The server's resident memory once started, before any call, in KiB.
    pub start_rss_kib: u64,
    /// One sample per batch.
    pub samples: Vec<Sample>,
}

impl SoakReport {
    /// After warm-up, the largest memory sample of the second half over the largest of the
    /// first (the middle sample, of an odd count, in the second); `None` with too few batches.
    pub fn growth(&self) -> Option<f64> {
        let after_warm_up = self.samples.get(WARM_UP..)?;
        let (first, second) = after_warm_up.split_at(after_warm_up.len() / 2);
        let largest = |half: &[Sample]| half.iter().map(|sample| sample.rss_kib).max();
        Some(largest(second)? as f64 / largest(first)?.max(1) as f64)
    }

    /// Calls that did not end OK, over the whole soak.
    pub fn errors(&self) -> u64 {
        self.samples.iter().map(|sample| sample.errors).sum()
    }

    /// Memory level after warm-up and not one failed call.
    pub fn passed(&self) -> bool {
        self.errors() == 0 && self.growth().is_some_and(|growth| growth <= LEVEL)
    }
}

/// The `Calls/s` column of a row that is not a batch.
const NO_RATE: &str = "–";

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.machine)?;
        writeln!(f)?;
        writeln!(
            f,
            "ch02-server, getProduct soak at {} with ch07-loadtest, RSS after every {} calls",
            Shape::MIDDLE,
            self.batch
        )?;
        writeln!(
            f,
            "{:>9} {:>10} {:>9} {:>7}",
            "Calls", "RSS", "Calls/s", "Errors"
        )?;
        writeln!(
            f,
            "{:>9} {:>10} {:>9} {:>7}",
            "start",
            kib(self.start_rss_kib),
            NO_RATE,
            NO_RATE
        )?;
        for sample in &self.samples {
            writeln!(
                f,
                "{:>9} {:>10} {:>9.0} {:>7}",
                sample.calls,
                kib(sample.rss_kib),
                sample.calls_per_second,
                sample.errors
            )?;
        }
        let errors = self.errors();
        let verdict = if self.passed() { "PASS" } else { "FAIL" };
        match self.growth() {
            Some(growth) => writeln!(
                f,
                "{verdict}: after warm-up, the largest RSS of the second half is {growth:.3}× \
                 the first half's (at most {LEVEL:.2}×); {errors} errors."
            ),
            None => writeln!(
                f,
                "{verdict}: too few batches to judge the RSS after warm-up (at least {}); \
                 {errors} errors.",
                WARM_UP + 2
            ),
        }
    }
}

/// Memory in KiB, `/proc`'s unit: a soak looks for growth that MiB would round away.
fn kib(kib: u64) -> String {
    format!("{kib} KiB")
}

/// Starts `ch02-server` as shipped and makes `calls` `getProduct` calls, in batches of
/// [`BATCH`] or a tenth of the calls, whichever is smaller, so that a short soak still has
/// batches after warm-up to judge.
pub async fn run(binaries: &Binaries, machine: Machine, calls: u64) -> anyhow::Result<SoakReport> {
    let batch = BATCH.min(calls.div_ceil(10)).max(1);
    let server = Setup::logging(Peer::Ours)
        .start(binaries, Work::Unary, None)
        .await?;
    let start_rss_kib = server.rss_kib()?;
    let mut samples = Vec::new();
    let mut done = 0;
    while done < calls {
        let this_batch = batch.min(calls - done);
        let run = run_ch07_loadtest(
            binaries,
            None,
            server.addr(),
            None,
            Shape::MIDDLE,
            this_batch,
        )
        .await?;
        done += this_batch;
        let sample = Sample {
            calls: done,
            rss_kib: server.rss_kib()?,
            calls_per_second: run.measured.calls_per_second,
            errors: run.failed,
        };
        eprintln!(
            "bench: soak {done}/{calls} calls, RSS {}, {} errors",
            kib(sample.rss_kib),
            sample.errors
        );
        samples.push(sample);
    }
    server.stop().await?;
    Ok(SoakReport {
        machine,
        batch,
        start_rss_kib,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::{Sample, SoakReport};
    use crate::machine::describe;

    fn report(rss_kib: &[u64], errors: u64) -> SoakReport {
        SoakReport {
            machine: describe(),
            batch: 100,
            start_rss_kib: 4000,
            samples: rss_kib
                .iter()
                .enumerate()
                .map(|(i, &rss_kib)| Sample {
                    calls: 100 * (i as u64 + 1),
                    rss_kib,
                    calls_per_second: 1000.0,
                    errors: if i == 0 { errors } else { 0 },
                })
                .collect(),
        }
    }

    #[test]
    fn the_warm_up_batch_does_not_count() {
        let soak = report(&[3000, 5000, 5100, 5200, 5100], 0);
        let growth = soak.growth().expect("four batches after warm-up");
        assert!((growth - 5200.0 / 5100.0).abs() < 1e-9, "{growth}");
        assert!(soak.passed());
    }

    #[test]
    fn an_allocator_settling_in_a_step_passes() {
        // mimalloc in a soak of ch02-server: a step up early on, then level.
        assert!(report(&[17200, 13700, 13700, 15100, 14800, 14800, 14900, 14800], 0).passed());
    }

    #[test]
    fn memory_that_keeps_growing_fails() {
        assert!(!report(&[5000, 5000, 5200, 5400, 5600, 5800], 0).passed());
    }

    #[test]
    fn one_failed_call_fails() {
        assert!(!report(&[5000, 5000, 5000], 1).passed());
    }

    #[test]
    fn too_few_batches_cannot_pass() {
        let soak = report(&[5000, 5000], 0);
        assert_eq!(soak.growth(), None);
        assert!(!soak.passed());
        assert!(soak.to_string().contains("FAIL: too few batches"));
    }
}
