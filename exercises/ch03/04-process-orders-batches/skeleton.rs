//! Exercise ch03/04 · 배치로 묶어 배송하기 (Shipping orders in batches). The task is in
//! `README.md` beside this file; the checks are `tests/ch03_process_orders_batches.rs`.
//!
//! [`service`] serves the book's OrderManagement: every method is chapter 3's
//! (`ch03_patterns::OrderManagementService`) except `processOrders`, which is this file's
//! [`process_orders`]. It is the book's Go algorithm, carried over with its mistakes: it
//! counts batches one off, ships an unknown id as an empty order, and it answers nothing
//! until the client has sent every id, which is not what a bidirectional stream is for.

use std::num::NonZeroUsize;

use book_proto::ecommerce::order_management_server::OrderManagement;
use book_proto::ecommerce::{CombinedShipment, Order};
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::shipments::PROCESSED;
use ch03_patterns::{OrderManagementService, OrderStore};
use tonic::{Request, Response, Streaming};

/// Chapter 3's OrderManagement over `store`, whose `processOrders` ships every
/// `batch_size` orders.
pub fn service(store: OrderStore, batch_size: NonZeroUsize) -> BatchingOrders {
    BatchingOrders {
        chapter_3: OrderManagementService::new(store.clone()),
        store,
        batch_size,
    }
}

/// OrderManagement with this file's `processOrders`; the other methods are chapter 3's.
#[derive(Debug, Clone)]
pub struct BatchingOrders {
    chapter_3: OrderManagementService,
    store: OrderStore,
    batch_size: NonZeroUsize,
}

#[tonic::async_trait]
impl OrderManagement for BatchingOrders {
    async fn add_order(&self, request: Request<Order>) -> Reply<String> {
        self.chapter_3.add_order(request).await
    }

    async fn get_order(&self, request: Request<String>) -> Reply<Order> {
        self.chapter_3.get_order(request).await
    }

    type searchOrdersStream = ResponseStream<Order>;

    async fn search_orders(&self, request: Request<String>) -> Reply<Self::searchOrdersStream> {
        self.chapter_3.search_orders(request).await
    }

    async fn update_orders(&self, request: Request<Streaming<Order>>) -> Reply<String> {
        self.chapter_3.update_orders(request).await
    }

    type processOrdersStream = ResponseStream<CombinedShipment>;

    async fn process_orders(
        &self,
        request: Request<Streaming<String>>,
    ) -> Reply<Self::processOrdersStream> {
        process_orders(self.store.clone(), self.batch_size, request).await
    }
}

/// Bidirectional streaming: reads order ids, groups the orders into one combined shipment
/// per destination, and ships them all every `batch_size` orders and when the client
/// half-closes. An unknown id ends the call with `NOT_FOUND` naming it.
pub async fn process_orders(
    store: OrderStore,
    batch_size: NonZeroUsize,
    request: Request<Streaming<String>>,
) -> Reply<ResponseStream<CombinedShipment>> {
    let mut ids = request.into_inner();
    let mut batches = Batches::default();
    let mut shipped = Vec::new();
    // EXERCISE: answer at once with a stream, and send each batch's shipments while the
    // client is still sending (a `tokio::sync::mpsc` channel, fed by a spawned task, and
    // `tokio_stream::wrappers::ReceiverStream` are one way).
    while let Some(id) = ids.message().await? {
        // EXERCISE: an unknown id is not an empty order: ship what is gathered, then end
        // the stream with `Status::not_found` naming the id.
        let order = store.get(&id).unwrap_or_default();
        shipped.extend(batches.add(order, batch_size));
    }
    shipped.extend(batches.flush());
    let shipments = futures::stream::iter(shipped.into_iter().map(Ok));
    Ok(Response::new(Box::pin(shipments)))
}

/// The shipments gathered since the last batch went out, one per destination, in the order
/// their destinations first came.
#[derive(Debug)]
struct Batches {
    pending: Vec<CombinedShipment>,
    /// Which order of the batch the next one is, counting from 1, as the book's Go server
    /// counts.
    marker: usize,
}

impl Default for Batches {
    fn default() -> Self {
        Self {
            pending: Vec::new(),
            marker: 1,
        }
    }
}

impl Batches {
    /// Adds `order` to its destination's shipment; answers the shipments to send now: all of
    /// them when `order` completes a batch, none otherwise.
    fn add(&mut self, order: Order, batch_size: NonZeroUsize) -> Vec<CombinedShipment> {
        let id = format!("cmb - {}", order.destination);
        match self.pending.iter_mut().find(|shipment| shipment.id == id) {
            Some(shipment) => shipment.orders_list.push(order),
            None => self.pending.push(CombinedShipment {
                id,
                status: PROCESSED.into(),
                orders_list: vec![order],
            }),
        }
        if self.marker == batch_size.get() {
            // EXERCISE: the book's Go server restarts its count here at 0, not 1, so every
            // batch after the first is one order too big.
            self.marker = 0;
            std::mem::take(&mut self.pending)
        } else {
            self.marker += 1;
            Vec::new()
        }
    }

    /// Everything still waiting, for the end of the stream.
    fn flush(&mut self) -> Vec<CombinedShipment> {
        std::mem::take(&mut self.pending)
    }
}
