//! A load test's results, printed like ghz's summary or as JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use hdrhistogram::Histogram;
use tonic::Code;

use wire::status::spec_name;

/// The percentiles the summary lists, ghz's set.
const PERCENTILES: [f64; 7] = [10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0];

/// How many bars the latency histogram has, as in ghz.
const BUCKETS: u64 = 10;

/// An empty latency histogram in microseconds: 1 µs to 1 min, 3 significant digits.
pub(crate) fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("the bounds are valid")
}

/// A latency as whole microseconds, the histogram's unit.
pub(crate) fn micros(latency: Duration) -> u64 {
    u64::try_from(latency.as_micros()).unwrap_or(u64::MAX)
}

/// What a load test measured. Latencies are in milliseconds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Calls made.
    pub count: u64,
    /// Wall time from the first call to the last answer, in milliseconds.
    pub total_ms: f64,
    /// Calls per second over the whole run.
    pub requests_per_sec: f64,
    /// The fastest call.
    pub fastest_ms: f64,
    /// The slowest call (the maximum).
    pub slowest_ms: f64,
    /// The mean latency.
    pub average_ms: f64,
    /// The 50th percentile.
    pub p50_ms: f64,
    /// The 90th percentile.
    pub p90_ms: f64,
    /// The 99th percentile.
    pub p99_ms: f64,
    /// The 99.9th percentile: the tail a benchmark compares servers by, past ghz's list.
    pub p999_ms: f64,
    /// Latency by percentile, ghz's list.
    pub latency_distribution: Vec<Percentile>,
    /// Ten equal-width bars from the fastest to the slowest call.
    pub histogram: Vec<Bucket>,
    /// How many calls ended with each status code (`OK`, `NOT_FOUND`, ...).
    pub status_codes: BTreeMap<String, u64>,
}

/// One line of the latency distribution.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Percentile {
    /// The percentage of calls, 0 to 100.
    pub percentage: f64,
    /// They took at most this long.
    pub latency_ms: f64,
}

/// One bar of the latency histogram.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bucket {
    /// The bar's upper bound.
    pub mark_ms: f64,
    /// Calls whose latency fell in the bar.
    pub count: u64,
}

impl Report {
    pub(crate) fn new(
        elapsed: Duration,
        latencies: Histogram<u64>,
        codes: BTreeMap<i32, u64>,
    ) -> Self {
        let ms = |micros: u64| micros as f64 / 1000.0;
        let at = |percentage: f64| ms(latencies.value_at_percentile(percentage));
        let count = latencies.len();
        let seconds = elapsed.as_secs_f64();
        Report {
            count,
            total_ms: seconds * 1000.0,
            requests_per_sec: if seconds > 0.0 {
                count as f64 / seconds
            } else {
                0.0
            },
            fastest_ms: ms(latencies.min()),
            slowest_ms: ms(latencies.max()),
            average_ms: latencies.mean() / 1000.0,
            p50_ms: at(50.0),
            p90_ms: at(90.0),
            p99_ms: at(99.0),
            p999_ms: at(99.9),
            latency_distribution: PERCENTILES
                .iter()
                .map(|&percentage| Percentile {
                    percentage,
                    latency_ms: at(percentage),
                })
                .collect(),
            histogram: buckets(&latencies),
            status_codes: codes
                .into_iter()
                .map(|(code, count)| (spec_name(Code::from_i32(code)), count))
                .collect(),
        }
    }

    /// The report as one line of JSON, for `--json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a report is plain data")
    }
}

/// Splits `[min, max]` into [`BUCKETS`] equal bars and counts the calls in each.
fn buckets(latencies: &Histogram<u64>) -> Vec<Bucket> {
    if latencies.is_empty() {
        return Vec::new();
    }
    let (min, max) = (latencies.min(), latencies.max());
    let width = ((max - min) / BUCKETS).max(1);
    let mut bars: Vec<Bucket> = (1..=BUCKETS)
        .map(|i| Bucket {
            mark_ms: (min + width * i).min(max) as f64 / 1000.0,
            count: 0,
        })
        .collect();
    for value in latencies.iter_recorded() {
        let index = ((value.value_iterated_to() - min) / width).min(BUCKETS - 1);
        bars[index as usize].count += value.count_at_value();
    }
    bars.dedup_by(|later, earlier| {
        let same = later.mark_ms == earlier.mark_ms;
        if same {
            earlier.count += later.count;
        }
        same
    });
    bars
}

/// ghz's summary layout: totals, histogram, distribution, status codes.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Summary:")?;
        writeln!(f, "  Count:\t{}", self.count)?;
        writeln!(f, "  Total:\t{:.2} ms", self.total_ms)?;
        writeln!(f, "  Slowest:\t{:.2} ms", self.slowest_ms)?;
        writeln!(f, "  Fastest:\t{:.2} ms", self.fastest_ms)?;
        writeln!(f, "  Average:\t{:.2} ms", self.average_ms)?;
        writeln!(f, "  Requests/sec:\t{:.2}", self.requests_per_sec)?;
        writeln!(f)?;
        writeln!(f, "Response time histogram:")?;
        let tallest = self.histogram.iter().map(|b| b.count).max().unwrap_or(0);
        for bucket in &self.histogram {
            let bar = if tallest == 0 {
                0
            } else {
                (bucket.count * 40).div_ceil(tallest)
            };
            let bar = "∎".repeat(bar as usize);
            writeln!(f, "  {:.3} [{}]\t|{bar}", bucket.mark_ms, bucket.count)?;
        }
        writeln!(f)?;
        writeln!(f, "Latency distribution:")?;
        for p in &self.latency_distribution {
            writeln!(f, "  {} % in {:.2} ms", p.percentage, p.latency_ms)?;
        }
        writeln!(f)?;
        writeln!(f, "Status code distribution:")?;
        for (code, count) in &self.status_codes {
            writeln!(f, "  [{code}]\t{count} responses")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_every_call() {
        let mut latencies = new_histogram();
        for micros in [100, 200, 300, 1000, 1000, 5000] {
            latencies.record(micros).expect("in bounds");
        }
        let bars = buckets(&latencies);
        assert_eq!(bars.len(), 10);
        assert_eq!(bars.iter().map(|b| b.count).sum::<u64>(), 6);
        assert_eq!(bars[0].count, 3);
        assert_eq!(bars[9].count, 1);
    }
}
