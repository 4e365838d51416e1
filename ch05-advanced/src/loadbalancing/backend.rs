//! The server side: echo backends that say which of them answered.

use std::future::Future;
use std::net::SocketAddr;

use book_proto::echo::echo_server::{Echo, EchoServer};
use book_proto::echo::{EchoRequest, EchoResponse};
use ch03_patterns::service::ResponseStream;
use futures::FutureExt;
use futures::future::try_join_all;
use tokio::net::TcpListener;
use tonic::{Request, Response, Status, Streaming};

/// grpc-go's Echo service, answering `UnaryEcho` with the message and the backend's port.
#[derive(Debug, Clone)]
pub struct EchoBackend {
    /// `:PORT`, the way the book's Go server names its listen address.
    port: String,
}

impl EchoBackend {
    /// The backend listening on `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            port: format!(":{}", addr.port()),
        }
    }
}

#[tonic::async_trait]
impl Echo for EchoBackend {
    async fn unary_echo(
        &self,
        request: Request<EchoRequest>,
    ) -> Result<Response<EchoResponse>, Status> {
        Ok(Response::new(EchoResponse {
            message: format!("{} (from {})", request.into_inner().message, self.port),
        }))
    }

    type ServerStreamingEchoStream = ResponseStream<EchoResponse>;

    async fn server_streaming_echo(
        &self,
        _request: Request<EchoRequest>,
    ) -> Result<Response<Self::ServerStreamingEchoStream>, Status> {
        Err(Status::unimplemented("not implemented"))
    }

    async fn client_streaming_echo(
        &self,
        _request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<EchoResponse>, Status> {
        Err(Status::unimplemented("not implemented"))
    }

    type BidirectionalStreamingEchoStream = ResponseStream<EchoResponse>;

    async fn bidirectional_streaming_echo(
        &self,
        _request: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<Self::BidirectionalStreamingEchoStream>, Status> {
        Err(Status::unimplemented("not implemented"))
    }
}

/// Serves one echo backend on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let backend = EchoBackend::new(listener.local_addr()?);
    tracing::info!("serving on {}", backend.port);
    common::server::builder()
        .add_service(EchoServer::new(backend))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await?;
    Ok(())
}

/// Serves a backend on each of `listeners`, as the book's one server process does, until
/// `shutdown` completes; then all of them stop.
pub async fn serve_all(
    listeners: Vec<TcpListener>,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let shutdown = shutdown.boxed().shared();
    try_join_all(
        listeners
            .into_iter()
            .map(|listener| serve(listener, shutdown.clone())),
    )
    .await?;
    Ok(())
}
