//! A chapter's server on an ephemeral loopback port, for tests and the tour.
//!
//! Every chapter library exposes `serve(listener, shutdown)`, the same function its server
//! binary runs. [`LocalServer::start`] binds `127.0.0.1:0` first and hands the bound listener
//! over, so the server is reachable the moment `start` returns: no fixed port to collide on,
//! and no sleeping while a server "comes up".

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Endpoint;

use crate::channel::Channel;

/// A server running in a task of the current runtime.
pub struct LocalServer<E> {
    addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<Result<(), E>>,
}

impl<E: Send + 'static> LocalServer<E> {
    /// Binds `127.0.0.1:0` and spawns `serve(listener, shutdown)`.
    pub async fn start<F, Fut>(serve: F) -> std::io::Result<Self>
    where
        F: FnOnce(TcpListener, ShutdownSignal) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
    {
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, signal) = oneshot::channel();
        let task = tokio::spawn(serve(listener, ShutdownSignal(signal)));
        Ok(Self {
            addr,
            shutdown,
            task,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for a plaintext tonic client.
    pub fn http_uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A channel to the server. It connects on the first call, so a client made from it
    /// needs no `.await` and no error handling of its own.
    pub fn channel(&self) -> Channel {
        crate::channel::guard(
            Endpoint::from_shared(self.http_uri())
                .expect("a socket address makes a valid URI")
                .connect_lazy(),
        )
    }

    /// Asks the server to shut down, without waiting for it; await the handle to see it stop.
    pub fn request_shutdown(self) -> JoinHandle<Result<(), E>> {
        // The server may have stopped on its own already; then there is no one to tell.
        let _ = self.shutdown.send(());
        self.task
    }

    /// Asks the server to shut down and waits until it has: calls in flight have finished
    /// and `serve` has returned. A `serve` that panicked resumes the panic here.
    pub async fn stop(self) -> Result<(), E> {
        match self.request_shutdown().await {
            Ok(result) => result,
            Err(join_error) if join_error.is_panic() => {
                std::panic::resume_unwind(join_error.into_panic())
            }
            Err(join_error) => panic!("server task did not finish: {join_error}"),
        }
    }
}

/// The shutdown future [`LocalServer`] passes to `serve`: completes when the server is asked
/// to stop (or the [`LocalServer`] is dropped).
pub struct ShutdownSignal(oneshot::Receiver<()>);

impl ShutdownSignal {
    /// Waits for the request to shut down.
    pub async fn wait(self) {
        let _ = self.0.await;
    }
}
