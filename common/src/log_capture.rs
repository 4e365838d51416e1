//! Captures what a test's servers log, so the test can wait for a line.
//!
//! Some behaviour is only visible in a server's log: that it noticed a cancelled stream, or
//! stopped working on a call whose deadline passed. [`CapturedLog::install`] captures every
//! line logged on the current thread; a `#[tokio::test]` (or the tour) runs the server's tasks
//! on that thread, on its current-thread runtime, so their lines land here.
//!
//! How: the first capture installs one process-wide subscriber that writes each line to the
//! capture of the thread it was logged on. Tests in one binary run on several threads at once,
//! and a process-wide subscriber keeps them from disturbing each other: `tracing` caches, per
//! call site, whether any subscriber wants its events, and with per-thread subscribers coming
//! and going in parallel that cache can briefly say no for everyone. When a program has its own
//! global subscriber already (the tour), the capture is a per-thread subscriber instead.

use std::cell::RefCell;
use std::io;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::watch;
use tracing::subscriber::DefaultGuard;

thread_local! {
    /// The capture of this thread, if one is installed.
    static CAPTURE: RefCell<Option<CapturedLog>> = const { RefCell::new(None) };
}

/// Whether the process-wide capturing subscriber is installed.
static GLOBAL: OnceLock<bool> = OnceLock::new();

/// Everything logged so far on this thread, and a way to wait for a line.
#[derive(Clone)]
pub struct CapturedLog(watch::Sender<String>);

/// Capture stops when this is dropped.
pub struct CaptureGuard {
    _local: Option<DefaultGuard>,
}

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

impl CapturedLog {
    /// Starts capturing this thread's log lines (at `INFO` and above).
    #[must_use = "capture stops when the guard is dropped"]
    pub fn install() -> (Self, CaptureGuard) {
        let log = Self(watch::Sender::new(String::new()));
        CAPTURE.with(|capture| *capture.borrow_mut() = Some(log.clone()));
        let global = *GLOBAL.get_or_init(|| {
            tracing::subscriber::set_global_default(subscriber(|| ThreadWriter)).is_ok()
        });
        let local = (!global).then(|| {
            let writer = log.clone();
            tracing::subscriber::set_default(subscriber(move || writer.clone()))
        });
        (log, CaptureGuard { _local: local })
    }

    /// The first line containing `text`, waiting for it up to 30 seconds.
    ///
    /// # Panics
    ///
    /// When no such line arrives in time; the panic shows the whole log.
    pub async fn line_containing(&self, text: &str) -> String {
        let mut log = self.0.subscribe();
        let waited = tokio::time::timeout(
            Duration::from_secs(30),
            log.wait_for(|log| log.contains(text)),
        )
        .await;
        let log = self.0.borrow();
        assert!(
            waited.is_ok(),
            "no log line containing {text:?} in:\n{}",
            *log
        );
        log.lines()
            .find(|line| line.contains(text))
            .map(str::to_owned)
            .unwrap_or_default()
    }

    /// Everything captured so far.
    pub fn contents(&self) -> String {
        self.0.borrow().clone()
    }

    fn append(&self, bytes: &[u8]) {
        self.0
            .send_modify(|log| log.push_str(&String::from_utf8_lossy(bytes)));
    }
}

fn subscriber<W>(make_writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_target(false)
        .with_env_filter("info")
        .with_writer(make_writer)
        .finish()
}

impl io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.append(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes a line to the capture of the thread that logged it, or nowhere.
struct ThreadWriter;

impl io::Write for ThreadWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(log) = capture.borrow().as_ref() {
                log.append(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
