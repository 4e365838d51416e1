//! 「gRPC 생태계」 8장, 서버 리플렉션과 헬스 체크 (Chapter 8, The gRPC Ecosystem: server
//! reflection and health checking).
//!
//! Chapter 2's ProductInfo with `grpc.reflection.v1` and `v1alpha`, and `grpc.health.v1`:
//!
//! ```text
//! cargo run --bin ch08-server                      # listens on 0.0.0.0:50051
//! grpcurl -plaintext localhost:50051 list          # or: cargo run --bin ch08-health-probe
//! ```
//!
//! It logs `Server started, listening on ...` and each call like chapter 2. On Ctrl-C it logs
//! `Health: NOT_SERVING, shutting down`, drains and logs `Server stopped`.

use clap::Parser;
use common::args::ServerAddr;

/// ProductInfo with server reflection and health checking.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    server: ServerAddr,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    common::server::run(&args.server, ch08_ecosystem::serve).await
}
