//! 헤드리스 서비스와 클라이언트 측 로드밸런싱 (Client-side load balancing over a headless
//! Service) · 책 밖의 내용 (beyond the book).
//!
//! The book's Kubernetes client dials the Service `productinfo:50051`, a ClusterIP Service:
//! one virtual IP, behind which kube-proxy sends each new TCP connection to one of the pods.
//! That balances connections, not calls. gRPC runs on HTTP/2, which keeps one long-lived
//! connection per client and multiplexes every call over it, so all the calls of a client
//! land on the pod its connection happened to reach, for as long as the connection lives; with
//! three replicas and one busy client, two replicas idle, and a replica added later gets no
//! calls from the clients already connected.
//!
//! The fix gRPC recommends is to balance on the client. The headless Service
//! `productinfo-headless` (`clusterIP: None`, in `deploy/k8s/server.yaml`) has no virtual IP:
//! its DNS name answers with the address of every ready pod. The client resolves the name,
//! connects to each address and spreads its calls over them. In grpc-go that is the target
//! `dns:///productinfo-headless:50051` with the `round_robin` policy in the service config.
//! tonic has neither: an `Endpoint` with a host name resolves it when it connects and uses the
//! address that connects first, and `Channel::balance_list` picks by "power of two choices"
//! from endpoints it is handed. So `ch07-client --addr dns:///productinfo-headless:50051 --lb
//! round_robin` does the two steps itself:
//!
//! * [`Resolver`] turns the name into addresses with `tokio::net::lookup_host` (the system's
//!   resolver, as grpc-go's DNS resolver uses Go's), unless the name is in its static table;
//! * [`DnsBalancer`] hands them to chapter 5's [`Balancer`], one lazily connected channel per
//!   address, which passes over a backend that is down (`UNAVAILABLE`) to the next one.
//!
//! **When it resolves again.** A resolution is a snapshot: pods come and go. [`DnsBalancer`]
//! resolves again before a call when
//!
//! * a backend failed since the last resolution (the balancer passed over one, or every backend
//!   was down), but no sooner than [`RESOLVE_GAP`] after the last one. A pod that stopped has
//!   left the headless Service's answer by then (Kubernetes removes a pod that is terminating
//!   or not ready), so it leaves the list instead of being tried and passed over on every turn.
//!   This is grpc-go's behaviour: its balancer asks the resolver to `ResolveNow` when a
//!   connection fails, and the DNS resolver waits at least 30 s between lookups; the gap keeps
//!   a backend that stays down from turning every call into a DNS query;
//! * [`REFRESH_EVERY`] has passed, failures or not. A pod that joins makes nothing fail, so
//!   without this a scale-up would never reach a running client. grpc-go does not poll: it
//!   counts on the servers closing connections now and then (`MaxConnectionAge`), which makes
//!   the channel resolve again; tonic reconnects inside its channel without telling anyone, so
//!   polling is the signal this client has.
//!
//! When the answer names the same addresses, the balancer and its connections are kept.
//!
//! **The round is what is balanced.** Chapter 2's flow adds a product, then gets it back by its
//! id. Each replica keeps its products in its own memory, so a `getProduct` on another pod than
//! the `addProduct` would be `NOT_FOUND`: both calls of a round go to the backend the balancer
//! picks for the round. A service whose state lives in a shared database would balance every
//! call on its own. A round that meets a backend going away (`UNAVAILABLE`) is made again on
//! the next backend, as chapter 5's balancer does for a single call.
//!
//! **Names without DNS.** `--resolve NAME=IP[,IP...]`, as curl's `--resolve`, answers `NAME`
//! from a static table instead of DNS. The test and the README's local demo need one name with
//! three addresses (three servers on 127.0.0.1, 127.0.0.2 and 127.0.0.3, all loopback on
//! Linux) and can edit neither `/etc/hosts` nor a DNS zone. It is a flag rather than a
//! resolver trait with a test implementation because the test runs the client binary itself,
//! as a reader would.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use book_proto::ecommerce::Product;
use ch02_productinfo::client::{Flow, FlowError, add_then_get};
use ch05_advanced::loadbalancing::{Balancer, Policy};
use common::deadline::Deadline;
use tokio::net::TcpListener;
use tokio::time::Instant;
use tonic::transport::Endpoint;
use tonic::{Code, Status};

use crate::client::ClientLayers;

/// The least time between two resolutions that a failed backend asks for.
pub const RESOLVE_GAP: Duration = Duration::from_secs(5);

/// How often the name is resolved again even when nothing failed, to find pods that joined.
pub const REFRESH_EVERY: Duration = Duration::from_secs(30);

/// How long one lookup may take. The system's resolver can wait far longer on a DNS server
/// that does not answer.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a connection to one backend may take. A pod that is gone takes its IP with it,
/// and a connection to that IP hangs rather than being refused; without a bound it would
/// take the whole round's deadline instead of being passed over.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(250);

/// What `--addr` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `HOST:PORT`: one channel, as every other client of the book.
    Direct(String),
    /// `dns:///NAME:PORT`: every address of `NAME`, balanced.
    Dns {
        /// The name to resolve.
        name: String,
        /// The port every address is dialled on.
        port: u16,
    },
}

impl FromStr for Target {
    type Err = InvalidTarget;

    /// Reads gRPC's `dns:[//authority/]NAME:PORT` (its naming doc); anything else is a
    /// `HOST:PORT` for one channel, as before. Naming a DNS server in the authority is not
    /// supported, and the port is required rather than gRPC's default 443.
    fn from_str(addr: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidTarget::Malformed(addr.to_owned());
        let Some(rest) = addr.strip_prefix("dns:") else {
            return Ok(Self::Direct(addr.to_owned()));
        };
        let name_port = match rest.strip_prefix("//") {
            Some(authority_and_name) => match authority_and_name.split_once('/') {
                Some(("", name_port)) => name_port,
                _ => return Err(invalid()),
            },
            None => rest,
        };
        let (name, port) = name_port.rsplit_once(':').ok_or_else(invalid)?;
        let port = port.parse().map_err(|_| invalid())?;
        if name.is_empty() {
            return Err(invalid());
        }
        Ok(Self::Dns {
            name: name.to_owned(),
            port,
        })
    }
}

/// A target the client cannot use.
#[derive(Debug)]
pub enum InvalidTarget {
    /// An `--addr` that is neither `HOST:PORT` nor `dns:///NAME:PORT`.
    Malformed(String),
    /// `--lb` or `--resolve` with one `HOST:PORT`, where there is nothing to balance.
    NothingToBalance(String),
}

impl fmt::Display for InvalidTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(addr) => write!(
                f,
                "invalid --addr {addr:?}: expected HOST:PORT or dns:///NAME:PORT"
            ),
            Self::NothingToBalance(addr) => write!(
                f,
                "--lb and --resolve need --addr dns:///NAME:PORT, not {addr:?}"
            ),
        }
    }
}

impl std::error::Error for InvalidTarget {}

/// `--lb`'s value, by gRPC's policy names.
pub fn parse_policy(name: &str) -> Result<Policy, String> {
    match name {
        "pick_first" => Ok(Policy::PickFirst),
        "round_robin" => Ok(Policy::RoundRobin),
        _ => Err(format!(
            "unknown policy {name:?}: expected pick_first or round_robin"
        )),
    }
}

/// One `--resolve NAME=IP[,IP...]`: the addresses `NAME` stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticName {
    /// The name, as it appears in `dns:///NAME:PORT`.
    pub name: String,
    /// Its addresses, in the order the balancer takes them.
    pub ips: Vec<IpAddr>,
}

impl FromStr for StaticName {
    type Err = String;

    fn from_str(entry: &str) -> Result<Self, Self::Err> {
        let expected = || format!("{entry:?} is not NAME=IP[,IP...]");
        let (name, ips) = entry.split_once('=').ok_or_else(expected)?;
        let ips = ips
            .split(',')
            .map(|ip| ip.trim().parse().map_err(|_| expected()))
            .collect::<Result<Vec<IpAddr>, _>>()?;
        if name.is_empty() {
            return Err(expected());
        }
        Ok(Self {
            name: name.to_owned(),
            ips,
        })
    }
}

/// Names to addresses: the static table first, then the system's resolver (DNS, and in a pod
/// the cluster's DNS through its search domains).
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    table: BTreeMap<String, Vec<IpAddr>>,
}

impl Resolver {
    /// A resolver that answers the names of `table` itself.
    pub fn new(table: impl IntoIterator<Item = StaticName>) -> Self {
        Self {
            table: table
                .into_iter()
                .map(|entry| (entry.name, entry.ips))
                .collect(),
        }
    }

    /// Every address of `name`, each with `port`, without repeats, in the resolver's order.
    /// An empty answer is an error: a client with no backend has nothing to call.
    pub async fn lookup(&self, name: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        let found: Vec<SocketAddr> = match self.table.get(name) {
            Some(ips) => ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect(),
            None => tokio::time::timeout(LOOKUP_TIMEOUT, tokio::net::lookup_host((name, port)))
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the lookup timed out"))??
                .collect(),
        };
        let mut addrs = Vec::with_capacity(found.len());
        for addr in found {
            if !addrs.contains(&addr) {
                addrs.push(addr);
            }
        }
        if addrs.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no addresses"));
        }
        Ok(addrs)
    }
}

/// A name that did not resolve.
#[derive(Debug)]
pub struct ResolveError {
    name: String,
    error: io::Error,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not resolve {}: {}", self.name, self.error)
    }
}

impl std::error::Error for ResolveError {}

/// Chapter 5's [`Balancer`] over the addresses of a name, resolved again as the module's
/// comment says.
pub struct DnsBalancer {
    name: String,
    port: u16,
    resolver: Resolver,
    policy: Policy,
    addrs: Vec<SocketAddr>,
    balancer: Balancer,
    resolved_at: Instant,
    backend_failed: bool,
}

impl DnsBalancer {
    /// Resolves `name` and balances over its addresses with `policy`. Nothing connects until
    /// the first call.
    pub async fn resolve(
        name: &str,
        port: u16,
        resolver: Resolver,
        policy: Policy,
    ) -> Result<Self, ResolveError> {
        let addrs = resolver
            .lookup(name, port)
            .await
            .map_err(|error| ResolveError {
                name: name.to_owned(),
                error,
            })?;
        log_resolved(name, port, &addrs);
        Ok(Self {
            name: name.to_owned(),
            port,
            balancer: balancer(&addrs, policy),
            resolver,
            policy,
            addrs,
            resolved_at: Instant::now(),
            backend_failed: false,
        })
    }

    /// The addresses the balancer picks from now.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// Runs `call` on the backend the policy picks, as [`Balancer::call`] does, after
    /// resolving again when it is time; the answer comes with the backend that gave it.
    pub async fn call<T, F, Fut>(&mut self, mut call: F) -> Result<(String, T), Status>
    where
        F: FnMut(common::channel::Channel) -> Fut,
        Fut: Future<Output = Result<T, Status>>,
    {
        self.refresh().await;
        let mut attempts = 0;
        let answer = self
            .balancer
            .call_named(|channel| {
                attempts += 1;
                call(channel)
            })
            .await
            .map(|(backend, answer)| (backend.to_owned(), answer));
        // A second attempt means the balancer passed over a backend that was down.
        if attempts > 1
            || answer
                .as_ref()
                .is_err_and(|s| s.code() == Code::Unavailable)
        {
            self.backend_failed = true;
        }
        answer
    }

    /// Resolves the name again when a backend failed (at most once per [`RESOLVE_GAP`]) or
    /// [`REFRESH_EVERY`] has passed. A failed lookup keeps the backends there are.
    async fn refresh(&mut self) {
        let since = self.resolved_at.elapsed();
        if since < REFRESH_EVERY && !(self.backend_failed && since >= RESOLVE_GAP) {
            return;
        }
        self.resolved_at = Instant::now();
        self.backend_failed = false;
        match self.resolver.lookup(&self.name, self.port).await {
            Ok(addrs) if same_addresses(&addrs, &self.addrs) => {}
            Ok(addrs) => {
                log_resolved(&self.name, self.port, &addrs);
                self.balancer = balancer(&addrs, self.policy);
                self.addrs = addrs;
            }
            Err(error) => tracing::warn!(
                "could not resolve {}: {error}; keeping the {} backends there are",
                self.name,
                self.addrs.len()
            ),
        }
    }
}

/// Whether two answers name the same backends, in any order (DNS servers shuffle them).
fn same_addresses(a: &[SocketAddr], b: &[SocketAddr]) -> bool {
    a.len() == b.len() && a.iter().all(|addr| b.contains(addr))
}

fn log_resolved(name: &str, port: u16, addrs: &[SocketAddr]) {
    let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
    tracing::info!("Resolved {name}:{port} to {}", list.join(", "));
}

/// Chapter 5's balancer over `addrs`, each connection bounded by [`CONNECT_TIMEOUT`].
fn balancer(addrs: &[SocketAddr], policy: Policy) -> Balancer {
    let endpoints = addrs
        .iter()
        .map(|addr| {
            Endpoint::from(
                http::Uri::try_from(format!("http://{addr}"))
                    .expect("a socket address makes a valid URI"),
            )
            .connect_timeout(CONNECT_TIMEOUT)
        })
        .collect();
    Balancer::new(endpoints, policy)
}

/// Chapter 2's flow and the backend that answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    /// The backend both calls went to, `IP:PORT`.
    pub backend: String,
    /// What the calls answered.
    pub flow: Flow,
}

/// The book's two lines, each followed by `(from IP:PORT)`, as grpc-go's load-balancing
/// example tags its replies.
impl fmt::Display for Routed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flow = self.flow.to_string();
        let mut lines = flow.lines().peekable();
        while let Some(line) = lines.next() {
            write!(f, "{line} (from {})", self.backend)?;
            if lines.peek().is_some() {
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

/// One round of chapter 2's flow (add `product`, then get it) under `deadline`, both calls on
/// the backend `balancer` picks for the round, counted and traced by `layers`.
pub async fn add_then_get_balanced(
    balancer: &mut DnsBalancer,
    layers: &ClientLayers,
    product: Product,
    deadline: Deadline,
) -> Result<Routed, FlowError> {
    let answer = balancer
        .call(|channel| {
            let mut client = layers.client(channel);
            let product = product.clone();
            async move {
                match add_then_get(&mut client, product, deadline).await {
                    // The backend is going or gone: the balancer gives the round to the next.
                    Err(FlowError::Add(status) | FlowError::Get(status))
                        if status.code() == Code::Unavailable =>
                    {
                        Err(status)
                    }
                    round => Ok(round),
                }
            }
        })
        .await;
    match answer {
        Ok((backend, round)) => round.map(|flow| Routed { backend, flow }),
        // Every backend was down: the round failed at its first call.
        Err(status) => Err(FlowError::Add(status)),
    }
}

/// `count` listeners on one port, on 127.0.0.1, 127.0.0.2, …: replicas "behind one name" on
/// one machine, since all of 127.0.0.0/8 is loopback on Linux. The port is the one the
/// system gives 127.0.0.1; when another program already holds it on one of the other
/// addresses, this tries a new port, up to ten times.
pub async fn loopback_replicas(count: u8) -> io::Result<Vec<TcpListener>> {
    let mut last_error = None;
    for _ in 0..10 {
        let first = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = first.local_addr()?.port();
        let mut listeners = vec![first];
        for host in 2..=count {
            match TcpListener::bind((Ipv4Addr::new(127, 0, 0, host), port)).await {
                Ok(listener) => listeners.push(listener),
                Err(error) => {
                    last_error = Some(error);
                    break;
                }
            }
        }
        if listeners.len() == usize::from(count) {
            return Ok(listeners);
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no free port")))
}
