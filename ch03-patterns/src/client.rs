//! The book's OrderManagement client: one function per call, and the whole flow.
//!
//! Each function shows how a pattern looks from the client: a unary call is one `await`; a
//! server stream is read with `message().await` until it ends; a client stream is any
//! `Stream` of requests, here an iterator; a bidirectional call sends from a channel while it
//! reads shipments as they arrive.
//!
//! The book's Go client runs every call under one context with a 5-second timeout; so does
//! [`book_flow`], with a [`Deadline`].

use std::fmt;
use std::time::Duration;

use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::{CombinedShipment, Order};
use common::channel::Channel;
use common::deadline::Deadline;
use common::status::RpcError;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Status;

use crate::store::order;
use crate::text::{OrderText, ShipmentText};

/// The book's timeout for the whole client flow.
pub const FLOW_TIMEOUT: Duration = Duration::from_secs(5);

/// The client of the OrderManagement service, over a tonic channel.
pub type Client = OrderManagementClient<Channel>;

/// Order 101, which the book's client adds.
pub fn order_101() -> Order {
    order(
        "101",
        &["iPhone XS", "Mac Book Pro"],
        "San Jose, CA",
        2300.00,
    )
}

/// The book's new values for orders 102, 103 and 104, which its client streams to
/// `updateOrders`.
pub fn book_updates() -> Vec<Order> {
    vec![
        order(
            "102",
            &["Google Pixel 3A", "Google Pixel Book"],
            "Mountain View, CA",
            1100.00,
        ),
        order(
            "103",
            &["Apple Watch S4", "Mac Book Pro", "iPad Pro"],
            "San Jose, CA",
            2800.00,
        ),
        order(
            "104",
            &["Google Home Mini", "Google Nest Hub", "iPad Mini"],
            "Mountain View, CA",
            2200.00,
        ),
    ]
}

/// Unary: adds an order; the server answers `Order Added: <id>`.
pub async fn add_order(
    client: &mut Client,
    deadline: &Deadline,
    order: Order,
) -> Result<String, Status> {
    let reply = deadline
        .run(client.add_order(deadline.request(order)))
        .await?;
    Ok(reply.into_inner())
}

/// Unary: the order with this id.
pub async fn get_order(
    client: &mut Client,
    deadline: &Deadline,
    id: &str,
) -> Result<Order, Status> {
    let order = deadline
        .run(client.get_order(deadline.request(id.to_owned())))
        .await?;
    Ok(order.into_inner())
}

/// Server streaming: every order with an item containing `query`, read one message at a time
/// until the server ends the stream.
pub async fn search_orders(
    client: &mut Client,
    deadline: &Deadline,
    query: &str,
) -> Result<Vec<Order>, Status> {
    deadline
        .run(async {
            let mut results = client
                .search_orders(deadline.request(query.to_owned()))
                .await?
                .into_inner();
            let mut orders = Vec::new();
            while let Some(order) = results.message().await? {
                orders.push(order);
            }
            Ok(orders)
        })
        .await
}

/// Client streaming: streams `orders` and, after the half-close, gets one reply.
pub async fn update_orders(
    client: &mut Client,
    deadline: &Deadline,
    orders: Vec<Order>,
) -> Result<String, Status> {
    let request = deadline.request(tokio_stream::iter(orders));
    let reply = deadline.run(client.update_orders(request)).await?;
    Ok(reply.into_inner())
}

/// What `processOrders` sent back, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    /// Shipments that arrived after the first ids, while the client still held the rest.
    pub while_sending: Vec<CombinedShipment>,
    /// Shipments that arrived after the client sent the rest and half-closed.
    pub at_end: Vec<CombinedShipment>,
}

/// Bidirectional streaming: sends `first` ids, reads shipments until all of those orders have
/// shipped, then sends `rest`, half-closes, and reads the shipments that follow.
///
/// `first` should be a whole batch ([`crate::shipments::BATCH_SIZE`] ids): the server ships
/// nothing before that, and the call would wait for its deadline.
///
/// Waiting for the first shipments before sending more is what shows the two streams are
/// independent: the server answers in the middle of the call, not at its end. (The book's Go
/// client sleeps a second instead.)
pub async fn process_orders(
    client: &mut Client,
    deadline: &Deadline,
    first: &[&str],
    rest: &[&str],
) -> Result<Processed, Status> {
    deadline
        .run(async {
            let (ids, outgoing) = mpsc::channel(first.len() + rest.len() + 1);
            for id in first {
                send(&ids, id).await?;
            }
            let mut shipments = client
                .process_orders(deadline.request(ReceiverStream::new(outgoing)))
                .await?
                .into_inner();

            let mut while_sending = Vec::new();
            let mut shipped = 0;
            while shipped < first.len() {
                let Some(shipment) = shipments.message().await? else {
                    break;
                };
                shipped += shipment.orders_list.len();
                while_sending.push(shipment);
            }

            for id in rest {
                send(&ids, id).await?;
            }
            drop(ids); // The half-close: the server's stream of ids ends here.

            let mut at_end = Vec::new();
            while let Some(shipment) = shipments.message().await? {
                at_end.push(shipment);
            }
            Ok(Processed {
                while_sending,
                at_end,
            })
        })
        .await
}

async fn send(ids: &mpsc::Sender<String>, id: &str) -> Result<(), Status> {
    ids.send(id.to_owned())
        .await
        .map_err(|_| Status::cancelled("the call ended before all ids were sent"))
}

/// A call of the flow that failed.
#[derive(Debug)]
pub struct FlowError {
    /// Which call: `add order`, `get order`, ….
    pub call: &'static str,
    /// What the server (or the deadline) said.
    pub status: Status,
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Could not {}: {}", self.call, RpcError(&self.status))
    }
}

impl std::error::Error for FlowError {}

/// The book's client flow, printing each result through `print` in the book's words:
/// add order 101, get order 106, search "Google", update 102 to 104, process 102, 103 and
/// 104 and then 101.
pub async fn book_flow(
    client: &mut Client,
    mut print: impl FnMut(String),
) -> Result<(), FlowError> {
    let deadline = Deadline::after(FLOW_TIMEOUT);
    let failed = |call| move |status| FlowError { call, status };

    let added = add_order(client, &deadline, order_101())
        .await
        .map_err(failed("add order"))?;
    print(format!("AddOrder Response -> {added}"));

    let order = get_order(client, &deadline, "106")
        .await
        .map_err(failed("get order"))?;
    print(format!("GetOrder Response -> : {}", OrderText(&order)));

    let found = search_orders(client, &deadline, "Google")
        .await
        .map_err(failed("search orders"))?;
    for order in &found {
        print(format!("Search Result : {}", OrderText(order)));
    }
    print("EOF".to_owned());

    let updated = update_orders(client, &deadline, book_updates())
        .await
        .map_err(failed("update orders"))?;
    print(format!("Update Orders Res : {updated}"));

    let processed = process_orders(client, &deadline, &["102", "103", "104"], &["101"])
        .await
        .map_err(failed("process orders"))?;
    for shipment in processed.while_sending.iter().chain(&processed.at_end) {
        print(format!("Combined shipment : {}", ShipmentText(shipment)));
    }
    Ok(())
}
