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
    let (writer, guard) = BatchedWriter::start(std::io::stderr());
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
struct BatchedWriter(Arc<Pending>);

impl BatchedWriter {
    /// The writer, and the guard that owns the thread writing its lines to `out` (stderr).
    fn start(out: impl Write + Send + 'static) -> (Self, LogGuard) {
        let pending = Arc::new(Pending::default());
        let writer = {
            let pending = pending.clone();
            thread::Builder::new()
                .name("log-writer".into())
                .spawn(move || write_batches(&pending, out))
                .ok()
        };
        (Self(pending.clone()), LogGuard { pending, writer })
    }
}

impl Write for BatchedWriter {
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

impl<'a> MakeWriter<'a> for BatchedWriter {
    type Writer = Self;

    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// The writer thread: waits for a line, gathers for [`GATHER`], writes everything at once.
fn write_batches(pending: &Pending, mut sink: impl Write) {
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
        let _ = sink.write_all(&out).and_then(|()| sink.flush());
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
    use std::io::Write;
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::format::Writer;
    use tracing_subscriber::fmt::time::FormatTime;

    use super::{BatchedWriter, LineTime, MAX_PENDING};

    /// What the writer thread wrote, shared with the test; each write first waits for a
    /// go-ahead from the test when `gate` is set.
    #[derive(Clone, Default)]
    struct Sink {
        written: Arc<Mutex<Vec<u8>>>,
        gate: Option<Arc<Mutex<mpsc::Receiver<()>>>>,
    }

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if let Some(gate) = &self.gate {
                let _ = gate.lock().expect("the gate").recv();
            }
            self.written
                .lock()
                .expect("the sink")
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.written.lock().expect("the sink").clone()).expect("UTF-8")
        }
    }

    #[test]
    fn every_line_is_written_in_order_by_the_time_the_guard_is_dropped() {
        let sink = Sink::default();
        let (mut writer, guard) = BatchedWriter::start(sink.clone());
        for i in 0..1000 {
            writer
                .write_all(format!("line {i}\n").as_bytes())
                .expect("write");
        }
        drop(guard);
        let expected: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        assert_eq!(sink.text(), expected);
    }

    /// While the terminal is stuck, lines past [`MAX_PENDING`] bytes are dropped, not queued
    /// without bound, and the writer says how many once it gets through.
    #[test]
    fn lines_past_the_limit_are_dropped_and_counted() {
        let (open_gate, gate) = mpsc::channel();
        let sink = Sink {
            written: Arc::default(),
            gate: Some(Arc::new(Mutex::new(gate))),
        };
        let (mut writer, guard) = BatchedWriter::start(sink.clone());
        let line = format!("{}\n", "x".repeat(1023));
        // More than the buffer and one batch in the stuck writer could ever hold.
        let lines = 3 * MAX_PENDING / line.len();
        for _ in 0..lines {
            writer.write_all(line.as_bytes()).expect("write");
        }
        // Let every write through from now on, and stop.
        for _ in 0..lines + 2 {
            let _ = open_gate.send(());
        }
        drop(guard);

        let text = sink.text();
        let written = text.matches(&line).count();
        let dropped = lines - written;
        assert!(dropped > 0, "some lines did not fit");
        assert!(
            text.contains(&format!(
                "({dropped} log lines dropped: the terminal fell behind)"
            )),
            "{dropped} of {lines} dropped, and said so"
        );
    }

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
