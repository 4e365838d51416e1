//! Which server a run measures, and how it is started.
//!
//! Every peer does the work of the book's chapter 2 and chapter 3 servers and logs a line per
//! call as the book's Go servers do; `--no-call-logs` (or `RUST_LOG` for ours) turns those
//! lines off. The headline comparison has no per-call logging on any side, because the cost of
//! a log line depends on the logger, not on the gRPC stack; the same runs with logs are a
//! second set of rows.

use std::fmt;
use std::path::PathBuf;

use anyhow::Context;

use crate::server::{Binaries, ServerUnderTest};

/// The implementation under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Peer {
    /// This workspace: `ch02-server` for unary calls, `ch03-server` for streams.
    #[serde(rename = "ours")]
    Ours,
    /// `bench-h2-limit`: `getProduct` answered on bare HTTP/2 with pre-encoded bytes.
    #[serde(rename = "raw h2")]
    H2Limit,
    /// grpc C++ 1.51, callback API (`bench/cpp-reference`).
    #[serde(rename = "grpc C++")]
    GrpcCpp,
    /// grpc-go 1.33 (`bench/go-reference`).
    #[serde(rename = "grpc-go")]
    GrpcGo,
}

/// What a call is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// `getProduct`: ch02-server's work.
    Unary,
    /// `searchOrders` and `processOrders`: ch03-server's work.
    Streaming,
}

/// One server, started one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Setup {
    /// Whose server.
    pub peer: Peer,
    /// A log line per call (the book's behaviour) or none.
    pub call_logs: bool,
    /// `--threads N` for our servers; `None` is their default (one thread).
    pub threads: Option<usize>,
}

impl Setup {
    /// `peer` as shipped, without per-call logs: the headline rows.
    pub const fn quiet(peer: Peer) -> Self {
        Self {
            peer,
            call_logs: false,
            threads: None,
        }
    }

    /// `peer` as shipped, logging every call.
    pub const fn logging(peer: Peer) -> Self {
        Self {
            peer,
            call_logs: true,
            threads: None,
        }
    }

    /// Starts a fresh server of this setup for `work`, on `cpus` when given.
    pub async fn start(
        &self,
        binaries: &Binaries,
        work: Work,
        cpus: Option<&str>,
    ) -> anyhow::Result<ServerUnderTest> {
        let env = [("RUST_LOG", self.rust_log())];
        ServerUnderTest::start(&self.binary(binaries, work)?, &self.args(), &env, cpus).await
    }

    /// The binary that does `work` for this peer.
    fn binary(&self, binaries: &Binaries, work: Work) -> anyhow::Result<PathBuf> {
        let peers = binaries.peers();
        Ok(match (self.peer, work) {
            (Peer::Ours, Work::Unary) => binaries.path("ch02-server"),
            (Peer::Ours, Work::Streaming) => binaries.path("ch03-server"),
            (Peer::H2Limit, Work::Unary) => binaries.path("bench-h2-limit"),
            (Peer::H2Limit, Work::Streaming) => anyhow::bail!("the raw h2 server has no streams"),
            (Peer::GrpcCpp, _) => peers
                .cpp
                .clone()
                .context("no grpc C++ server (--cpp-server or --all-peers)")?,
            (Peer::GrpcGo, _) => peers
                .go
                .clone()
                .context("no grpc-go server (--go-server or --all-peers)")?,
        })
    }

    /// The flags after `--addr`.
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(threads) = self.threads {
            args.extend(["--threads".to_owned(), threads.to_string()]);
        }
        if !self.call_logs && matches!(self.peer, Peer::GrpcCpp | Peer::GrpcGo) {
            args.push("--no-call-logs".to_owned());
        }
        args
    }

    /// `RUST_LOG` for our servers: `info` logs every call; `warn,common=info` keeps only the
    /// start line (which `bench` reads the port from) and warnings.
    fn rust_log(&self) -> &'static str {
        if self.call_logs {
            "info"
        } else {
            "warn,common=info"
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ours => "ours",
            Self::H2Limit => "raw h2",
            Self::GrpcCpp => "grpc C++",
            Self::GrpcGo => "grpc-go",
        })
    }
}

/// `ours`, `ours --threads 0`, `grpc-go +logs`: the server column of the tables.
impl fmt::Display for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.peer)?;
        if let Some(threads) = self.threads {
            write!(f, " --threads {threads}")?;
        }
        if self.call_logs {
            f.write_str(" +logs")?;
        }
        Ok(())
    }
}
