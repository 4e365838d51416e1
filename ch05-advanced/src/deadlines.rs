//! Deadlines (book section "데드라인"): how long a client is willing to wait, and what a
//! server does when the time is up.
//!
//! The book's client gives `addOrder` 2 seconds; the server's `addOrder` takes 5. The client
//! reports `DEADLINE_EXCEEDED` after 2 seconds, and the server notices the deadline passed.
//!
//! How the pieces work in tonic:
//! * The client sends its remaining time in the `grpc-timeout` header and keeps its own timer
//!   ([`Deadline`]). tonic alone would report the server's timeout as `CANCELLED` "Timeout
//!   expired"; [`Deadline`] reports `DEADLINE_EXCEEDED`, as grpc-go does.
//! * tonic's server reads `grpc-timeout` and, when it expires, drops the handler's future: the
//!   work stops at its next `.await`. There is no `ctx.Err()` to poll as in Go; the handler
//!   learns of it through a value it owns being dropped ([`Work`]), which logs it.
//! * Deadline propagation: a server that calls another service in turn passes on the time its
//!   own caller has left ([`Deadline::of_call`]), so the whole chain gives up together.
//!   [`SlowOrders::forwarding_to`] does that; the [`crate::propagation`] sample shows it hop
//!   by hop.
//!
//! The sample's server is chapter 3's order service with its own `addOrder`
//! ([`SlowOrders::service`]); the slow work itself, [`work_then_add`], is the keepalive
//! sample's too.

use std::sync::Arc;
use std::time::Duration;

use book_proto::ecommerce::Order;
use ch03_patterns::client::{Client, order_101};
use ch03_patterns::service::{self, Reply};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::deadline::Deadline;
use common::status::RpcError;
use tonic::{Code, Request};

/// How long the book's `addOrder` works.
pub const WORK_TIME: Duration = Duration::from_secs(5);

/// The book client's deadline.
pub const CLIENT_DEADLINE: Duration = Duration::from_secs(2);

/// The deadline sample's `addOrder`: it works for a while (the book's [`WORK_TIME`]), or
/// forwards the order to another order server with the caller's remaining time.
/// [`SlowOrders::service`] puts it into chapter 3's order service.
pub struct SlowOrders {
    work: Duration,
    upstream: Option<Client>,
}

impl SlowOrders {
    /// `addOrder` works for `work` before storing the order.
    pub fn working_for(work: Duration) -> Self {
        Self {
            work,
            upstream: None,
        }
    }

    /// `addOrder` passes the order on to `upstream`, with the caller's deadline.
    pub fn forwarding_to(upstream: Client) -> Self {
        Self {
            work: Duration::ZERO,
            upstream: Some(upstream),
        }
    }

    /// Chapter 3's service over the book's orders, with this sample's `addOrder`.
    pub fn service(self) -> OrderManagementService {
        let slow = Arc::new(self);
        OrderManagementService::new(OrderStore::book())
            .with_add_order(move |store, request| Arc::clone(&slow).add_order(store, request))
    }

    async fn add_order(
        self: Arc<Self>,
        store: OrderStore,
        request: Request<Order>,
    ) -> Reply<String> {
        let deadline = Deadline::of_call(request.metadata());
        let work = Work::start(&request.get_ref().id, deadline);

        let reply = match &self.upstream {
            Some(upstream) => forward(upstream.clone(), request.into_inner(), deadline).await,
            None => {
                let add = work_then_add(self.work, store, request);
                match deadline {
                    Some(deadline) => deadline.earlier_by(AHEAD_OF_TONIC).run(add).await,
                    None => add.await,
                }
            }
        };
        match &reply {
            // Dropped unfinished, the work logs that the deadline passed.
            Err(status) if status.code() == Code::DeadlineExceeded => drop(work),
            _ => work.finish(),
        }
        reply
    }
}

/// The book's slow `addOrder`: works (sleeps) for `work`, then adds the order as chapter 3
/// does.
pub async fn work_then_add(
    work: Duration,
    store: OrderStore,
    request: Request<Order>,
) -> Reply<String> {
    tracing::info!("Sleeping for : {} s", work.as_secs());
    tokio::time::sleep(work).await;
    service::add_order(store, request).await
}

/// Calls `addOrder` on `upstream` with whatever time the incoming call has left.
async fn forward(mut upstream: Client, order: Order, deadline: Option<Deadline>) -> Reply<String> {
    match deadline {
        Some(deadline) => {
            // Given a little less than this server has, the upstream answers DEADLINE_EXCEEDED
            // first, and this server relays it before tonic's own timer answers CANCELLED.
            let deadline = deadline.earlier_by(AHEAD_OF_TONIC);
            tracing::info!(
                "Forwarding order {} with {} ms left",
                order.id,
                deadline.remaining().as_millis()
            );
            deadline
                .run(upstream.add_order(deadline.request(order)))
                .await
        }
        None => {
            tracing::info!("Forwarding order {} with no deadline", order.id);
            upstream.add_order(order).await
        }
    }
}

/// How much sooner than tonic the handler gives up. tonic's server enforces `grpc-timeout`
/// too, and when its timer fires first it answers `CANCELLED` "Timeout expired", where grpc-go's
/// server answers `DEADLINE_EXCEEDED`. It polls the handler before its timer, so a handler whose
/// own deadline falls a timer tick (1 ms) earlier answers first, with grpc-go's code. A client
/// whose timer is late, as a busy machine makes it, then still sees `DEADLINE_EXCEEDED`.
const AHEAD_OF_TONIC: Duration = Duration::from_millis(2);

/// How early before its deadline a dropped call still counts as expired. The client's timer
/// starts a moment before the request reaches the server, so at the deadline the client's
/// RST_STREAM can arrive just before the server's own timer fires. (grpc-go has the same race:
/// its server's `ctx.Err()` is then `Canceled`.)
const CLOCK_SLACK: Duration = Duration::from_millis(100);

/// The work on one call. Dropped unfinished, it logs why: tonic dropped the handler because
/// the deadline passed (or because the client went away first).
pub struct Work {
    order_id: String,
    deadline: Option<Deadline>,
    finished: bool,
}

impl Work {
    fn start(order_id: &str, deadline: Option<Deadline>) -> Self {
        Self {
            order_id: order_id.to_owned(),
            deadline,
            finished: false,
        }
    }

    fn finish(mut self) {
        self.finished = true;
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if self
            .deadline
            .is_some_and(|deadline| deadline.remaining() <= CLOCK_SLACK)
        {
            tracing::info!(
                "RPC has reached deadline exceeded state : order {} was not added",
                self.order_id
            );
        } else {
            tracing::info!(
                "The client cancelled the call : order {} was not added",
                self.order_id
            );
        }
    }
}

/// The book's client: adds order 101 under a deadline of `timeout` and prints the outcome.
pub async fn book_flow(client: &mut Client, timeout: Duration, mut print: impl FnMut(String)) {
    let deadline = Deadline::after(timeout);
    match ch03_patterns::client::add_order(client, &deadline, order_101()).await {
        Ok(reply) => print(format!("AddOrder Response -> {reply}")),
        Err(status) => print(format!(
            "Error Occured -> addOrder : , {:?}: {}",
            status.code(),
            RpcError(&status)
        )),
    }
}
