//! 「gRPC: 동작 원리」 4장, 프로토콜 버퍼를 사용한 메시지 인코딩 · 길이-접두사 지정 메시지 프레이밍
//! (Chapter 4, Under the Hood: message encoding using protocol buffers, length-prefixed
//! message framing).
//!
//! ```text
//! cargo run --bin ch04-encode                          # the book's ProductID, Product and Order
//! cargo run --bin ch04-encode -- --product-id 15       # a ProductID of your own
//! cargo run --bin ch04-encode -- --product "Apple iPhone 11" --price 699
//! cargo run --bin ch04-encode -- --order 102 --item "Google Pixel 3A" --item "Mac Book Pro"
//! ```
//!
//! For each message it prints every field, then the protobuf encoding byte by byte (each tag
//! with its field number and wire type, each length, each value), then the 5-byte
//! length-prefixed frame gRPC sends, and finally whether prost writes the same bytes:
//!
//! ```text
//! ProductID { value: "15" }
//!
//! protobuf encoding, 4 bytes:
//!   0a                       tag: field 1 (value), wire type 2 (length-delimited): (1 << 3) | 2 = 10
//!   02                       length: 2
//!   31 35                    "15"
//! ...
//! ```

use std::process::ExitCode;

use book_proto::ecommerce::{Order, Product, ProductId};
use ch04_internals::book;
use ch04_internals::listing::explain;
use clap::{ArgGroup, Parser};

/// Shows how the book's messages, or yours, are encoded and framed.
#[derive(Parser)]
#[command(version)]
#[command(group(ArgGroup::new("message").args(["product_id", "product", "order"])))]
#[command(group(ArgGroup::new("with_fields").args(["product", "order"])))]
struct Args {
    /// Encode a ProductID with this value.
    #[arg(long, value_name = "VALUE")]
    product_id: Option<String>,
    /// Encode a Product with this name.
    #[arg(long, value_name = "NAME")]
    product: Option<String>,
    /// Encode an Order with this id.
    #[arg(long, value_name = "ID")]
    order: Option<String>,
    /// The Product's id.
    #[arg(long, requires = "product", conflicts_with_all = ["product_id", "order"])]
    id: Option<String>,
    /// The Product's or the Order's description.
    #[arg(long, requires = "with_fields", conflicts_with = "product_id")]
    description: Option<String>,
    /// The Product's or the Order's price (try 0, -0, NaN).
    #[arg(
        long,
        requires = "with_fields",
        conflicts_with = "product_id",
        allow_negative_numbers = true
    )]
    price: Option<f32>,
    /// An item of the Order (repeat for more).
    #[arg(
        long = "item",
        value_name = "ITEM",
        requires = "order",
        conflicts_with_all = ["product_id", "product"]
    )]
    items: Option<Vec<String>>,
    /// The Order's destination.
    #[arg(long, requires = "order", conflicts_with_all = ["product_id", "product"])]
    destination: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let explained = if let Some(value) = args.product_id {
        explain(&ProductId { value })
    } else if let Some(name) = args.product {
        explain(&Product {
            id: args.id.unwrap_or_default(),
            name,
            description: args.description.unwrap_or_default(),
            price: args.price.unwrap_or_default(),
        })
    } else if let Some(id) = args.order {
        explain(&Order {
            id,
            items: args.items.unwrap_or_default(),
            description: args.description.unwrap_or_default(),
            price: args.price.unwrap_or_default(),
            destination: args.destination.unwrap_or_default(),
        })
    } else {
        [
            explain(&book::product_id()),
            explain(&book::product()),
            explain(&book::order()),
        ]
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map(|texts| texts.join("\n"))
    };
    match explained {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("Cannot frame the message: {error}");
            ExitCode::FAILURE
        }
    }
}
