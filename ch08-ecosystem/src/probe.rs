//! A health probe (「헬스 프로브」): the counterpart of `grpc_health_probe`.
//!
//! Kubernetes runs a probe program inside the container and looks only at its exit code.
//! `grpc_health_probe` calls `grpc.health.v1.Health/Check` once and exits 0 only if the
//! answer is SERVING; every other outcome has its own non-zero code, so a failing probe says
//! in its exit code alone whether the server is down, broken or merely unhealthy. We keep the
//! Go tool's flags and codes:
//!
//! | exit code | meaning |
//! |---|---|
//! | 0 | the service answered SERVING |
//! | 1 | invalid arguments (including an unreadable `--tls-ca-cert`) |
//! | 2 | could not connect within `--connect-timeout` |
//! | 3 | the Check call failed or took longer than `--rpc-timeout` |
//! | 4 | the call succeeded but the status is not SERVING |

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use common::channel::Channel;
use tonic::Code;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

/// The probe's command line, with `grpc_health_probe`'s flag names.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    version,
    about = "Checks a gRPC server's health, like grpc_health_probe."
)]
pub struct ProbeArgs {
    /// Address of the server, as HOST:PORT.
    #[arg(long, default_value = "localhost:50051")]
    pub addr: String,
    /// Service to check; empty (the default) asks about the whole server.
    #[arg(long, default_value = "")]
    pub service: String,
    /// How long to try to connect, e.g. `250ms`, `1s`.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// How long the Check call may take, e.g. `250ms`, `1s`.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub rpc_timeout: Duration,
    /// Connect with TLS.
    #[arg(long)]
    pub tls: bool,
    /// PEM file of the CA to verify the server's certificate against (with `--tls`).
    #[arg(long)]
    pub tls_ca_cert: Option<PathBuf>,
    /// Name to expect in the server's certificate, if not the host of `--addr` (with `--tls`).
    #[arg(long)]
    pub tls_server_name: Option<String>,
}

/// How a probe ended; [`Outcome::exit_code`] is what the process exits with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The service is SERVING.
    Serving,
    /// The flags do not make a valid probe.
    InvalidArguments(String),
    /// No connection within the connect timeout.
    ConnectionFailed(String),
    /// The Check call failed (including a server without the Health service, and a timeout).
    RpcFailed(Code, String),
    /// The call succeeded with a status other than SERVING.
    Unhealthy(ServingStatus),
}

impl Outcome {
    /// The process exit code, as `grpc_health_probe` uses them.
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Serving => 0,
            Outcome::InvalidArguments(_) => 1,
            Outcome::ConnectionFailed(_) => 2,
            Outcome::RpcFailed(..) => 3,
            Outcome::Unhealthy(_) => 4,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Serving => write!(f, "status: SERVING"),
            Outcome::InvalidArguments(why) => write!(f, "error: {why}"),
            Outcome::ConnectionFailed(why) => write!(f, "error: {why}"),
            Outcome::RpcFailed(Code::Unimplemented, why) => write!(
                f,
                "error: this server does not implement the grpc health protocol \
                 (grpc.health.v1.Health): {why}"
            ),
            Outcome::RpcFailed(Code::DeadlineExceeded, why) => {
                write!(
                    f,
                    "timeout: health rpc did not complete within the rpc timeout: {why}"
                )
            }
            Outcome::RpcFailed(code, why) => {
                write!(f, "error: health rpc failed: {code:?}: {why}")
            }
            Outcome::Unhealthy(status) => write!(
                f,
                "service unhealthy (responded with {:?})",
                status.as_str_name()
            ),
        }
    }
}

/// Runs one probe: connect, Check, judge the answer.
pub async fn probe(args: &ProbeArgs) -> Outcome {
    let endpoint = match endpoint(args) {
        Ok(endpoint) => endpoint,
        Err(why) => return Outcome::InvalidArguments(why),
    };
    let channel = match connect(args, endpoint).await {
        Ok(channel) => channel,
        Err(outcome) => return outcome,
    };
    check(args, channel).await
}

fn endpoint(args: &ProbeArgs) -> Result<Endpoint, String> {
    if !args.tls && (args.tls_ca_cert.is_some() || args.tls_server_name.is_some()) {
        return Err("--tls-ca-cert and --tls-server-name need --tls".into());
    }
    let scheme = if args.tls { "https" } else { "http" };
    let endpoint = Endpoint::from_shared(format!("{scheme}://{}", args.addr))
        .map_err(|_| format!("invalid --addr {:?}: expected HOST:PORT", args.addr))?
        .connect_timeout(args.connect_timeout);
    if !args.tls {
        return Ok(endpoint);
    }
    endpoint
        .tls_config(tls_config(args)?)
        .map_err(|error| format!("cannot set up TLS: {error}"))
}

/// The probe carries no system trust store, so TLS needs the CA named explicitly.
fn tls_config(args: &ProbeArgs) -> Result<ClientTlsConfig, String> {
    let ca_path = args
        .tls_ca_cert
        .as_ref()
        .ok_or("--tls needs --tls-ca-cert: this probe has no system trust roots")?;
    let ca = std::fs::read(ca_path)
        .map_err(|error| format!("cannot read --tls-ca-cert {}: {error}", ca_path.display()))?;
    let config = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca));
    Ok(match &args.tls_server_name {
        Some(name) => config.domain_name(name),
        None => config,
    })
}

async fn connect(args: &ProbeArgs, endpoint: Endpoint) -> Result<Channel, Outcome> {
    let failed = |why: String| {
        Outcome::ConnectionFailed(format!(
            "failed to connect service at {:?}: {why}",
            args.addr
        ))
    };
    match tokio::time::timeout(args.connect_timeout, endpoint.connect()).await {
        Ok(Ok(channel)) => Ok(common::channel::guard(channel)),
        Ok(Err(error)) => Err(failed(error_chain(&error))),
        Err(_) => Err(failed(format!(
            "timed out after {:?}",
            args.connect_timeout
        ))),
    }
}

async fn check(args: &ProbeArgs, channel: Channel) -> Outcome {
    let mut request = tonic::Request::new(HealthCheckRequest {
        service: args.service.clone(),
    });
    // The timeout travels as grpc-timeout, so the server gives up too; the local timer
    // covers a server that ignores it.
    request.set_timeout(args.rpc_timeout);
    let mut client = HealthClient::new(channel);
    let call = client.check(request);
    let response = match tokio::time::timeout(args.rpc_timeout, call).await {
        Ok(Ok(response)) => response.into_inner(),
        Ok(Err(status)) => {
            return Outcome::RpcFailed(status.code(), status.message().to_owned());
        }
        Err(_) => {
            return Outcome::RpcFailed(
                Code::DeadlineExceeded,
                format!("no answer within {:?}", args.rpc_timeout),
            );
        }
    };
    match response.status() {
        ServingStatus::Serving => Outcome::Serving,
        other => Outcome::Unhealthy(other),
    }
}

/// An error with its causes, as the transport error alone says only "transport error".
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut last = text.clone();
    let mut source = error.source();
    while let Some(cause) = source {
        // Wrappers often repeat their cause's message; say it once.
        let message = cause.to_string();
        if message != last {
            text.push_str(": ");
            text.push_str(&message);
        }
        last = message;
        source = cause.source();
    }
    text
}

/// Parses `grpc_health_probe`-style durations: a number with `ms`, `s` or `m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 250ms or 1s"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        _ => return Err(format!("{text:?}: the unit must be ms, s or m")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|error| format!("{text:?}: {error}"))
}
