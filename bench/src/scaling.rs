//! Cores: `ch02-server --threads N` from one thread to every core, each server pinned to its
//! N cores with `taskset` and the load generator to the others, so that the server's threads
//! do not compete with the load for a core.
//!
//! With every core given to the server, nothing is left for the load generator: that row
//! shares the cores (and says so), as does every unpinned row. The unpinned rows are what a
//! server sharing its machine sees, which is how the suite's other runs are made.

use crate::server::Binaries;
use crate::setup::{Peer, Setup};
use crate::unary::{self, Pinning, Run, Shape, Tool, UnaryResult};

/// `--threads 1` to `--threads <cores>` at [`Shape::MIDDLE`], pinned, then unpinned.
pub async fn measure(
    binaries: &Binaries,
    cores: usize,
    calls: u64,
) -> anyhow::Result<Vec<UnaryResult>> {
    let mut results = Vec::new();
    for pinned in [true, false] {
        for threads in 1..=cores.max(1) {
            let setup = Setup {
                threads: Some(threads),
                ..Setup::quiet(Peer::Ours)
            };
            let run = Run {
                pinning: pinned.then(|| pinning(threads, cores)),
                ..Run::new(setup, Shape::MIDDLE, Tool::Ch07Loadtest, calls)
            };
            let place = if pinned { "pinned" } else { "unpinned" };
            eprintln!(
                "bench: getProduct {} with --threads {threads}, {place}",
                Shape::MIDDLE
            );
            results.push(unary::measure(binaries, run).await?);
        }
    }
    Ok(results)
}

/// The first `threads` cores for the server and the rest for the load generator; every core
/// for both when the server takes them all.
fn pinning(threads: usize, cores: usize) -> Pinning {
    let server = span(0, threads.min(cores));
    let load = if threads < cores {
        span(threads, cores)
    } else {
        span(0, cores)
    };
    Pinning { server, load }
}

/// CPUs `from..to` as taskset lists them: `0`, or `0-3`.
fn span(from: usize, to: usize) -> String {
    if to - from <= 1 {
        from.to_string()
    } else {
        format!("{from}-{}", to - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::pinning;

    #[test]
    fn the_load_generator_gets_the_cores_the_server_does_not() {
        let one_of_two = pinning(1, 2);
        assert_eq!(
            (one_of_two.server.as_str(), one_of_two.load.as_str()),
            ("0", "1")
        );
        let three_of_eight = pinning(3, 8);
        assert_eq!(
            (three_of_eight.server.as_str(), three_of_eight.load.as_str()),
            ("0-2", "3-7")
        );
        let all = pinning(2, 2);
        assert_eq!((all.server.as_str(), all.load.as_str()), ("0-1", "0-1"));
    }
}
