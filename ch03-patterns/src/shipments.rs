//! Bidirectional streaming (book section "양방향 스트리밍 RPC"): `processOrders`.
//!
//! The client streams order ids; the server groups the orders into one combined shipment per
//! destination and ships everything it holds after every [`BATCH_SIZE`] orders and when the
//! client half-closes. The two streams are independent: shipments go out while the client is
//! still sending, which is the point of the pattern.
//!
//! The book's Go server flushes after orders 3, 7, 11, … (its counter restarts at 0 instead
//! of 1); here every batch is exactly three orders. It also turns an unknown id into an empty
//! order shipped to destination ""; here the shipments gathered so far are sent and the call
//! ends with `NOT_FOUND` naming the id.

use std::collections::VecDeque;

use book_proto::ecommerce::{CombinedShipment, Order};
use futures::Stream;
use tonic::{Status, Streaming};

use crate::store::OrderStore;

/// How many orders make a batch.
pub const BATCH_SIZE: usize = 3;

/// The status of every shipment the service sends.
pub const PROCESSED: &str = "Processed!";

/// Orders waiting to ship, grouped by destination, in the order their destinations first
/// appeared (so the output is the same on every run).
#[derive(Debug, Default)]
pub struct Shipments {
    pending: Vec<CombinedShipment>,
    orders_in_batch: usize,
}

impl Shipments {
    /// Adds an order to its destination's shipment. Returns the shipments to send now: all of
    /// them when this order completes a batch, none otherwise.
    pub fn add(&mut self, order: Order) -> Vec<CombinedShipment> {
        let id = format!("cmb - {}", order.destination);
        match self.pending.iter_mut().find(|shipment| shipment.id == id) {
            Some(shipment) => shipment.orders_list.push(order),
            None => self.pending.push(CombinedShipment {
                id,
                status: PROCESSED.into(),
                orders_list: vec![order],
            }),
        }
        self.orders_in_batch += 1;
        if self.orders_in_batch == BATCH_SIZE {
            self.flush()
        } else {
            Vec::new()
        }
    }

    /// Everything still waiting, for the end of the stream.
    pub fn flush(&mut self) -> Vec<CombinedShipment> {
        self.orders_in_batch = 0;
        std::mem::take(&mut self.pending)
    }
}

/// The response stream of one `processOrders` call: reads ids from `ids` only when the
/// client (through tonic) asks for the next shipment, so nothing runs once the call is gone.
/// A call dropped before the client half-closed (the client cancelled, or went away) logs
/// `processOrders stopped after N orders: the client went away`.
pub fn process(
    store: OrderStore,
    ids: Streaming<String>,
) -> impl Stream<Item = Result<CombinedShipment, Status>> {
    let processing = Processing {
        store,
        ids,
        shipments: Shipments::default(),
        ready: VecDeque::new(),
        received: 0,
        input_done: false,
    };
    futures::stream::unfold(processing, |mut processing| async move {
        let next = processing.next().await?;
        Some((next, processing))
    })
}

struct Processing {
    store: OrderStore,
    ids: Streaming<String>,
    shipments: Shipments,
    /// Shipments ready to send, and at most one final error after them.
    ready: VecDeque<Result<CombinedShipment, Status>>,
    /// How many ids the client has sent so far.
    received: usize,
    input_done: bool,
}

impl Processing {
    async fn next(&mut self) -> Option<Result<CombinedShipment, Status>> {
        loop {
            if let Some(next) = self.ready.pop_front() {
                if let Ok(shipment) = &next {
                    tracing::info!(
                        "Shipping : {} -> {}",
                        shipment.id,
                        shipment.orders_list.len()
                    );
                }
                return Some(next);
            }
            if self.input_done {
                return None;
            }
            match self.ids.message().await {
                Ok(Some(id)) => {
                    tracing::info!("Reading Proc order : {id}");
                    self.received += 1;
                    match self.store.get(&id) {
                        Some(order) => self
                            .ready
                            .extend(self.shipments.add(order).into_iter().map(Ok)),
                        None => {
                            self.ready
                                .extend(self.shipments.flush().into_iter().map(Ok));
                            self.ready.push_back(Err(Status::not_found(format!(
                                "Order does not exist: {id}"
                            ))));
                            self.input_done = true;
                        }
                    }
                }
                Ok(None) => {
                    tracing::info!("EOF : the client has sent all its orders");
                    self.ready
                        .extend(self.shipments.flush().into_iter().map(Ok));
                    self.input_done = true;
                }
                Err(status) => {
                    tracing::info!("processOrders stopped: {}", status.message());
                    self.input_done = true;
                    return None;
                }
            }
        }
    }
}

impl Drop for Processing {
    fn drop(&mut self) {
        if !self.input_done {
            tracing::info!(
                "processOrders stopped after {} orders: the client went away",
                self.received
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::book_order;

    fn order(id: &str) -> Order {
        book_order(id).expect("a book order")
    }

    fn summary(shipments: &[CombinedShipment]) -> Vec<(String, Vec<String>)> {
        shipments
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.orders_list.iter().map(|o| o.id.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn every_batch_is_exactly_three_orders() {
        let mut shipments = Shipments::default();
        let flushes: Vec<usize> = ["102", "103", "104", "105", "106", "102", "103"]
            .iter()
            .map(|id| shipments.add(order(id)).len())
            .collect();
        // Shipments go out after the 3rd and the 6th order, never after the 4th.
        assert_eq!(flushes, [0, 0, 2, 0, 0, 2, 0]);
        assert_eq!(
            summary(&shipments.flush()),
            [("cmb - San Jose, CA".to_owned(), vec!["103".to_owned()])]
        );
    }

    #[test]
    fn orders_are_grouped_by_destination_in_order_of_arrival() {
        let mut shipments = Shipments::default();
        shipments.add(order("102"));
        shipments.add(order("103"));
        let sent = shipments.add(order("104"));
        assert_eq!(
            summary(&sent),
            [
                (
                    "cmb - Mountain View, CA".to_owned(),
                    vec!["102".to_owned(), "104".to_owned()]
                ),
                ("cmb - San Jose, CA".to_owned(), vec!["103".to_owned()]),
            ]
        );
        assert!(sent.iter().all(|shipment| shipment.status == PROCESSED));
        assert!(shipments.flush().is_empty());
    }
}
