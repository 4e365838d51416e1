//! `--threads`: which Tokio runtime a server runs on.
//!
//! Tokio offers two schedulers. The multi-thread one runs a worker per core and moves tasks
//! between them; the current-thread one runs every task on the thread that calls `block_on`.
//! Which is faster depends on the machine, not on the code: with spare cores the multi-thread
//! runtime serves more calls at once, but on a small machine shared with other work (a load
//! generator, a sidecar, a busy CI runner) its workers mostly wake each other up and hand
//! tasks across cores, and one thread serving everything does more with less CPU. The flag
//! makes that a deployment choice; chapter 2's README has the measurements behind the default.

use std::io;

use tokio::runtime::{Builder, Runtime};

/// `--threads` for a server.
#[derive(Debug, Clone, clap::Args)]
pub struct RuntimeArgs {
    /// Threads that serve calls: 1 runs every call on one thread (Tokio's current-thread
    /// runtime); N > 1 uses the multi-thread runtime with N workers; 0 uses it with one
    /// worker per CPU core.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
}

impl RuntimeArgs {
    /// Builds the runtime the flag asks for, with timers and I/O enabled.
    pub fn build(&self) -> io::Result<Runtime> {
        let mut builder = match self.threads {
            1 => Builder::new_current_thread(),
            0 => Builder::new_multi_thread(),
            workers => {
                let mut builder = Builder::new_multi_thread();
                builder.worker_threads(workers);
                builder
            }
        };
        builder.enable_all().build()
    }
}

#[cfg(test)]
mod tests {
    use super::RuntimeArgs;

    #[test]
    fn every_thread_count_builds_a_runtime_that_runs_tasks() {
        for threads in [0, 1, 3] {
            let runtime = RuntimeArgs { threads }.build().expect("a runtime");
            let answer = runtime.block_on(async { tokio::spawn(async { 42 }).await });
            assert_eq!(answer.expect("the task ran"), 42, "--threads {threads}");
        }
    }
}
