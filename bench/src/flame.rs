//! `--flamegraph FILE`: where the CPU of `getProduct` goes when the product is 1 MiB.
//!
//! `perf record` samples a fresh `ch02-server` (no call logs) with DWARF call graphs while
//! `ch07-loadtest` fetches the product at [`Shape::MIDDLE`]; `perf script` prints the samples;
//! inferno folds the stacks and draws the SVG. The release profile keeps line tables
//! (`debug = "line-tables-only"` in the workspace's `Cargo.toml`), which is what unwinding
//! and symbol names need. perf comes from Debian's `linux-perf` package and needs to be
//! allowed to trace the server (root, or `kernel.perf_event_paranoid` ≤ 1).

use std::io::BufReader;
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, ensure};
use inferno::collapse::Collapse;
use inferno::collapse::perf::{Folder, Options as CollapseOptions};
use inferno::flamegraph::{self, Options as FlameOptions};
use tokio::process::Command;

use crate::server::Binaries;
use crate::setup::{Peer, Setup, Work};
use crate::unary::{Shape, run_ch07_loadtest, store_product};

/// The product profiled: the largest of the payload runs.
const PRODUCT_BYTES: usize = 1024 * 1024;

/// Calls profiled: enough for some thousands of samples at perf's rate.
const CALLS: u64 = 6_000;

/// Samples per second: a prime, so sampling does not beat in step with a timer.
const FREQUENCY: &str = "997";

/// Profiles the 1 MiB `getProduct` and writes the flame graph to `out`.
pub async fn profile(binaries: &Binaries, out: &Path) -> anyhow::Result<()> {
    let setup = Setup::quiet(Peer::Ours);
    let server = setup.start(binaries, Work::Unary, None).await?;
    let (id, _) = store_product(server.addr(), Some(PRODUCT_BYTES)).await?;

    let samples = tempfile::NamedTempFile::new()?;
    let perf = Command::new("perf")
        .args([
            "record",
            "-F",
            FREQUENCY,
            "--call-graph",
            "dwarf,16384",
            "-p",
        ])
        .arg(server.pid().to_string())
        .arg("-o")
        .arg(samples.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("run perf record (apt-get install linux-perf)")?;
    let loaded = run_ch07_loadtest(
        binaries,
        None,
        server.addr(),
        Some(&id),
        Shape::MIDDLE,
        CALLS,
    )
    .await?;
    ensure!(loaded.failed == 0, "{} calls failed", loaded.failed);
    // perf writes its file when interrupted, as after Ctrl-C.
    Command::new("kill")
        .args(["-INT", &perf.id().context("perf is running")?.to_string()])
        .status()
        .await?;
    let recorded = perf.wait_with_output().await?;
    ensure!(
        samples.path().metadata()?.len() > 0,
        "perf recorded nothing: {}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    server.stop().await?;

    let script = Command::new("perf")
        .args(["script", "-i"])
        .arg(samples.path())
        .stderr(Stdio::null())
        .output()
        .await
        .context("run perf script")?;
    ensure!(script.status.success(), "perf script failed");
    let title = format!(
        "ch02-server: getProduct of a 1 MiB product, {CALLS} calls at {}",
        Shape::MIDDLE
    );
    let svg = std::fs::File::create(out).with_context(|| format!("create {}", out.display()))?;
    draw(&script.stdout, title, svg)
}

/// Folds the stacks `perf script` printed and draws them as a flame graph.
fn draw(perf_script: &[u8], title: String, svg: impl std::io::Write) -> anyhow::Result<()> {
    let mut folded = Vec::new();
    Folder::from(CollapseOptions::default())
        .collapse(BufReader::new(perf_script), &mut folded)
        .context("fold perf's stacks")?;
    let mut options = FlameOptions::default();
    options.title = title;
    // Frames narrower than a pixel are dropped (inferno's default keeps a tenth of one): the
    // picture is the same, the SVG checked in is a fraction of the size.
    options.min_width = 1.0;
    // Colours from the function's name, so that two runs' graphs can be compared by eye.
    options.hash = true;
    flamegraph::from_reader(&mut options, BufReader::new(&folded[..]), svg)
        .context("draw the flame graph")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::draw;

    /// Two samples as `perf script` prints them: a header line, then frames innermost first.
    const PERF_SCRIPT: &str = "\
ch02-server 4242 100.000001:    1001001 cpu-clock:
\t    7f00000010 __memmove_avx_unaligned_erms+0x10 (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t    5500000020 prost::encoding::string::encode+0x20 (/work/target/release/ch02-server)
\t    5500000030 main+0x30 (/work/target/release/ch02-server)

ch02-server 4242 100.001002:    1001001 cpu-clock:
\t    5500000030 main+0x30 (/work/target/release/ch02-server)

";

    #[test]
    fn perfs_samples_become_a_flame_graph_naming_their_frames() {
        let mut svg = Vec::new();
        draw(PERF_SCRIPT.as_bytes(), "a title".into(), &mut svg).expect("a flame graph");
        let svg = String::from_utf8(svg).expect("SVG is text");
        assert!(svg.starts_with("<?xml"), "{svg}");
        for name in ["a title", "prost::encoding::string::encode", "main"] {
            assert!(svg.contains(name), "{name} in {svg}");
        }
    }
}
