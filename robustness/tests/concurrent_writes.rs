//! Nothing is lost under concurrent writes: 16 clients, each on its own connection, make 500
//! `addProduct` (or `addOrder`) calls at once; the 8,000 answers carry 8,000 distinct ids, and
//! every product or order reads back as it was written.
//!
//! The book's Go servers keep their maps without a lock (a data race `go run -race` reports);
//! ours keep them behind one, and this is the test that would catch a lost update.

use std::collections::HashSet;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Order, Product, ProductId};
use common::args::ClientAddr;
use common::channel::Channel;
use futures::future::join_all;
use robustness::servers::PLAINTEXT_SERVERS;

const CLIENTS: usize = 16;
const CALLS_PER_CLIENT: usize = 500;

/// One connection per client, as 16 separate programs would have.
async fn connections(addr: &str) -> Vec<Channel> {
    let addr = ClientAddr {
        addr: addr.to_owned(),
    };
    let mut channels = Vec::with_capacity(CLIENTS);
    for _ in 0..CLIENTS {
        channels.push(addr.dial().await.expect("a valid address"));
    }
    channels
}

/// Makes `write(channel, client, call)` for every call of every client at once, each client
/// on its own connection; every call's client, number and answer.
async fn write_at_once<T, F, Fut>(addr: &str, write: F) -> Vec<(usize, usize, T)>
where
    F: Fn(Channel, usize, usize) -> Fut + Copy,
    Fut: std::future::Future<Output = T>,
{
    let clients = connections(addr)
        .await
        .into_iter()
        .enumerate()
        .map(|(client, channel)| {
            join_all((0..CALLS_PER_CLIENT).map(move |call| {
                let written = write(channel.clone(), client, call);
                async move { (client, call, written.await) }
            }))
        });
    join_all(clients).await.into_iter().flatten().collect()
}

fn product(client: usize, call: usize) -> Product {
    Product {
        id: String::new(),
        name: format!("product {client}-{call}"),
        description: format!("written by client {client}, call {call}"),
        price: f32::from(u16::try_from(call).expect("small")),
    }
}

/// Adds 16 × 500 products at once on `addr`, then reads each back by the id it was given.
async fn products_are_not_lost(binary: &str, addr: &str) {
    let added = write_at_once(addr, |channel, client, call| async move {
        let id = ProductInfoClient::new(channel)
            .add_product(product(client, call))
            .await;
        id.map(|id| id.into_inner().value)
    })
    .await;

    let mut ids = HashSet::new();
    let mut reader = ProductInfoClient::new(connections(addr).await.swap_remove(0));
    for (client, call, id) in added {
        let id = id.unwrap_or_else(|status| panic!("{binary}: addProduct failed: {status:?}"));
        assert!(ids.insert(id.clone()), "{binary}: id {id} given twice");
        let stored = reader
            .get_product(ProductId { value: id.clone() })
            .await
            .unwrap_or_else(|status| panic!("{binary}: product {id} lost: {status:?}"))
            .into_inner();
        let written = product(client, call);
        assert_eq!(
            (stored.name, stored.description, stored.price),
            (written.name, written.description, written.price),
            "{binary}: product {id}"
        );
    }
    assert_eq!(ids.len(), CLIENTS * CALLS_PER_CLIENT, "{binary}");
}

fn order(client: usize, call: usize) -> Order {
    Order {
        id: format!("{client}-{call}"),
        items: vec![format!("item of client {client}, call {call}")],
        description: "concurrent write".into(),
        price: 1.0,
        destination: "San Jose, CA".into(),
    }
}

/// Adds 16 × 500 orders at once on `addr`, then reads each back.
async fn orders_are_not_lost(binary: &str, addr: &str) {
    let added = write_at_once(addr, |channel, client, call| async move {
        let answer = OrderManagementClient::new(channel)
            .add_order(order(client, call))
            .await;
        answer.map(tonic::Response::into_inner)
    })
    .await;

    let mut ids = HashSet::new();
    let mut reader = OrderManagementClient::new(connections(addr).await.swap_remove(0));
    for (client, call, answer) in added {
        let answer =
            answer.unwrap_or_else(|status| panic!("{binary}: addOrder failed: {status:?}"));
        // The book's answer names the order the client chose the id of.
        let id = order(client, call).id;
        assert_eq!(answer, format!("Order Added: {id}"), "{binary}");
        assert!(ids.insert(id.clone()), "{binary}: id {id} added twice");
        let stored = reader
            .get_order(id.clone())
            .await
            .unwrap_or_else(|status| panic!("{binary}: order {id} lost: {status:?}"))
            .into_inner();
        assert_eq!(stored, order(client, call), "{binary}: order {id}");
    }
    assert_eq!(ids.len(), CLIENTS * CALLS_PER_CLIENT, "{binary}");
}

#[tokio::test]
async fn eight_thousand_concurrent_writes_are_all_kept() {
    // Each store once, and chapter 8's adapter over chapter 2's: chapter 2's products (ch07
    // serves the same store) and chapter 3's orders (every ch05 order sample serves them).
    for binary in ["ch02-server", "ch08-server", "ch03-server"] {
        let sample = PLAINTEXT_SERVERS
            .into_iter()
            .find(|sample| sample.binary == binary)
            .expect("a plaintext server");
        let server = sample.start().await;
        if binary == "ch03-server" {
            orders_are_not_lost(binary, server.addr()).await;
        } else {
            products_are_not_lost(binary, server.addr()).await;
        }
        server.terminate().await;
    }
}
