//! Payload size: `getProduct` of a 100-byte, a 10 KiB and a 1 MiB product, on every server
//! without call logs, at [`Shape::MIDDLE`].
//!
//! Small answers measure the cost of a call; large ones the cost of a byte: how often the
//! product is copied between the map and the socket. The flame graph of `--flamegraph`
//! shows where that goes for the largest.

use crate::server::Binaries;
use crate::setup::Setup;
use crate::unary::{self, Run, Shape, Tool, UnaryResult};

/// The encoded sizes measured.
pub const SIZES: [usize; 3] = [100, 10 * 1024, 1024 * 1024];

/// Calls per run: fewer for larger products, so that each run moves at most about as many
/// bytes as 200,000 book products do 100 times over, and still makes enough calls for a
/// p99.9.
pub fn calls_for(size: usize, calls: u64) -> u64 {
    match size {
        0..=1024 => calls,
        1025..=65536 => calls / 2,
        _ => calls / 100,
    }
    .max(10)
}

/// Every size on every setup in `setups`.
pub async fn measure(
    binaries: &Binaries,
    setups: &[Setup],
    calls: u64,
) -> anyhow::Result<Vec<UnaryResult>> {
    let mut results = Vec::new();
    for size in SIZES {
        for &setup in setups {
            eprintln!("bench: getProduct of a {size}-byte product on {setup}");
            let run = Run {
                product_bytes: Some(size),
                ..Run::new(
                    setup,
                    Shape::MIDDLE,
                    Tool::Ch07Loadtest,
                    calls_for(size, calls),
                )
            };
            results.push(unary::measure(binaries, run).await?);
        }
    }
    Ok(results)
}
