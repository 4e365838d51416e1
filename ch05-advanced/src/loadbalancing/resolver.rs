//! The name resolver: a gRPC target in, the addresses of its backends out.
//!
//! A gRPC target reads `scheme://authority/endpoint`. The book's client registers a resolver
//! for the scheme `example` that knows one name, `lb.example.grpc.io`, and answers it with a
//! fixed list of addresses; grpc-go looks the resolver up by scheme when the client dials.
//! tonic has no resolver registry, so here the client asks a [`Resolver`] itself and hands
//! the answer to its [`Balancer`](super::Balancer).

use std::fmt;

use common::args::InvalidAddr;
use tonic::transport::Endpoint;

/// The scheme the book's resolver answers for.
pub const SCHEME: &str = "example";

/// The one service name the book's resolver knows.
pub const SERVICE_NAME: &str = "lb.example.grpc.io";

/// The target the book's client dials.
pub const TARGET: &str = "example:///lb.example.grpc.io";

/// The book's static resolver: [`SERVICE_NAME`] under [`SCHEME`] names a fixed list of
/// backends.
#[derive(Debug, Clone)]
pub struct Resolver {
    backends: Vec<Endpoint>,
}

impl Resolver {
    /// A resolver whose answer for [`TARGET`] is `backends`, each a `HOST:PORT`.
    pub fn new(backends: &[String]) -> Result<Self, InvalidAddr> {
        let backends = backends
            .iter()
            .map(|addr| {
                Endpoint::from_shared(format!("http://{addr}"))
                    .map_err(|_| InvalidAddr(addr.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { backends })
    }

    /// The backends `target` names, as endpoints a channel can connect to.
    pub fn resolve(&self, target: &str) -> Result<Vec<Endpoint>, ResolveError> {
        let (scheme, rest) = target
            .split_once("://")
            .ok_or_else(|| ResolveError::NotATarget(target.to_owned()))?;
        if scheme != SCHEME {
            return Err(ResolveError::UnknownScheme(scheme.to_owned()));
        }
        // The authority (between `//` and the next `/`) is empty in the book's target, and
        // this resolver has no use for it.
        let name = rest.split_once('/').map_or(rest, |(_authority, name)| name);
        if name != SERVICE_NAME {
            return Err(ResolveError::UnknownName(name.to_owned()));
        }
        Ok(self.backends.clone())
    }
}

/// Why a target did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Not of the form `scheme://authority/endpoint`.
    NotATarget(String),
    /// No resolver for this scheme.
    UnknownScheme(String),
    /// The resolver does not know this name.
    UnknownName(String),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotATarget(target) => {
                write!(f, "{target:?} is not a target of the form scheme:///name")
            }
            Self::UnknownScheme(scheme) => {
                write!(f, "no resolver for the scheme {scheme:?}, only {SCHEME:?}")
            }
            Self::UnknownName(name) => {
                write!(
                    f,
                    "the {SCHEME:?} resolver does not know {name:?}, only {SERVICE_NAME:?}"
                )
            }
        }
    }
}

impl std::error::Error for ResolveError {}
