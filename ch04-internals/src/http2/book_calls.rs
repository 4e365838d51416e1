//! The calls `ch04-raw-client` makes by default, on one connection: `addProduct` of the
//! book's product, `getProduct` of the id the server gave it, and `getProduct` of an id the
//! server does not know, which fails before there is anything to answer and so comes back as
//! a Trailers-Only response.

use book_proto::ecommerce::ProductId;

use super::call::{Exchange, RawChannel, RawError, RawRequest};
use crate::book;

/// An id no server has: `getProduct` of it answers `NOT_FOUND`.
pub const MISSING_ID: &str = "no-such-product";

/// The three exchanges, in the order they were made.
#[derive(Debug, Clone)]
pub struct BookCalls {
    /// `addProduct` of the book's product.
    pub add: Exchange,
    /// `getProduct` of the product just added.
    pub found: Exchange,
    /// `getProduct` of [`MISSING_ID`].
    pub missing: Exchange,
}

/// Makes the three calls.
pub async fn book_calls(channel: &RawChannel) -> Result<BookCalls, RawError> {
    let add = channel
        .call(&RawRequest::add_product(&book::product())?)
        .await?;
    let id: ProductId = add.response()?;
    let found = channel.call(&RawRequest::get_product(&id.value)?).await?;
    let missing = channel.call(&RawRequest::get_product(MISSING_ID)?).await?;
    Ok(BookCalls {
        add,
        found,
        missing,
    })
}
