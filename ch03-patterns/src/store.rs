//! The orders the service works on.
//!
//! The book's Go server keeps them in a global map that concurrent calls write without a
//! lock, and iterates it in Go's random map order, so `searchOrders` answers in a different
//! order on every run. Here a [`BTreeMap`] keyed by order id gives a stable order (by id), and
//! a std [`RwLock`] makes it safe to share. The lock is only ever held for a lookup, an insert
//! or one step of a scan, never across an `.await`.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, PoisonError, RwLock};

use book_proto::ecommerce::Order;

/// A shared, concurrent map of orders by id. Clones share the same orders.
#[derive(Debug, Clone, Default)]
pub struct OrderStore {
    orders: Arc<RwLock<BTreeMap<String, Order>>>,
}

impl OrderStore {
    /// A store holding `orders`.
    pub fn with_orders(orders: impl IntoIterator<Item = Order>) -> Self {
        let orders = orders
            .into_iter()
            .map(|order| (order.id.clone(), order))
            .collect();
        Self {
            orders: Arc::new(RwLock::new(orders)),
        }
    }

    /// A store preloaded with the book's chapter 3 orders, 102 to 106.
    pub fn book() -> Self {
        Self::with_orders(book_orders())
    }

    /// The order with this id.
    pub fn get(&self, id: &str) -> Option<Order> {
        self.read(|orders| orders.get(id).cloned())
    }

    /// Adds the order, or replaces the one with the same id.
    pub fn upsert(&self, order: Order) {
        let mut orders = self.orders.write().unwrap_or_else(PoisonError::into_inner);
        orders.insert(order.id.clone(), order);
    }

    /// The first order, by id, after `after` (from the start when `None`) that `matches`.
    ///
    /// A scan calls this once per result, taking the lock for one step at a time, so a long
    /// scan never blocks writers for long and can stop between any two results.
    pub fn next_matching(
        &self,
        after: Option<&str>,
        matches: impl Fn(&Order) -> bool,
    ) -> Option<Order> {
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        self.read(|orders| {
            orders
                .range::<str, _>((start, Bound::Unbounded))
                .map(|(_, order)| order)
                .find(|order| matches(order))
                .cloned()
        })
    }

    // A panic while the lock is held cannot leave the map half-updated (BTreeMap operations
    // either happen or not), so a poisoned lock is still safe to use.
    fn read<T>(&self, f: impl FnOnce(&BTreeMap<String, Order>) -> T) -> T {
        f(&self.orders.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// An order as the book's samples write them, with no description.
pub fn order(id: &str, items: &[&str], destination: &str, price: f32) -> Order {
    Order {
        id: id.into(),
        items: items.iter().map(|item| (*item).into()).collect(),
        description: String::new(),
        price,
        destination: destination.into(),
    }
}

/// The book's preloaded orders (Go `initSampleData()`, chapter 3 values: 106 costs 300.00).
pub fn book_orders() -> Vec<Order> {
    vec![
        order(
            "102",
            &["Google Pixel 3A", "Mac Book Pro"],
            "Mountain View, CA",
            1800.00,
        ),
        order("103", &["Apple Watch S4"], "San Jose, CA", 400.00),
        order(
            "104",
            &["Google Home Mini", "Google Nest Hub"],
            "Mountain View, CA",
            400.00,
        ),
        order("105", &["Amazon Echo"], "San Jose, CA", 30.00),
        order(
            "106",
            &["Amazon Echo", "Apple iPhone XS"],
            "Mountain View, CA",
            300.00,
        ),
    ]
}

/// The book's preloaded order with this id, as [`book_orders`] has it.
pub fn book_order(id: &str) -> Option<Order> {
    book_orders().into_iter().find(|order| order.id == id)
}
