//! A failed call, printed the way the book's Go clients print it.
//!
//! grpc-go formats an error as `rpc error: code = NotFound desc = Product does not exist`.
//! Readers compare our output with the book's, so our clients use the same words.
//! (tonic's own `Display` for `Status` also lists details and metadata, which is noise here.)
//!
//! A status made on the client for a transport failure ("tcp connect error") keeps the real
//! cause at the end of its chain of error sources; that root cause is printed too, since it
//! is what the reader needs ("Connection refused").

use std::fmt;

use tonic::Status;

/// Displays a [`Status`] as grpc-go does: `rpc error: code = <Code> desc = <message>`.
pub struct RpcError<'a>(pub &'a Status);

impl fmt::Display for RpcError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rpc error: code = {:?} desc = {}",
            self.0.code(),
            self.0.message()
        )?;
        let mut root = None;
        let mut source = std::error::Error::source(self.0);
        while let Some(cause) = source {
            root = Some(cause);
            source = cause.source();
        }
        match root.map(ToString::to_string) {
            Some(cause) if cause != self.0.message() => write!(f, ": {cause}"),
            _ => Ok(()),
        }
    }
}
