//! Checks for exercise ch05/01, 요청 ID 붙이기 (Tagging every call with a request id).
//!
//! Ignored by a plain `cargo test`: run them with
//! `cargo test -p exercises --test ch05_request_id_client -- --include-ignored`.

use std::sync::{Arc, Mutex, PoisonError};

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use ch03_patterns::client::{book_updates, order_101};
use ch03_patterns::{OrderManagementService, OrderStore};
use exercises::ch05::request_id_client::{Client, REQUEST_ID, client};
use exercises::expect::sent;
use exercises::harness::{self, LocalServer};
use tonic::metadata::MetadataValue;
use tonic::{Request, Status};
use uuid::Uuid;

/// The `x-request-id` of every call the server received, in order (`None`: the call had none;
/// several values are joined with `, `).
type Seen = Arc<Mutex<Vec<Option<String>>>>;

/// Chapter 3's order service behind a server interceptor that writes down each call's id.
async fn start() -> (LocalServer<tonic::transport::Error>, Client, Seen) {
    let seen = Seen::default();
    let record = {
        let seen = seen.clone();
        move |request: Request<()>| -> Result<Request<()>, Status> {
            // Every value, joined: a second id appended to the caller's would show.
            let values: Vec<&str> = request
                .metadata()
                .get_all(REQUEST_ID)
                .iter()
                .map(|value| value.to_str().unwrap_or("<not ASCII>"))
                .collect();
            let id = (!values.is_empty()).then(|| values.join(", "));
            seen.lock().unwrap_or_else(PoisonError::into_inner).push(id);
            Ok(request)
        }
    };
    let service = OrderManagementServer::with_interceptor(
        OrderManagementService::new(OrderStore::book()),
        record,
    );
    let server = harness::start(tonic::service::Routes::new(service))
        .await
        .expect("bind a loopback port");
    let client = client(server.channel());
    (server, client, seen)
}

fn seen_ids(seen: &Seen) -> Vec<Option<String>> {
    seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn every_kind_of_call_carries_a_uuid() {
    let (server, mut client, seen) = start().await;
    let calls = sent(
        "addOrder, getOrder(\"102\"), searchOrders(\"Google\") and updateOrders through the client",
    );

    sent("addOrder with the book's order 101").expect_ok(client.add_order(order_101()).await);
    sent("getOrder(\"102\")").expect_ok(client.get_order("102".to_owned()).await);
    let search = sent("searchOrders(\"Google\")");
    let mut found = search
        .expect_ok(client.search_orders("Google".to_owned()).await)
        .into_inner();
    let mut orders: Vec<Order> = Vec::new();
    while let Some(order) = search.expect_ok(found.message().await) {
        orders.push(order);
    }
    search.expect(
        orders.len() == 2,
        "two orders (102 and 104)",
        orders.iter().map(|order| &order.id).collect::<Vec<_>>(),
    );
    sent("updateOrders with the book's three updates").expect_ok(
        client
            .update_orders(tokio_stream::iter(book_updates()))
            .await,
    );

    let ids = seen_ids(&seen);
    calls.expect(
        ids.len() == 4,
        "the server saw 4 calls, one x-request-id entry each",
        &ids,
    );
    for (name, id) in ["addOrder", "getOrder", "searchOrders", "updateOrders"]
        .into_iter()
        .zip(&ids)
    {
        let Some(id) = id.as_deref() else {
            calls.fail(
                format!("{name} arrives with {REQUEST_ID}"),
                format!("{name} arrived without {REQUEST_ID}"),
            )
        };
        calls.expect(
            Uuid::parse_str(id).is_ok(),
            format!("the {REQUEST_ID} of {name} is a UUID"),
            id,
        );
    }
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn each_call_gets_its_own_id() {
    let (server, mut client, seen) = start().await;
    let calls = sent("getOrder(\"103\") three times");
    for _ in 0..3 {
        calls.expect_ok(client.get_order("103".to_owned()).await);
    }
    let ids = seen_ids(&seen);
    calls.expect(ids.len() == 3, "the server saw 3 calls", &ids);
    calls.expect(
        ids.iter().all(Option::is_some),
        format!("every call has an {REQUEST_ID}"),
        &ids,
    );
    calls.expect(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "three different ids",
        &ids,
    );
    server.stop().await.expect("the server stops");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "solution"),
    ignore = "exercise: run with --include-ignored"
)]
async fn an_id_the_caller_set_is_passed_on_unchanged() {
    let (server, mut client, seen) = start().await;
    let mut request = Request::new("104".to_owned());
    request
        .metadata_mut()
        .insert(REQUEST_ID, MetadataValue::from_static("from-the-caller-42"));
    let call = sent(format!(
        "getOrder(\"104\") with {REQUEST_ID}: from-the-caller-42 already set by the caller"
    ));
    call.expect_ok(client.get_order(request).await);
    call.expect_eq(seen_ids(&seen), vec![Some("from-the-caller-42".to_owned())]);
    server.stop().await.expect("the server stops");
}
