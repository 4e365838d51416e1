//! Checks for exercise ch07/03, 호출 지연 시간 히스토그램 (Call latency in a histogram).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch07_latency_histogram -- --include-ignored`.
//!
//! Each test serves a ProductInfo (chapter 2's, or one that takes its time) behind the
//! student's layer, makes some calls, and reads the histogram the way Prometheus would: from
//! the registry's text format (chapter 7's `metrics::exporter::render`, what `/metrics`
//! answers).

use std::collections::BTreeMap;
use std::time::Duration;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::{ProductInfo, ProductInfoServer};
use book_proto::ecommerce::{Product, ProductId};
use ch02_productinfo::ProductInfoService;
use ch07_ops::metrics::exporter::render;
use common::channel::Channel;
use exercises::ch07::latency_histogram::{CALL_SECONDS, LatencyLayer};
use exercises::expect::{Sent, sent};
use exercises::harness::LocalServer;
use prometheus::Registry;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic::{Code, Request, Response, Status};

/// How long [`SlowProductInfo`] works on each `getProduct`.
const SLOW: Duration = Duration::from_millis(50);

/// A ProductInfo whose `getProduct` takes [`SLOW`]: the sleep is the work being measured.
struct SlowProductInfo;

#[tonic::async_trait]
impl ProductInfo for SlowProductInfo {
    async fn add_product(&self, _request: Request<Product>) -> Result<Response<ProductId>, Status> {
        Err(Status::unimplemented("this service only answers slowly"))
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        tokio::time::sleep(SLOW).await;
        Ok(Response::new(Product {
            id: request.into_inner().value,
            name: "Worth the wait".into(),
            ..Product::default()
        }))
    }
}

/// Serves `service` behind the student's layer; answers the server, a client of it, and
/// the registry the layer's histogram is in.
async fn start(
    service: impl ProductInfo,
) -> (
    LocalServer<tonic::transport::Error>,
    ProductInfoClient<Channel>,
    Registry,
) {
    let registry = Registry::new();
    let layer = LatencyLayer::register(&registry).expect("the histogram registers");
    let routes = ProductInfoServer::new(service);
    let server = LocalServer::start(|listener, shutdown| {
        Server::builder()
            .layer(layer)
            .add_service(routes)
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown.wait())
    })
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

/// One line of the scrape, `name{labels} value`, split into its labels and its value.
type Sample = (BTreeMap<String, String>, f64);

/// The samples of the histogram's series `suffix` (`_bucket`, `_sum` or `_count`) for
/// `method` and `code`: a line such as
/// `productinfo_call_duration_seconds_count{code="OK",method="getProduct"} 3`.
fn samples(scrape: &str, suffix: &str, method: &str, code: &str) -> Vec<Sample> {
    let prefix = format!("{CALL_SECONDS}{suffix}{{");
    scrape
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
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
        .filter(|(labels, _): &Sample| {
            labels.get("method").map(String::as_str) == Some(method)
                && labels.get("code").map(String::as_str) == Some(code)
        })
        .collect()
}

/// The value of the series `suffix` for `method` and `code`, 0 when there is none.
fn value(scrape: &str, suffix: &str, method: &str, code: &str) -> f64 {
    samples(scrape, suffix, method, code)
        .iter()
        .map(|(_, value)| value)
        .sum()
}

/// The buckets of `method` and `code`: each bound (`le`, in seconds) with its count.
fn buckets(scrape: &str, method: &str, code: &str) -> Vec<(f64, f64)> {
    samples(scrape, "_bucket", method, code)
        .into_iter()
        .filter_map(|(labels, count)| Some((labels.get("le")?.parse().ok()?, count)))
        .collect()
}

/// The scrape's lines of the series for `method` and `code`, one under the other: what a
/// failed check shows as what came back.
fn series(scrape: &str, method: &str, code: &str) -> String {
    let labels = [format!("method=\"{method}\""), format!("code=\"{code}\"")];
    let lines: Vec<&str> = scrape
        .lines()
        .filter(|line| line.starts_with(CALL_SECONDS))
        .filter(|line| labels.iter().all(|label| line.contains(label.as_str())))
        .collect();
    if lines.is_empty() {
        format!(
            "no {CALL_SECONDS} lines with {} and {}",
            labels[0], labels[1]
        )
    } else {
        lines.join("\n           ")
    }
}

/// Passes when `holds`; fails showing the series of `method` and `code` as what came back.
#[track_caller]
fn expect_series(
    call: &Sent,
    holds: bool,
    expected: String,
    scrape: &str,
    method: &str,
    code: &str,
) {
    if !holds {
        call.fail(expected, series(scrape, method, code));
    }
}

#[track_caller]
fn expect_count(call: &Sent, scrape: &str, method: &str, code: &str, expected: f64) {
    expect_series(
        call,
        value(scrape, "_count", method, code) == expected,
        format!("{CALL_SECONDS}_count{{method=\"{method}\",code=\"{code}\"}} {expected}"),
        scrape,
        method,
        code,
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn calls_are_timed_per_method_and_code() {
    let (server, mut client, registry) = start(ProductInfoService::default()).await;
    let call = sent("addProduct, getProduct of its id 3 times, then getProduct(\"no-such-id\")");
    let added = call
        .expect_ok(client.add_product(phone()).await)
        .into_inner();
    for _ in 0..3 {
        call.expect_ok(client.get_product(added.clone()).await);
    }
    call.expect_code(client.get_product(id("no-such-id")).await, Code::NotFound);

    let scrape = render(&registry).expect("the registry renders");
    let histogram_type = format!("# TYPE {CALL_SECONDS} histogram");
    call.expect(
        scrape.contains(&histogram_type),
        format!("the line {histogram_type:?} in the scrape"),
        scrape.lines().find(|line| line.contains(CALL_SECONDS)),
    );
    expect_count(&call, &scrape, "getProduct", "OK", 3.0);
    expect_count(&call, &scrape, "getProduct", "NOT_FOUND", 1.0);
    expect_count(&call, &scrape, "addProduct", "OK", 1.0);
    let sum = value(&scrape, "_sum", "getProduct", "OK");
    expect_series(
        &call,
        sum > 0.0,
        format!(
            "{CALL_SECONDS}_sum{{method=\"getProduct\",code=\"OK\"}} above 0: three calls took some time"
        ),
        &scrape,
        "getProduct",
        "OK",
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_slow_call_lands_above_the_fast_buckets() {
    let (server, mut client, registry) = start(SlowProductInfo).await;
    let call = sent(format!(
        "getProduct(\"7\") to a service that works {SLOW:?} on it"
    ));
    call.expect_ok(client.get_product(id("7")).await);

    let scrape = render(&registry).expect("the registry renders");
    expect_count(&call, &scrape, "getProduct", "OK", 1.0);
    let fast: Vec<(f64, f64)> = buckets(&scrape, "getProduct", "OK")
        .into_iter()
        .filter(|(bound, _)| *bound < SLOW.as_secs_f64())
        .collect();
    expect_series(
        &call,
        fast.iter().all(|(_, count)| *count == 0.0),
        format!(
            "0 calls in every bucket under {} s (le=\"0.025\" included): the call took at least {SLOW:?}",
            SLOW.as_secs_f64()
        ),
        &scrape,
        "getProduct",
        "OK",
    );
    let sum = value(&scrape, "_sum", "getProduct", "OK");
    expect_series(
        &call,
        sum >= SLOW.as_secs_f64(),
        format!(
            "{CALL_SECONDS}_sum{{method=\"getProduct\",code=\"OK\"}} of at least {}",
            SLOW.as_secs_f64()
        ),
        &scrape,
        "getProduct",
        "OK",
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_buckets_suit_a_local_call() {
    let (server, mut client, registry) = start(ProductInfoService::default()).await;
    let call = sent("getProduct(\"no-such-id\"), then a look at the histogram's buckets");
    call.expect_code(client.get_product(id("no-such-id")).await, Code::NotFound);

    let scrape = render(&registry).expect("the registry renders");
    let bounds: Vec<f64> = buckets(&scrape, "getProduct", "NOT_FOUND")
        .into_iter()
        .map(|(bound, _)| bound)
        .filter(|bound| bound.is_finite())
        .collect();
    let smallest = bounds.iter().copied().fold(f64::INFINITY, f64::min);
    let largest = bounds.iter().copied().fold(0.0, f64::max);
    if smallest > 0.001 || largest < 0.5 {
        call.fail(
            "bucket bounds from a millisecond or less (a call on one machine) up to half a second or more",
            format!("the bounds {bounds:?}"),
        );
    }
    server.stop().await.expect("the server stops");
}
