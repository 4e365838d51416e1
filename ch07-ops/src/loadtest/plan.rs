//! What a load test runs: ghz's `--call`, `-n`/`-z`, `-c`, `--connections` and `--rps`.

use std::time::Duration;

/// The ProductInfo method to call, spelled as in the proto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
pub enum Method {
    /// `addProduct` with the book's product: every call stores one more product.
    #[value(name = "addProduct")]
    #[serde(rename = "addProduct")]
    AddProduct,
    /// `getProduct` of a product added before the test starts.
    #[value(name = "getProduct")]
    #[serde(rename = "getProduct")]
    GetProduct,
}

impl Method {
    /// The call's HTTP/2 path.
    pub fn path(self) -> &'static str {
        match self {
            Method::AddProduct => "/ecommerce.ProductInfo/addProduct",
            Method::GetProduct => "/ecommerce.ProductInfo/getProduct",
        }
    }
}

/// When the test ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// After this many calls.
    Total(u64),
    /// When this much time has passed; the calls in flight then finish.
    Duration(Duration),
}

/// The whole plan of a load test.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The method every call uses.
    pub method: Method,
    /// When to stop.
    pub stop: Stop,
    /// How many calls are in flight at once (ghz's workers).
    pub concurrency: usize,
    /// How many HTTP/2 connections the calls share.
    pub connections: usize,
    /// At most this many calls start per second, if set.
    pub rate: Option<u32>,
    /// `getProduct` of this stored product instead of adding the book's first (what ghz's
    /// `-d '{"value":"…"}'` says), to load-test with products of any size.
    pub product_id: Option<String>,
}

/// Parses a duration the way ghz's `-z` takes it: `500ms`, `10s`, `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{text:?} has no unit: use ms, s or m"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} does not start with a number"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(Duration::from_secs(number)),
        "m" => Ok(Duration::from_secs(number * 60)),
        _ => Err(format!("{text:?} has unit {unit:?}: use ms, s or m")),
    }
}
