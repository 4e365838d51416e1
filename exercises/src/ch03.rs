//! Chapter 3, 「gRPC 통신 패턴」 (gRPC Communication Patterns): change how OrderManagement
//! streams.
//!
//! 1. [`search_ignoring_case`]: a server stream of your own: `searchOrders` that ignores case,
//!    and refuses an empty query with `INVALID_ARGUMENT` before it streams anything.
//! 2. [`update_known_orders`]: a client stream that stops at the first unknown order with
//!    `NOT_FOUND`, keeping the updates it applied before it.
//! 3. [`search_deadline`]: a server stream that honours the caller's deadline, ending with
//!    `DEADLINE_EXCEEDED` even in the middle of a slow lookup.
//! 4. [`process_orders_batches`]: a bidirectional stream that ships combined shipments every
//!    `batch_size` orders while the client still sends, without the book's off-by-one.
//!
//! Every task serves the book's `ecommerce.OrderManagement` (`book_proto`), so the book's
//! clients call it unchanged. A task writes only the method it is about and puts it into
//! chapter 3's `ch03_patterns::OrderManagementService` (`with_search_orders`,
//! `with_update_orders`), which serves every other method as chapter 3 does.

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch03/01-search-ignoring-case/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch03/01-search-ignoring-case/solution.rs"
)]
pub mod search_ignoring_case;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch03/02-update-known-orders/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch03/02-update-known-orders/solution.rs"
)]
pub mod update_known_orders;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch03/03-search-deadline/skeleton.rs"
)]
#[cfg_attr(feature = "solution", path = "../ch03/03-search-deadline/solution.rs")]
pub mod search_deadline;

#[cfg_attr(
    not(feature = "solution"),
    path = "../ch03/04-process-orders-batches/skeleton.rs"
)]
#[cfg_attr(
    feature = "solution",
    path = "../ch03/04-process-orders-batches/solution.rs"
)]
pub mod process_orders_batches;
