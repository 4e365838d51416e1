//! Logging set-up for servers, clients and the tour.
//!
//! The book's Go samples log one line per call with `log.Printf`. Ours do the same through
//! `tracing`, at `INFO`, so the default output reads like the book's. `RUST_LOG` shows more:
//! `RUST_LOG=debug` for our own detail, `RUST_LOG=h2=trace` for every HTTP/2 frame.
//!
//! Lines go to stderr (as Go's `log` package does), but not straight away: a call formats its
//! line into a shared buffer and returns, and a background thread writes the buffer out a few
//! milliseconds later, many lines per `write(2)`. A slow terminal therefore never slows a call
//! down, and under load a log line costs the server a string copy instead of a system call
//! and a thread wake-up each (chapter 2's README has the measurements: per-line hand-off to a
//! writer thread, as `tracing-appender` does it, cost a quarter of the server's throughput).
//! Should the terminal fall so far behind that [`MAX_PENDING`] bytes wait, new lines are
//! dropped and counted rather than stalling the calls, and the count is logged when the
//! writer catches up.
//!
//! Each line starts with the time in UTC, as `2026-11-23T21:13:08.002951Z`. Turning seconds
//! into a calendar date and time costs more than the rest of the line, so [`LineTime`] does
//! it once a second per thread and only appends the microseconds to each line.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::FormatTime;

/// How long the writer gathers lines before it writes them: short enough to look immediate.
const GATHER: Duration = Duration::from_millis(10);

/// Bytes of lines that may wait for the writer before new lines are dropped.
pub const MAX_PENDING: usize = 4 * 1024 * 1024;

/// Installs the global `tracing` subscriber.
///
/// `default_filter` applies when `RUST_LOG` is unset. Keep the returned guard alive for the
/// whole program: dropping it writes the lines still waiting and stops the writer thread.
/// Calling this a second time (from a test, say) keeps the first subscriber.
#[must_use = "dropping the guard stops logging"]
pub fn init(default_filter: &str) -> LogGuard {
    let (writer, guard) = BatchedStderr::start();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // An error here only means a subscriber is already installed, which is fine.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_timer(LineTime)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer)
        .try_init();
    guard
}

/// The time at the start of a line: RFC 3339 in UTC with microseconds, the format of
/// `tracing-subscriber`'s default timer, with the part up to the seconds formatted once a
/// second (per thread) instead of once a line.
struct LineTime;

thread_local! {
    /// The last second formatted on this thread, and its text up to the seconds.
    static LAST_SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

impl FormatTime for LineTime {
    fn format_time(&self, w: &mut Writer<'_>) -> std::fmt::Result {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        LAST_SECOND.with_borrow_mut(|(second, text)| {
            if *second != now.as_secs() {
                *second = now.as_secs();
                text.clear();
                let at = i64::try_from(now.as_secs())
                    .ok()
                    .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH);
                write!(
                    text,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    at.year(),
                    u8::from(at.month()),
                    at.day(),
                    at.hour(),
                    at.minute(),
                    at.second()
                )?;
            }
            write!(w, "{text}.{:06}Z", now.subsec_micros())
        })
    }
}

/// The lines waiting to be written, shared by every thread that logs and the writer thread.
#[derive(Default)]
struct Pending {
    state: Mutex<Batch>,
    /// Signalled when the first line of a batch arrives, or when logging stops.
    ready: Condvar,
    dropped: AtomicU64,
}

#[derive(Default)]
struct Batch {
    lines: Vec<u8>,
    stopping: bool,
}

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, Batch> {
        // A panic while holding the lock leaves at worst a partial line in the buffer.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `tracing`'s writer: appends each formatted line to the shared buffer.
#[derive(Clone)]
struct BatchedStderr(Arc<Pending>);

impl BatchedStderr {
    /// The writer, and the guard that owns the thread writing its lines to stderr.
    fn start() -> (Self, LogGuard) {
        let pending = Arc::new(Pending::default());
        let writer = {
            let pending = pending.clone();
            thread::Builder::new()
                .name("log-writer".into())
                .spawn(move || write_batches(&pending))
                .ok()
        };
        (Self(pending.clone()), LogGuard { pending, writer })
    }
}

impl Write for BatchedStderr {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut batch = self.0.lock();
        if batch.lines.len() + line.len() > MAX_PENDING {
            self.0.dropped.fetch_add(1, Ordering::Relaxed);
        } else {
            let first = batch.lines.is_empty();
            batch.lines.extend_from_slice(line);
            drop(batch);
            // Only the first line of a batch wakes the writer: under load, one wake-up per
            // batch instead of one per line.
            if first {
                self.0.ready.notify_one();
            }
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BatchedStderr {
    type Writer = Self;

    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// The writer thread: waits for a line, gathers for [`GATHER`], writes everything at once.
fn write_batches(pending: &Pending) {
    let mut out = Vec::new();
    loop {
        let mut batch = pending.lock();
        while batch.lines.is_empty() && !batch.stopping {
            batch = pending
                .ready
                .wait(batch)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let stopping = batch.stopping;
        if !stopping {
            drop(batch);
            thread::sleep(GATHER);
            batch = pending.lock();
        }
        std::mem::swap(&mut out, &mut batch.lines);
        drop(batch);

        let dropped = pending.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            out.extend_from_slice(
                format!("({dropped} log lines dropped: the terminal fell behind)\n").as_bytes(),
            );
        }
        // Nowhere to report a failed write to stderr; the next batch tries again.
        let _ = std::io::stderr().write_all(&out);
        out.clear();
        if stopping {
            return;
        }
    }
}

/// Keeps logging running; dropping it writes what is still waiting and stops the writer.
pub struct LogGuard {
    pending: Arc<Pending>,
    writer: Option<JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.pending.lock().stopping = true;
        self.pending.ready.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::fmt::format::Writer;
    use tracing_subscriber::fmt::time::FormatTime;

    use super::LineTime;

    /// The same shape as `tracing-subscriber`'s default timer: the README's sample output
    /// shows it, and the tests of the chapters read lines that start with it.
    #[test]
    fn lines_start_with_rfc3339_utc_and_microseconds() {
        for _ in 0..2 {
            let mut text = String::new();
            LineTime
                .format_time(&mut Writer::new(&mut text))
                .expect("a timestamp");
            let bytes = text.as_bytes();
            assert_eq!(text.len(), "2026-11-23T21:13:08.002951Z".len(), "{text}");
            for (at, separator) in [
                (4, b'-'),
                (7, b'-'),
                (10, b'T'),
                (13, b':'),
                (16, b':'),
                (19, b'.'),
                (26, b'Z'),
            ] {
                assert_eq!(bytes[at], separator, "{text}");
            }
            assert!(text.starts_with("20"), "{text}");
        }
    }
}
