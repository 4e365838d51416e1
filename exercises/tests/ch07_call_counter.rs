//! Checks for exercise ch07/02, 호출 수 세기 (Counting calls in Prometheus).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch07_call_counter -- --include-ignored`.
//!
//! Each test serves chapter 2's ProductInfo behind the student's layer, makes some calls,
//! and reads the counter the way Prometheus would: from the registry's text format
//! (chapter 7's `metrics::exporter::render`, what `/metrics` answers).

use std::collections::BTreeMap;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use ch07_ops::metrics::exporter::render;
use common::channel::Channel;
use exercises::ch07::call_counter::{CALLS_TOTAL, CallCounterLayer, serve};
use exercises::expect::{Sent, sent};
use exercises::harness::LocalServer;
use prometheus::Registry;
use tonic::Code;

const SERVICE: &str = "ecommerce.ProductInfo";

async fn start() -> (
    LocalServer<tonic::transport::Error>,
    ProductInfoClient<Channel>,
    Registry,
) {
    let registry = Registry::new();
    let layer = CallCounterLayer::register(&registry).expect("the counter registers");
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait(), layer))
        .await
        .expect("bind a loopback port");
    let client = ProductInfoClient::new(server.channel());
    (server, client, registry)
}

fn phone() -> Product {
    Product {
        id: String::new(),
        name: "Apple iPhone 11".into(),
        description: "from the exercise's tests".into(),
        price: 699.0,
    }
}

fn id(value: &str) -> ProductId {
    ProductId {
        value: value.into(),
    }
}

/// The samples of [`CALLS_TOTAL`] in a scrape, by their labels: a line such as
/// `productinfo_calls_total{grpc_code="OK",grpc_method="addProduct",grpc_service="ecommerce.ProductInfo"} 2`
/// becomes `{"grpc_code": "OK", ...} => 2`.
fn samples(scrape: &str) -> Vec<(BTreeMap<String, String>, f64)> {
    scrape
        .lines()
        .filter_map(|line| line.strip_prefix(CALLS_TOTAL)?.strip_prefix('{'))
        .map(|line| {
            let (labels, value) = line.rsplit_once("} ").expect("labels, then the value");
            let labels = labels
                .split(',')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').expect("name=\"value\"");
                    (name.to_owned(), value.trim_matches('"').to_owned())
                })
                .collect();
            (labels, value.parse().expect("a number"))
        })
        .collect()
}

/// The count of `method`'s calls that ended with `code` (0 when there is no such sample).
fn count(scrape: &str, method: &str, code: &str) -> f64 {
    samples(scrape)
        .into_iter()
        .filter(|(labels, _)| {
            labels.get("grpc_service").map(String::as_str) == Some(SERVICE)
                && labels.get("grpc_method").map(String::as_str) == Some(method)
                && labels.get("grpc_code").map(String::as_str) == Some(code)
        })
        .map(|(_, value)| value)
        .sum()
}

/// The scrape's lines about [`CALLS_TOTAL`], one under the other: what a failed check shows
/// as what came back.
fn counter_lines(scrape: &str) -> String {
    let lines: Vec<&str> = scrape
        .lines()
        .filter(|line| line.contains(CALLS_TOTAL))
        .collect();
    if lines.is_empty() {
        format!("no {CALLS_TOTAL} lines in the scrape")
    } else {
        lines.join("\n           ")
    }
}

/// Passes when `holds`; fails showing the counter's lines as what came back.
#[track_caller]
fn expect_counter(call: &Sent, holds: bool, expected: String, scrape: &str) {
    if !holds {
        call.fail(expected, counter_lines(scrape));
    }
}

/// Checks that `expected` calls of `method` were counted under `code`.
#[track_caller]
fn expect_count(call: &Sent, scrape: &str, method: &str, code: &str, expected: f64) {
    expect_counter(
        call,
        count(scrape, method, code) == expected,
        format!(
            "{CALLS_TOTAL}{{grpc_service=\"{SERVICE}\",grpc_method=\"{method}\",grpc_code=\"{code}\"}} {expected}"
        ),
        scrape,
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn calls_that_succeed_are_counted_as_ok() {
    let (server, mut client, registry) = start().await;
    let call = sent("addProduct twice, then getProduct of the first id");
    let added = call
        .expect_ok(client.add_product(phone()).await)
        .into_inner();
    call.expect_ok(client.add_product(phone()).await);
    call.expect_ok(client.get_product(added).await);

    let scrape = render(&registry).expect("the registry renders");
    expect_counter(
        &call,
        scrape.contains(&format!("# TYPE {CALLS_TOTAL} counter")),
        format!("a counter named {CALLS_TOTAL} in the scrape"),
        &scrape,
    );
    expect_count(&call, &scrape, "addProduct", "OK", 2.0);
    expect_count(&call, &scrape, "getProduct", "OK", 1.0);
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn calls_that_fail_are_counted_under_their_code() {
    let (server, mut client, registry) = start().await;
    let call = sent(
        "addProduct, getProduct of its id, then getProduct(\"no-such-id\") and getProduct(\"nor-this-one\")",
    );
    let added = call
        .expect_ok(client.add_product(phone()).await)
        .into_inner();
    call.expect_ok(client.get_product(added).await);
    for missing in ["no-such-id", "nor-this-one"] {
        call.expect_code(client.get_product(id(missing)).await, Code::NotFound);
    }

    let scrape = render(&registry).expect("the registry renders");
    expect_count(&call, &scrape, "getProduct", "NotFound", 2.0);
    expect_count(&call, &scrape, "getProduct", "OK", 1.0);
    let total: f64 = samples(&scrape).iter().map(|(_, value)| value).sum();
    expect_counter(
        &call,
        total == 4.0,
        "each of the 4 calls counted once: 4 in all".to_owned(),
        &scrape,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_method_the_server_lacks_is_counted_as_unimplemented() {
    let (server, _client, registry) = start().await;
    // Chapter 2's exercise added `deleteProduct` to a version 2 of the service; this server
    // runs version 1, so the call reaches the layer and no handler.
    let mut v2 =
        exercises::ch02::proto::product_info_client::ProductInfoClient::new(server.channel());
    let call = sent("deleteProduct(\"any\"), a method this server (version 1) does not have");
    call.expect_code(
        v2.delete_product(exercises::ch02::proto::ProductId {
            value: "any".into(),
        })
        .await,
        Code::Unimplemented,
    );

    let scrape = render(&registry).expect("the registry renders");
    expect_count(&call, &scrape, "deleteProduct", "Unimplemented", 1.0);
    expect_count(&call, &scrape, "deleteProduct", "OK", 0.0);
    server.stop().await.expect("the server stops");
}
