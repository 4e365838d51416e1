//! 멀티플렉싱 (Multiplexing): two services on one server, two stubs on one connection.
//!
//! The book's server registers OrderManagement and grpc-go's `helloworld.Greeter` on one
//! `grpc.Server`; its client dials once and makes a stub of each service on that `ClientConn`.
//! Both calls then travel as HTTP/2 streams of the same connection, told apart only by their
//! paths (`/ecommerce.OrderManagement/addOrder`, `/helloworld.Greeter/SayHello`).
//!
//! In tonic the server side is one `add_service` per service on one `Server`: its router
//! dispatches on the path. On the client side a [`Channel`] plays the `ClientConn`: cloning it
//! is cheap and every clone shares the one connection, so "two stubs on one connection" is
//! two generated clients made from clones of one channel.

use std::future::Future;
use std::time::Duration;

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::order_management_server::OrderManagementServer;
use book_proto::helloworld::greeter_client::GreeterClient;
use book_proto::helloworld::greeter_server::{Greeter, GreeterServer};
use book_proto::helloworld::{HelloReply, HelloRequest};
use ch03_patterns::client::order_101;
use ch03_patterns::service::{self, Reply};
use ch03_patterns::{OrderManagementService, OrderStore};
use common::channel::Channel;
use common::deadline::Deadline;
use tokio::net::TcpListener;
use tonic::{Request, Response, Status};

/// The book's client gives each call its own one-second timeout.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// The name the book's client greets.
pub const BOOK_NAME: &str = "gRPC Up and Running!";

/// grpc-go's Greeter, as the book's multiplexing server has it.
#[derive(Debug, Default)]
pub struct GreeterService;

#[tonic::async_trait]
impl Greeter for GreeterService {
    async fn say_hello(
        &self,
        request: Request<HelloRequest>,
    ) -> Result<Response<HelloReply>, Status> {
        tracing::info!("Greeter Service - SayHello RPC");
        Ok(Response::new(HelloReply {
            message: format!("Hello {}", request.into_inner().name),
        }))
    }
}

/// `addOrder` of the book's multiplexing server: says which service the call reached, then adds
/// the order as chapter 3 does.
pub async fn add_order(store: OrderStore, request: Request<Order>) -> Reply<String> {
    tracing::info!("Order Management Service - AddOrder RPC");
    service::add_order(store, request).await
}

/// Serves OrderManagement and Greeter together on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    common::server::builder()
        .add_service(OrderManagementServer::new(
            OrderManagementService::new(OrderStore::book()).with_add_order(add_order),
        ))
        .add_service(GreeterServer::new(GreeterService))
        .serve_with_incoming_shutdown(common::server::incoming(listener), shutdown)
        .await
}

/// The book's client flow over one `channel`: adds order 101 through an OrderManagement stub,
/// then greets through a Greeter stub, each call under its own [`CALL_TIMEOUT`], printing
/// through `print` in the book's words.
///
/// As in the book, a failed `AddOrder` is printed and the flow goes on; a failed `SayHello`
/// ends it (the Go client's `log.Fatalf`).
pub async fn book_flow(channel: Channel, mut print: impl FnMut(String)) -> Result<(), Status> {
    let mut orders = OrderManagementClient::new(channel.clone());
    let mut greeter = GreeterClient::new(channel);

    let deadline = Deadline::after(CALL_TIMEOUT);
    match deadline
        .run(orders.add_order(deadline.request(order_101())))
        .await
    {
        Ok(reply) => print(format!("AddOrder Response -> {}", reply.into_inner())),
        Err(status) => print(format!(
            "Error Occured -> addOrder : , {:?}:",
            status.code()
        )),
    }

    let deadline = Deadline::after(CALL_TIMEOUT);
    let hello = HelloRequest {
        name: BOOK_NAME.to_owned(),
    };
    let reply = deadline
        .run(greeter.say_hello(deadline.request(hello)))
        .await?;
    print(format!("Greeting:  {}", reply.into_inner().message));
    Ok(())
}
