//! A server under attack, however it is reached: every plaintext server the README starts,
//! and `ch06-server`, which speaks only TLS, with the credentials each of its mechanisms asks.
//!
//! The attack suites loop over [`Target::ALL`], start each, and reach it through
//! [`Target::raw_channel`] and [`Target::raw_connection`], so the same hostile bytes go to
//! every server binary of the workspace, through TLS where the server asks for it.

use ch04_internals::http2::RawChannel;
use test_support::process::ServerProcess;

use crate::frames::RawConnection;
use crate::secured;
use crate::servers::{PLAINTEXT_SERVERS, Sample};
use crate::tls::TlsClient;

/// `ch06-server` with TLS and the book's basic credentials (`admin:admin`), and with mutual
/// TLS: the two ways its transport differs (server certificate only, or both sides'), each
/// with a call its roles admit.
pub const TLS_SERVERS: [Sample; 2] = [
    Sample {
        binary: "ch06-server",
        args: &["basic"],
        path: "/ecommerce.OrderManagement/getOrder",
        value: "102",
        // The book's header: base64 of `admin:admin`.
        headers: &[("authorization", "Basic YWRtaW46YWRtaW4=")],
    },
    Sample {
        binary: "ch06-server",
        args: &["mtls"],
        path: "/ecommerce.OrderManagement/getOrder",
        value: "102",
        headers: &[],
    },
];

/// A running server and the way to reach it.
pub struct Target {
    /// What it is and the call it answers.
    pub sample: Sample,
    /// The process.
    pub process: ServerProcess,
    /// The TLS client and the certificates it trusts, for `ch06-server`.
    tls: Option<(TlsClient, tempfile::TempDir)>,
}

impl Target {
    /// Every server binary that serves gRPC: the plaintext ones, then `ch06-server`'s.
    pub fn all() -> impl Iterator<Item = Sample> {
        PLAINTEXT_SERVERS.into_iter().chain(TLS_SERVERS)
    }

    /// Starts `sample`'s binary on an ephemeral port; `ch06-server` with a fresh certificate
    /// folder.
    pub async fn start(sample: Sample) -> Self {
        if sample.binary != "ch06-server" {
            return Self {
                sample,
                process: sample.start().await,
                tls: None,
            };
        }
        let (dir, certs) = secured::certs();
        let mut args: Vec<String> = sample.args.iter().map(|&arg| arg.to_owned()).collect();
        args.extend(["--certs".to_owned(), secured::dir_arg(&dir)]);
        let process = ServerProcess::spawn(&crate::servers::binary(sample.binary), args).await;
        let mutual = sample.args.contains(&"mtls");
        Self {
            sample,
            process,
            tls: Some((TlsClient::new(&certs, mutual), dir)),
        }
    }

    /// The binary and, for `ch06-server`, its mechanism: `ch06-server mtls`.
    pub fn name(&self) -> String {
        match self.sample.args.first() {
            Some(mechanism) if self.tls.is_some() => format!("{} {mechanism}", self.sample.binary),
            _ => self.sample.binary.to_owned(),
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> &str {
        self.process.addr()
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// A new HTTP/2 connection for chapter 4's raw client.
    ///
    /// # Panics
    ///
    /// When the server does not accept it.
    pub async fn raw_channel(&self) -> RawChannel {
        let connected = match &self.tls {
            None => RawChannel::connect(self.addr()).await,
            Some((tls, _)) => {
                let stream = tls.connect(self.addr()).await.expect("a TLS handshake");
                RawChannel::handshake(stream, self.addr()).await
            }
        };
        connected.unwrap_or_else(|error| panic!("{}: cannot connect: {error}", self.name()))
    }

    /// A new connection for frames written by hand.
    ///
    /// # Panics
    ///
    /// When the server does not accept it.
    pub async fn raw_connection(&self) -> RawConnection {
        let connected = match &self.tls {
            None => RawConnection::open(self.addr()).await,
            Some((tls, _)) => {
                let stream = tls.connect(self.addr()).await.expect("a TLS handshake");
                RawConnection::over(Box::new(stream)).await
            }
        };
        connected.unwrap_or_else(|error| panic!("{}: cannot connect: {error}", self.name()))
    }

    /// Makes the sample's call on a new connection and checks it was answered.
    pub async fn still_serves(&self) {
        self.sample.serves(&self.raw_channel().await).await;
    }

    /// Stops the server with SIGTERM.
    pub async fn stop(self) {
        self.process.terminate().await;
    }
}
