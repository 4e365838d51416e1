//! The address flags of the book's samples.
//!
//! Every server listens on the book's port, 50051, unless told otherwise, and every client
//! dials it on `localhost`, so a server from this workspace and a client from the book (or the
//! other way round) meet without any flags.

use std::net::SocketAddr;

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
}
