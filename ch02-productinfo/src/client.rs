//! The client side of ProductInfo (book section "클라이언트 구현", Implementing the client).
//!
//! The book's Go client adds "Apple iPhone 11", reads it back by the id the server gave it,
//! and logs both results. Both calls share one context with a one-second timeout, so the
//! second call only gets the time the first one left; [`Deadline`] does the same here.

use std::fmt;
use std::time::Duration;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use book_proto::ecommerce::{Product, ProductId};
use common::deadline::Deadline;
use common::status::RpcError;
use common::text_format::TextFormat;
use tonic::Status;
use tonic::client::GrpcService;
use tonic::codegen::{Body, Bytes, StdError};

/// The book's timeout for the whole flow: both calls together.
pub const FLOW_TIMEOUT: Duration = Duration::from_secs(1);

/// The product the book's Go client adds.
pub fn book_product() -> Product {
    Product {
        id: String::new(),
        name: "Apple iPhone 11".into(),
        description:
            "Meet Apple iPhone 11. All-new dual-camera system with Ultra Wide and Night mode."
                .into(),
        price: 699.00,
    }
}

/// What the book's client flow saw: the id the server gave, and the product read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The id `addProduct` answered with.
    pub id: ProductId,
    /// The product `getProduct` answered with.
    pub product: Product,
}

/// The step of the flow that failed, with the status the server (or the deadline) gave.
#[derive(Debug)]
pub enum FlowError {
    /// `addProduct` failed.
    Add(Status),
    /// `getProduct` failed.
    Get(Status),
}

/// Adds `product`, then gets it back by the id the server gave it, both under `deadline`.
///
/// The client may sit on any transport the generated code accepts: a plain
/// [`Channel`](tonic::transport::Channel), or one wrapped in an interceptor that adds
/// credentials (chapter 6).
pub async fn add_then_get<T>(
    client: &mut ProductInfoClient<T>,
    product: Product,
    deadline: Deadline,
) -> Result<Flow, FlowError>
where
    T: GrpcService<tonic::body::Body>,
    T::Error: Into<StdError>,
    T::ResponseBody: Body<Data = Bytes> + Send + 'static,
    <T::ResponseBody as Body>::Error: Into<StdError> + Send,
{
    let id = deadline
        .run(client.add_product(deadline.request(product)))
        .await
        .map_err(FlowError::Add)?
        .into_inner();
    let product = deadline
        .run(client.get_product(deadline.request(id.clone())))
        .await
        .map_err(FlowError::Get)?
        .into_inner();
    Ok(Flow { id, product })
}

/// The book's two log lines: `Product ID: … added successfully` and `Product: …`.
impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Product ID: {} added successfully", self.id.value)?;
        write!(f, "Product: {}", ProductText(&self.product))
    }
}

/// The book's words for a failed step: `Could not add product: rpc error: code = …`.
impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::Add(status) => write!(f, "Could not add product: {}", RpcError(status)),
            FlowError::Get(status) => write!(f, "Could not get product: {}", RpcError(status)),
        }
    }
}

impl std::error::Error for FlowError {}

/// A product in protobuf text format, as Go's `log.Printf("Product: %v", product)` prints
/// it: `id:"…" name:"Apple iPhone 11" description:"…" price:699`, without the fields that
/// hold their default value ([`TextFormat`]).
pub struct ProductText<'a>(pub &'a Product);

impl fmt::Display for ProductText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Product {
            id,
            name,
            description,
            price,
        } = self.0;
        let text = TextFormat::new()
            .text("id", id)
            .text("name", name)
            .text("description", description)
            .float("price", *price);
        write!(f, "{text}")
    }
}
