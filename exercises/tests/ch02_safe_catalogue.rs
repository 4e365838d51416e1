//! Checks for exercise ch02/04, 동시 호출에 안전한 카탈로그 (A catalogue safe under
//! concurrent calls).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch02_safe_catalogue -- --include-ignored`.
//!
//! Sixteen clients, each on its own connection, add fifty products each, all at once. The
//! skeleton's store awaits between reading its count and writing it back, so with this many
//! calls in flight some of them always read the same count: the check does not depend on
//! luck.

use std::collections::HashMap;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::ProductInfoServer;
use book_proto::ecommerce::{Product, ProductId};
use exercises::ch02::safe_catalogue::Catalogue;
use exercises::expect::sent;
use exercises::harness::{self, LocalServer};
use tonic::{Code, Status};

const CLIENTS: usize = 16;
const PRODUCTS_PER_CLIENT: usize = 50;

async fn start() -> LocalServer<tonic::transport::Error> {
    harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        Catalogue::default(),
    )))
    .await
    .expect("bind a loopback port")
}

/// Product `number` of client `client`: its name and price say which one it is.
fn product(client: usize, number: usize) -> Product {
    Product {
        id: String::new(),
        name: format!("client {client}, product {number}"),
        description: "from the exercise's tests".into(),
        price: (client * 1000 + number) as f32,
    }
}

/// What one client added: each product with the id the server answered.
async fn add_fifty(
    mut client: ProductInfoClient<common::channel::Channel>,
    which: usize,
) -> Result<Vec<(String, Product)>, Status> {
    let mut added = Vec::new();
    for number in 0..PRODUCTS_PER_CLIENT {
        let product = product(which, number);
        let id = client.add_product(product.clone()).await?.into_inner();
        added.push((id.value, product));
    }
    Ok(added)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn concurrent_adds_get_distinct_ids_and_all_stay_readable() {
    let server = start().await;
    let call = sent(format!(
        "{CLIENTS} clients at once, each on its own connection, adding {PRODUCTS_PER_CLIENT} products"
    ));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|which| tokio::spawn(add_fifty(ProductInfoClient::new(server.channel()), which)))
        .collect();
    let mut added = Vec::new();
    for client in clients {
        let finished = client.await.expect("a client task does not panic");
        added.extend(call.expect_ok(finished));
    }

    let mut products_by_id: HashMap<&str, Vec<&Product>> = HashMap::new();
    for (id, product) in &added {
        products_by_id.entry(id).or_default().push(product);
    }
    let mut repeated: Vec<_> = products_by_id
        .iter()
        .filter(|(_, products)| products.len() > 1)
        .map(|(id, products)| format!("{id:?} given to {} products", products.len()))
        .collect();
    repeated.sort();
    repeated.truncate(3);
    call.expect(
        products_by_id.len() == CLIENTS * PRODUCTS_PER_CLIENT,
        format!("{} different ids", CLIENTS * PRODUCTS_PER_CLIENT),
        format_args!(
            "{} different ids, for example {}",
            products_by_id.len(),
            repeated.join(", ")
        ),
    );

    let mut reader = ProductInfoClient::new(server.channel());
    for (id, written) in &added {
        let read = sent(format!(
            "getProduct({id:?}) after the concurrent adds, which wrote {:?} under it",
            written.name
        ));
        let stored = read.expect_ok(
            reader
                .get_product(ProductId { value: id.clone() })
                .await
                .map(tonic::Response::into_inner),
        );
        read.expect_eq(
            stored,
            Product {
                id: id.clone(),
                ..written.clone()
            },
        );
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unknown_id_is_not_found_and_named() {
    let server = start().await;
    let mut client = ProductInfoClient::new(server.channel());
    let call = sent("getProduct(\"no-such-product\") to an empty catalogue");
    let status = call.expect_code(
        client
            .get_product(ProductId {
                value: "no-such-product".into(),
            })
            .await
            .map(tonic::Response::into_inner),
        Code::NotFound,
    );
    call.expect(
        status.message().contains("no-such-product"),
        "a message that names the id \"no-such-product\"",
        status.message(),
    );
    server.stop().await.expect("the server stops");
}
