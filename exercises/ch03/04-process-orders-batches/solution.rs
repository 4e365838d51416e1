//! Exercise ch03/04 · 배치로 묶어 배송하기 (Shipping orders in batches): a reference solution.
//!
//! A bidirectional call has two independent streams. The method answers at once with the
//! response stream, the receiving end of a channel, and a spawned task reads the client's
//! ids and sends shipments into the channel as each batch fills: the client sees its first
//! shipments while it is still sending. When the client goes away, the channel's receiver is
//! dropped, `send` fails, and the task stops reading.
//!
//! The batch count restarts at zero after every batch, so every batch is exactly
//! `batch_size` orders (the book's Go server restarts at 0 a count that began at 1, so its
//! batches are 3, then 4, 4, …). Shipments are kept in a `Vec` in the order their
//! destinations first came, where the Go server's map gives a different order on each run.

use std::num::NonZeroUsize;

use book_proto::ecommerce::order_management_server::OrderManagement;
use book_proto::ecommerce::{CombinedShipment, Order};
use ch03_patterns::service::{Reply, ResponseStream};
use ch03_patterns::shipments::PROCESSED;
use ch03_patterns::{OrderManagementService, OrderStore};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

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
    let ids = request.into_inner();
    // A batch's shipments (one per destination, so at most `batch_size`) fit without
    // waiting; a slow client holds the task back from reading more.
    let (shipments, outgoing) = mpsc::channel(batch_size.get());
    tokio::spawn(ship_in_batches(store, batch_size, ids, shipments));
    Ok(Response::new(Box::pin(ReceiverStream::new(outgoing))))
}

/// The task behind one call: reads `ids` to their end (or to an unknown one) and sends the
/// shipments into `shipments` as batches fill. Returns early when the client has gone.
async fn ship_in_batches(
    store: OrderStore,
    batch_size: NonZeroUsize,
    mut ids: Streaming<String>,
    shipments: mpsc::Sender<Result<CombinedShipment, Status>>,
) {
    let mut batches = Batches::new(batch_size);
    let end = loop {
        let id = match ids.message().await {
            Ok(Some(id)) => id,
            Ok(None) => break None,
            // The client's stream broke (it cancelled, or went away): no one is listening.
            Err(status) => {
                tracing::info!("processOrders stopped: {}", status.message());
                return;
            }
        };
        let Some(order) = store.get(&id) else {
            break Some(Status::not_found(format!("Order does not exist: {id}")));
        };
        for shipment in batches.add(order) {
            if shipments.send(Ok(shipment)).await.is_err() {
                return;
            }
        }
    };
    // The half-close, or an unknown id: what was gathered still ships, then the status.
    for shipment in batches.flush() {
        if shipments.send(Ok(shipment)).await.is_err() {
            return;
        }
    }
    if let Some(status) = end {
        // The client may be gone already; then there is no one to tell.
        let _ = shipments.send(Err(status)).await;
    }
}

/// The shipments gathered since the last batch went out, one per destination, in the order
/// their destinations first came.
#[derive(Debug)]
struct Batches {
    batch_size: NonZeroUsize,
    pending: Vec<CombinedShipment>,
    /// How many orders the batch being gathered holds.
    in_batch: usize,
}

impl Batches {
    fn new(batch_size: NonZeroUsize) -> Self {
        Self {
            batch_size,
            pending: Vec::new(),
            in_batch: 0,
        }
    }

    /// Adds `order` to its destination's shipment; answers the shipments to send now: all of
    /// them when `order` completes a batch, none otherwise.
    fn add(&mut self, order: Order) -> Vec<CombinedShipment> {
        let id = format!("cmb - {}", order.destination);
        match self.pending.iter_mut().find(|shipment| shipment.id == id) {
            Some(shipment) => shipment.orders_list.push(order),
            None => self.pending.push(CombinedShipment {
                id,
                status: PROCESSED.into(),
                orders_list: vec![order],
            }),
        }
        self.in_batch += 1;
        if self.in_batch == self.batch_size.get() {
            self.flush()
        } else {
            Vec::new()
        }
    }

    /// Everything still waiting, and a fresh count for the next batch.
    fn flush(&mut self) -> Vec<CombinedShipment> {
        self.in_batch = 0;
        std::mem::take(&mut self.pending)
    }
}
