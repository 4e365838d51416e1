//! The gRPC series go-grpc-prometheus defines, for one side (server or client).

use prometheus::{CounterVec, HistogramOpts, HistogramVec, Opts, Registry};

/// Which end of the call the metrics describe; it is the `grpc_server_`/`grpc_client_` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The server's view: messages received are requests.
    Server,
    /// The client's view: messages received are responses.
    Client,
}

impl Side {
    fn prefix(self) -> &'static str {
        match self {
            Side::Server => "grpc_server",
            Side::Client => "grpc_client",
        }
    }
}

const CALL_LABELS: [&str; 3] = ["grpc_type", "grpc_service", "grpc_method"];

/// The standard series for one side, registered in a registry.
#[derive(Debug, Clone)]
pub struct GrpcMetrics {
    pub(crate) side: Side,
    pub(crate) started: CounterVec,
    pub(crate) handled: CounterVec,
    pub(crate) received: CounterVec,
    pub(crate) sent: CounterVec,
    pub(crate) handling_seconds: HistogramVec,
}

impl GrpcMetrics {
    /// Creates the series for `side` and registers them in `registry`.
    pub fn register(side: Side, registry: &Registry) -> prometheus::Result<Self> {
        let prefix = side.prefix();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            CounterVec::new(Opts::new(format!("{prefix}_{name}"), help), labels)
        };
        let with_code = ["grpc_type", "grpc_service", "grpc_method", "grpc_code"];
        let metrics = GrpcMetrics {
            side,
            started: counter(
                "started_total",
                "Total number of RPCs started.",
                &CALL_LABELS,
            )?,
            handled: counter(
                "handled_total",
                "Total number of RPCs completed, regardless of success or failure.",
                &with_code,
            )?,
            received: counter(
                "msg_received_total",
                "Total number of RPC stream messages received.",
                &CALL_LABELS,
            )?,
            sent: counter(
                "msg_sent_total",
                "Total number of gRPC stream messages sent.",
                &CALL_LABELS,
            )?,
            handling_seconds: HistogramVec::new(
                HistogramOpts::new(
                    format!("{prefix}_handling_seconds"),
                    "Histogram of response latency (seconds) of gRPC calls.",
                ),
                &CALL_LABELS,
            )?,
        };
        registry.register(Box::new(metrics.started.clone()))?;
        registry.register(Box::new(metrics.handled.clone()))?;
        registry.register(Box::new(metrics.received.clone()))?;
        registry.register(Box::new(metrics.sent.clone()))?;
        registry.register(Box::new(metrics.handling_seconds.clone()))?;
        Ok(metrics)
    }
}
