//! 「보안 적용 gRPC」 6장 (Chapter 6, Secured gRPC): the server of every sample.
//!
//! One server, the sample named as a subcommand, in place of the book's five:
//!
//! ```text
//! cargo run --bin ch06-server -- tls      # 단방향 보안 연결: one-way TLS
//! cargo run --bin ch06-server -- mtls     # mTLS 보안 연결: client certificates required
//! cargo run --bin ch06-server -- basic    # + authorization: Basic admin/admin
//! cargo run --bin ch06-server -- token    # + authorization: Bearer some-secret-token
//! cargo run --bin ch06-server -- jwt      # + authorization: Bearer <JWT>, addProduct for admins
//! ```
//!
//! Then run `ch06-client` with the same subcommand in a second terminal. The server listens on
//! 0.0.0.0:50051 (`--addr` to change), takes its certificates from
//! `~/.cache/grpc-up-and-running/certs` (`--certs DIR` or `CH06_CERTS=DIR` to change; see
//! `cert_dir`), making them there first if the folder is missing, and serves
//! ProductInfo (chapter 2) and OrderManagement (chapter 3). It logs each call as chapter 2's
//! server does, and each refused call's reason:
//!
//! ```text
//! INFO Server started, listening on 0.0.0.0:50051
//! INFO Product 0f1d… : Samsung S10 - Added.
//! INFO Verification failed - Unauthenticated! invalid credentials: wrong username or password
//! ```
//!
//! Ctrl-C (or SIGTERM) stops it after the calls in flight finish.

use ch06_security::Mechanism;
use ch06_security::cert_dir::CertsArg;
use clap::Parser;
use common::args::ServerAddr;

/// The ProductInfo and OrderManagement server of the book's chapter 6, secured.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Which sample: how calls are secured.
    #[arg(value_enum)]
    mechanism: Mechanism,
    #[command(flatten)]
    server: ServerAddr,
    #[command(flatten)]
    certs: CertsArg,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let _log = common::logging::init("info");
    let certs = args.certs.load_or_generate()?;
    let security = args.mechanism.server_security(&certs)?;
    tracing::info!("Sample: {}", args.mechanism.section());
    common::server::run(&args.server, |listener, shutdown| {
        ch06_security::serve(listener, security, shutdown)
    })
    .await
}
