//! The balancer: which backend each call goes to.
//!
//! grpc-go keeps a subchannel (a connection) per resolved address and asks its load-balancing
//! policy to pick one for every call. [`Balancer`] does the same with one lazily connected
//! tonic [`Channel`] per address and a [`Policy`]:
//!
//! * [`Policy::PickFirst`] sends every call to the first backend that works, and stays there
//!   until that backend goes down;
//! * [`Policy::RoundRobin`] sends each call to the next backend in turn.
//!
//! Either way a backend that is down (the call fails with `UNAVAILABLE`) is passed over: the
//! call is made again on the next backend, as grpc-go's policies only pick a subchannel that
//! is connected. The caller's closure builds the request, so it can be made again.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::channel::Channel;

use tonic::transport::Endpoint;
use tonic::{Code, Status};

/// A load-balancing policy, named as in gRPC's service config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Every call to one backend, the first in the resolver's list that answers.
    PickFirst,
    /// The calls spread over the backends in turn.
    RoundRobin,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PickFirst => "pick_first",
            Self::RoundRobin => "round_robin",
        })
    }
}

/// One connection per backend, and a policy to pick among them.
pub struct Balancer {
    backends: Vec<Backend>,
    policy: Policy,
    /// The backend the next call tries first: pick-first's current one, or round-robin's
    /// turn (a counter; the index is taken modulo the number of backends).
    next: AtomicUsize,
}

struct Backend {
    authority: String,
    channel: Channel,
}

impl Balancer {
    /// A balancer over `endpoints` in the resolver's order. Nothing connects until a call
    /// needs a backend, as in grpc-go, where a failed connection shows up as a failed call.
    pub fn new(endpoints: Vec<Endpoint>, policy: Policy) -> Self {
        let backends = endpoints
            .into_iter()
            .map(|endpoint| Backend {
                authority: endpoint
                    .uri()
                    .authority()
                    .map_or_else(String::new, ToString::to_string),
                channel: common::channel::guard(endpoint.connect_lazy()),
            })
            .collect();
        Self {
            backends,
            policy,
            next: AtomicUsize::new(0),
        }
    }

    /// The policy this balancer picks with.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Runs `call` on a channel to the backend the policy picks, or, while the picked one is
    /// down, on the backends after it in turn.
    ///
    /// Fails with `UNAVAILABLE` when every backend is down (or there is none), and with the
    /// backend's status when a backend that is up answers with an error.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T, Status>
    where
        F: FnMut(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        self.call_named(call).await.map(|(_backend, answer)| answer)
    }

    /// [`call`](Self::call), also naming the backend that answered (its `HOST:PORT`), for a
    /// client that shows where each call went (chapter 7's client behind a headless Service).
    pub async fn call_named<T, F, Fut>(&self, mut call: F) -> Result<(&str, T), Status>
    where
        F: FnMut(Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        let count = self.backends.len();
        let first = match self.policy {
            Policy::PickFirst => self.next.load(Ordering::Relaxed),
            Policy::RoundRobin => self.next.fetch_add(1, Ordering::Relaxed),
        };
        let mut down = Status::unavailable("no backends to pick from");
        for index in (0..count).map(|offset| first.wrapping_add(offset) % count) {
            let backend = &self.backends[index];
            match call(backend.channel.clone()).await {
                Err(status) if status.code() == Code::Unavailable => {
                    tracing::info!(
                        "{} is unavailable, trying the next backend",
                        backend.authority
                    );
                    down = status;
                }
                answered => {
                    if self.policy == Policy::PickFirst {
                        self.next.store(index, Ordering::Relaxed);
                    }
                    return answered.map(|answer| (backend.authority.as_str(), answer));
                }
            }
        }
        Err(down)
    }
}
