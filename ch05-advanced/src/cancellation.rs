//! Cancellation (book section "취소 처리"): a client that gives up on a call midway.
//!
//! The book's Go client starts `processOrders`, receives the first shipments, then calls the
//! `cancel` function of its context: the call ends with `CANCELLED` on both sides, the client's
//! later `Send` fails, and the server stops processing that stream.
//!
//! tonic has no context, and dropping a call's response stream is not enough to cancel a
//! bidirectional call: hyper keeps the HTTP/2 stream open for as long as the request stream
//! has messages to send. What does cancel it is the request body failing with the HTTP/2 error
//! `CANCEL`: hyper then resets the stream (RST_STREAM with CANCEL), exactly what grpc-go sends.
//!
//! So here a [`CancellationToken`] plays the part of the Go context. The client puts it in the
//! call's extensions; [`Cancellable`], a thin wrapper around the channel, makes that call's
//! request body fail with `CANCEL` when the token fires; and the receiving loop watches the same
//! token and reports `CANCELLED`, as Go's `Recv` does. On the server, tonic drops the call's
//! handler and response stream at once, and chapter 3's `processOrders` logs that it stopped.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use book_proto::ecommerce::CombinedShipment;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use bytes::Bytes;
use ch03_patterns::text::ShipmentText;
use common::channel::Channel;
use common::status::RpcError;
use http_body::Frame;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tonic::body::Body;
use tonic::{Request, Status};
use tower::Service;

/// An order client whose calls can be cancelled.
pub type Client = OrderManagementClient<Cancellable<Channel>>;

/// A channel (or any HTTP service) whose calls end with RST_STREAM(CANCEL) when the
/// [`CancellationToken`] in their extensions fires.
#[derive(Debug, Clone)]
pub struct Cancellable<S> {
    inner: S,
}

impl<S> Cancellable<S> {
    /// Wraps `inner`; calls without a token in their extensions pass through untouched.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }
}

impl<S> Service<http::Request<Body>> for Cancellable<S>
where
    S: Service<http::Request<Body>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let token = request.extensions().get::<CancellationToken>().cloned();
        let request = match token {
            Some(token) => request.map(|body| Body::new(CancellableBody::new(body, token))),
            None => request,
        };
        self.inner.call(request)
    }
}

/// A request body that fails with the HTTP/2 error `CANCEL` once its token fires.
struct CancellableBody {
    inner: Body,
    cancelled: Pin<Box<WaitForCancellationFutureOwned>>,
}

impl CancellableBody {
    fn new(inner: Body, token: CancellationToken) -> Self {
        Self {
            inner,
            cancelled: Box::pin(token.cancelled_owned()),
        }
    }
}

impl http_body::Body for CancellableBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        // Polling the token registers this task, so a cancel wakes a body that is waiting for
        // the client's next message.
        if self.cancelled.as_mut().poll(cx).is_ready() {
            let cancel = Box::new(h2::Error::from(h2::Reason::CANCEL));
            return Poll::Ready(Some(Err(Status::from_error(cancel))));
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }
}

/// What the client saw of a call it cancelled.
#[derive(Debug)]
pub struct Cancelled {
    /// The shipments received before the cancel.
    pub shipments: Vec<CombinedShipment>,
    /// The status the receiving loop ended with: `CANCELLED`.
    pub status: Status,
    /// Whether an id sent after the cancel was still accepted (it is not: the call is gone).
    pub late_send_accepted: bool,
}

/// Sends `first` ids to `processOrders`, cancels the call once their orders have shipped, then
/// tries to send `late`.
pub async fn process_then_cancel(
    client: &mut Client,
    first: &[&str],
    late: &str,
) -> Result<Cancelled, Status> {
    let (ids, outgoing) = mpsc::channel(first.len() + 1);
    for id in first {
        ids.send((*id).to_owned())
            .await
            .map_err(|_| Status::internal("the call ended before its first ids were sent"))?;
    }
    let cancel = CancellationToken::new();
    let mut request = Request::new(ReceiverStream::new(outgoing));
    request.extensions_mut().insert(cancel.clone());
    let mut incoming = client.process_orders(request).await?.into_inner();

    let mut shipments = Vec::new();
    let mut shipped = 0;
    let status = loop {
        tokio::select! {
            biased;
            () = cancel.cancelled() => break Status::cancelled("context canceled"),
            next = incoming.message() => match next {
                Ok(Some(shipment)) => {
                    shipped += shipment.orders_list.len();
                    shipments.push(shipment);
                    if shipped >= first.len() {
                        // The book's client cancels after a second; here, once it has what it
                        // waited for.
                        cancel.cancel();
                    }
                }
                Ok(None) => break Status::unknown("the server ended the call before the cancel"),
                Err(status) => break status,
            },
        }
    };
    drop(incoming);

    // The cancelled call lets go of its request stream; wait (briefly) until it has.
    let _ = tokio::time::timeout(Duration::from_secs(5), ids.closed()).await;
    let late_send_accepted = ids.send(late.to_owned()).await.is_ok();
    Ok(Cancelled {
        shipments,
        status,
        late_send_accepted,
    })
}

/// The book's client: process 102, 103 and 104, cancel, then try 101. Prints what happened.
pub async fn book_flow(client: &mut Client, mut print: impl FnMut(String)) -> Result<(), Status> {
    let cancelled = process_then_cancel(client, &["102", "103", "104"], "101").await?;
    for shipment in &cancelled.shipments {
        print(format!("Combined shipment : {}", ShipmentText(shipment)));
    }
    print(format!("RPC Status : {}", RpcError(&cancelled.status)));
    print(if cancelled.late_send_accepted {
        "Order 101 sent after the cancel was accepted".to_owned()
    } else {
        "Order 101 could not be sent: the call was cancelled".to_owned()
    });
    Ok(())
}
