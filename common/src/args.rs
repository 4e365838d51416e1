//! The address flags of the book's samples.
//!
//! Every server listens on the book's port, 50051, unless told otherwise, and every client
//! dials it on `localhost`, so a server from this workspace and a client from the book (or the
//! other way round) meet without any flags.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::Endpoint;

use crate::channel::Channel;

/// The port every sample of the book listens on.
pub const BOOK_PORT: u16 = 50051;

/// `--addr` for a server: where to listen.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerAddr {
    /// Address to listen on, as HOST:PORT. The default, like the book's `:50051`, accepts
    /// connections on every interface.
    #[arg(long, default_value_t = SocketAddr::from(([0, 0, 0, 0], BOOK_PORT)))]
    pub addr: SocketAddr,
}

impl ServerAddr {
    /// Binds the address and logs `Server started, listening on <addr>`, the line tests and
    /// `interop/` wait for (with port 0 it names the port the system picked).
    pub async fn listen(&self) -> io::Result<TcpListener> {
        let listener = TcpListener::bind(self.addr).await.map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("cannot listen on {}: {error}", self.addr),
            )
        })?;
        tracing::info!("Server started, listening on {}", listener.local_addr()?);
        Ok(listener)
    }
}

/// `--addr` for a client: which server to call.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientAddr {
    /// Address of the server, as HOST:PORT.
    #[arg(long, default_value = "localhost:50051")]
    pub addr: String,
}

impl ClientAddr {
    /// The plaintext `http://HOST:PORT` URI tonic's `Endpoint` expects.
    pub fn http_uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A plaintext channel to the server that connects on the first call, as grpc-go's
    /// `Dial` does: a server that is not there shows up as that call's `UNAVAILABLE`.
    pub fn channel(&self) -> Result<Channel, InvalidAddr> {
        Endpoint::from_shared(self.http_uri())
            .map(|endpoint| crate::channel::guard(endpoint.connect_lazy()))
            .map_err(|_| InvalidAddr(self.addr.clone()))
    }

    /// A plaintext channel to the server, connected before the first call when the server
    /// answers within [`DIAL_WAIT`], as grpc-go's `Dial` starts connecting at once; otherwise
    /// one that connects on the first call, as [`channel`](Self::channel) does, so a server
    /// that is not there still shows up as that call's `UNAVAILABLE`.
    ///
    /// Connecting first matters for deadlines: a call's `grpc-timeout` is the time its
    /// caller has left when the call is made, and grpc-go sends the time left once the
    /// connection is up. Were the connection made inside the first call, that call would tell
    /// the server it has the connection time more than the client gives it, and a server
    /// whose own timer then fires after the client's cancel sees the call cancelled rather
    /// than past its deadline (the book's Go deadline server then logs nothing).
    pub async fn dial(&self) -> Result<Channel, InvalidAddr> {
        let endpoint =
            Endpoint::from_shared(self.http_uri()).map_err(|_| InvalidAddr(self.addr.clone()))?;
        let channel = match tokio::time::timeout(DIAL_WAIT, endpoint.connect()).await {
            Ok(Ok(channel)) => channel,
            _ => endpoint.connect_lazy(),
        };
        Ok(crate::channel::guard(channel))
    }
}

/// How long [`ClientAddr::dial`] waits for the connection before leaving it to the first call.
pub const DIAL_WAIT: Duration = Duration::from_secs(1);

/// A `--addr` that is not a valid `HOST:PORT`.
#[derive(Debug)]
pub struct InvalidAddr(pub String);

impl std::fmt::Display for InvalidAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid --addr {:?}: expected HOST:PORT", self.0)
    }
}

impl std::error::Error for InvalidAddr {}
