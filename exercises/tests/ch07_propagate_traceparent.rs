//! Checks for exercise ch07/04, 추적 컨텍스트 전파하기 (Propagating the trace context).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch07_propagate_traceparent -- --include-ignored`.
//!
//! The test is the caller: it calls the student's front server with (or without) a W3C
//! `traceparent`, the front calls a backend, and the backend records what arrived. The checks
//! read the headers on the wire, so any correct way of writing them passes.

use std::sync::{Arc, Mutex, PoisonError};

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::product_info_server::{ProductInfo, ProductInfoServer};
use book_proto::ecommerce::{Product, ProductId};
use common::channel::Channel;
use exercises::ch07::propagate_traceparent::FrontProductInfo;
use exercises::expect::{Sent, sent};
use exercises::harness::{self, LocalServer};
use tonic::{Request, Response, Status};

/// The W3C specification's example: trace `4bf9…4736`, the caller's span `00f0…02b7`, sampled.
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";

/// What the backend saw of one call's trace context.
#[derive(Debug, Clone)]
struct Seen {
    traceparent: Option<String>,
    tracestate: Option<String>,
}

/// A backend that records the trace headers of every call and answers a fixed product.
#[derive(Default, Clone)]
struct RecordingBackend {
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl RecordingBackend {
    fn record<T>(&self, request: &Request<T>) {
        let header = |name: &str| {
            request
                .metadata()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Seen {
                traceparent: header("traceparent"),
                tracestate: header("tracestate"),
            });
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[tonic::async_trait]
impl ProductInfo for RecordingBackend {
    async fn add_product(&self, request: Request<Product>) -> Result<Response<ProductId>, Status> {
        self.record(&request);
        Ok(Response::new(ProductId {
            value: "backend-id".into(),
        }))
    }

    async fn get_product(&self, request: Request<ProductId>) -> Result<Response<Product>, Status> {
        self.record(&request);
        Ok(Response::new(Product {
            id: request.into_inner().value,
            name: "From the backend".into(),
            ..Product::default()
        }))
    }
}

/// Both servers, a client of the front, and the backend's record.
struct Setup {
    backend_server: LocalServer<tonic::transport::Error>,
    front_server: LocalServer<tonic::transport::Error>,
    client: ProductInfoClient<Channel>,
    backend: RecordingBackend,
}

async fn start() -> Setup {
    let backend = RecordingBackend::default();
    let backend_server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(
        backend.clone(),
    )))
    .await
    .expect("bind a loopback port");
    let front = FrontProductInfo::new(backend_server.channel());
    let front_server = harness::start(tonic::service::Routes::new(ProductInfoServer::new(front)))
        .await
        .expect("bind a loopback port");
    let client = ProductInfoClient::new(front_server.channel());
    Setup {
        backend_server,
        front_server,
        client,
        backend,
    }
}

impl Setup {
    async fn stop(self) {
        self.front_server.stop().await.expect("the front stops");
        self.backend_server.stop().await.expect("the backend stops");
    }
}

/// A `getProduct` call carrying the given trace headers.
fn get_request(traceparent: Option<&str>, tracestate: Option<&str>) -> Request<ProductId> {
    let mut request = Request::new(ProductId {
        value: "some-id".into(),
    });
    for (name, value) in [("traceparent", traceparent), ("tracestate", tracestate)] {
        if let Some(value) = value {
            request
                .metadata_mut()
                .insert(name, value.parse().expect("an ASCII header value"));
        }
    }
    request
}

/// A `traceparent`'s four fields, checked to be well formed: version, trace id, parent
/// (span) id, flags, in lower-case hex, and neither id all zeros.
#[track_caller]
fn fields(call: &Sent, traceparent: &str) -> [String; 4] {
    let parts: Vec<&str> = traceparent.split('-').collect();
    let well_formed = parts.len() == 4
        && parts.iter().zip([2, 32, 16, 2]).all(|(part, len)| {
            part.len() == len
                && part
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        && parts[1].bytes().any(|b| b != b'0')
        && parts[2].bytes().any(|b| b != b'0');
    call.expect(
        well_formed,
        "a valid traceparent at the backend: 00-<32 hex>-<16 hex>-<2 hex>, ids not all zeros",
        traceparent,
    );
    [parts[0], parts[1], parts[2], parts[3]].map(str::to_owned)
}

/// The `traceparent` the backend received on call `index`, which must be there.
#[track_caller]
fn received(call: &Sent, seen: &[Seen], index: usize) -> [String; 4] {
    let Some(arrived) = seen.get(index) else {
        call.fail(
            format!("call {} reaches the backend", index + 1),
            format!("the backend saw {} call(s): {seen:?}", seen.len()),
        )
    };
    let Some(traceparent) = arrived.traceparent.as_deref() else {
        call.fail(
            format!("call {} reaches the backend with a traceparent", index + 1),
            format!("no traceparent: {arrived:?}"),
        )
    };
    fields(call, traceparent)
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn the_trace_goes_on_to_the_backend_with_the_fronts_span_as_parent() {
    let mut setup = start().await;
    let caller = format!("00-{TRACE_ID}-{CALLER_SPAN}-01");
    let call = sent(format!(
        "getProduct to the front with traceparent {caller:?}"
    ));

    let product = call
        .expect_ok(
            setup
                .client
                .get_product(get_request(Some(&caller), None))
                .await,
        )
        .into_inner();
    call.expect(
        product.name == "From the backend",
        "the front answers with the backend's product, \"From the backend\"",
        &product.name,
    );

    let [version, trace_id, parent, flags] = received(&call, &setup.backend.seen(), 0);
    call.expect(version == "00", "traceparent version \"00\"", &version);
    call.expect(
        trace_id == TRACE_ID,
        format!("the trace id kept: {TRACE_ID:?}"),
        &trace_id,
    );
    call.expect(
        parent != CALLER_SPAN,
        "a parent id of the front's own span, not the caller's (the incoming header was copied)",
        &parent,
    );
    call.expect(
        flags == "01",
        "flags \"01\": a sampled trace stays sampled",
        &flags,
    );
    setup.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_onward_call_is_a_span_of_its_own() {
    let mut setup = start().await;
    let caller = format!("00-{TRACE_ID}-{CALLER_SPAN}-01");
    let call = sent(format!(
        "getProduct, then addProduct, to the front, both with traceparent {caller:?}"
    ));

    call.expect_ok(
        setup
            .client
            .get_product(get_request(Some(&caller), None))
            .await,
    );
    let mut add = Request::new(Product::default());
    add.metadata_mut()
        .insert("traceparent", caller.parse().expect("ASCII"));
    call.expect_ok(setup.client.add_product(add).await);

    let seen = setup.backend.seen();
    let [_, first_trace, first_parent, _] = received(&call, &seen, 0);
    let [_, second_trace, second_parent, _] = received(&call, &seen, 1);
    call.expect(
        first_trace == TRACE_ID,
        format!("getProduct keeps the trace id {TRACE_ID:?}"),
        &first_trace,
    );
    call.expect(
        second_trace == TRACE_ID,
        format!("addProduct keeps the trace id {TRACE_ID:?} too"),
        &second_trace,
    );
    call.expect(
        first_parent != second_parent,
        "two calls handed on are two spans, with two different parent ids",
        [&first_parent, &second_parent],
    );
    setup.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_unsampled_trace_stays_unsampled() {
    let mut setup = start().await;
    let caller = format!("00-{TRACE_ID}-{CALLER_SPAN}-00");
    let call = sent(format!(
        "getProduct to the front with the unsampled traceparent {caller:?}"
    ));

    call.expect_ok(
        setup
            .client
            .get_product(get_request(Some(&caller), None))
            .await,
    );

    let [_, trace_id, parent, flags] = received(&call, &setup.backend.seen(), 0);
    call.expect(
        trace_id == TRACE_ID,
        format!("the trace id kept: {TRACE_ID:?}"),
        &trace_id,
    );
    call.expect(
        parent != CALLER_SPAN,
        "a parent id of the front's own span, not the caller's",
        &parent,
    );
    call.expect(
        flags == "00",
        "flags \"00\": the caller decided not to sample this trace, and the front must not overrule it",
        &flags,
    );
    setup.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn tracestate_rides_along() {
    let mut setup = start().await;
    let caller = format!("00-{TRACE_ID}-{CALLER_SPAN}-01");
    let call = sent(format!(
        "getProduct to the front with traceparent {caller:?} and tracestate \"congo=t61rcWkgMzE\""
    ));

    call.expect_ok(
        setup
            .client
            .get_product(get_request(Some(&caller), Some("congo=t61rcWkgMzE")))
            .await,
    );

    let seen = setup.backend.seen();
    let [_, trace_id, _, _] = received(&call, &seen, 0);
    call.expect(
        trace_id == TRACE_ID,
        format!("the trace id kept: {TRACE_ID:?}"),
        &trace_id,
    );
    call.expect(
        seen[0].tracestate.as_deref() == Some("congo=t61rcWkgMzE"),
        "tracestate \"congo=t61rcWkgMzE\" at the backend",
        &seen[0].tracestate,
    );
    setup.stop().await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn a_call_without_a_valid_trace_starts_a_new_one() {
    let mut setup = start().await;
    let call = sent(
        "three getProduct calls to the front: without a traceparent, with \"00-zz-yy-01\", and without",
    );

    for incoming in [None, Some("00-zz-yy-01"), None] {
        call.expect_ok(setup.client.get_product(get_request(incoming, None)).await);
    }

    let seen = setup.backend.seen();
    let traces: Vec<String> = (0..3)
        .map(|index| {
            let [_, trace_id, _, flags] = received(&call, &seen, index);
            call.expect(flags == "01", "a new trace is sampled: flags \"01\"", &seen);
            trace_id
        })
        .collect();
    call.expect(
        traces[0] != traces[1] && traces[1] != traces[2] && traces[0] != traces[2],
        "three different trace ids: each call without a trace starts its own",
        &traces,
    );
    setup.stop().await;
}
