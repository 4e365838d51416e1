//! ProductInfo as a REST service: HTTP/1.1 and JSON, the way chapter 1's prose describes the
//! alternative to gRPC.
//!
//! * The server is an axum router with two routes, the ones chapter 8's gateway maps the gRPC
//!   methods to: `POST /v1/product` takes a product as JSON and answers with its id as
//!   `{"value":"<id>"}` (the JSON form of the proto's `ProductID`), and `GET /v1/product/{id}`
//!   answers with the product.
//! * The client is hyper's HTTP/1.1 connection, kept alive across calls, over a
//!   [`Counted`] stream: a request waits for the response before the next one goes out on the
//!   same connection, so concurrent callers need a connection each.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, bail};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use book_proto::ecommerce::Product;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};

use crate::counting::{Counted, Counts};

/// A product as JSON: the proto's fields, by their proto names.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProductJson {
    #[serde(default)]
    id: String,
    name: String,
    description: String,
    price: f32,
}

/// The answer to `POST /v1/product`: `ProductID` in protobuf's JSON mapping.
#[derive(Debug, Serialize, Deserialize)]
struct ProductIdJson {
    value: String,
}

impl From<&Product> for ProductJson {
    fn from(product: &Product) -> Self {
        Self {
            id: product.id.clone(),
            name: product.name.clone(),
            description: product.description.clone(),
            price: product.price,
        }
    }
}

impl From<ProductJson> for Product {
    fn from(product: ProductJson) -> Self {
        Self {
            id: product.id,
            name: product.name,
            description: product.description,
            price: product.price,
        }
    }
}

/// The catalogue, as chapter 2's service keeps it: products by id, in memory.
type Store = Arc<Mutex<HashMap<String, ProductJson>>>;

/// Serves the REST ProductInfo on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = Router::new()
        .route("/v1/product", post(add_product))
        .route("/v1/product/{id}", get(get_product))
        .with_state(Store::default());
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// JSON is parsed by hand with serde_json (rather than axum's `Json`, which needs a feature
/// that would rebuild tonic for the whole workspace); the bytes on the wire are the same.
async fn add_product(State(store): State<Store>, body: Bytes) -> Response {
    let Ok(mut product) = serde_json::from_slice::<ProductJson>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let id = uuid::Uuid::new_v4().to_string();
    product.id = id.clone();
    store
        .lock()
        .expect("no code panics holding the store's lock")
        .insert(id.clone(), product);
    json(&ProductIdJson { value: id })
}

async fn get_product(State(store): State<Store>, Path(id): Path<String>) -> Response {
    let found = store
        .lock()
        .expect("no code panics holding the store's lock")
        .get(&id)
        .cloned();
    match found {
        Some(product) => json(&product),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn json(value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// One keep-alive HTTP/1.1 connection to the REST server.
pub struct RestClient {
    host: String,
    sender: SendRequest<Full<Bytes>>,
}

impl RestClient {
    /// Connects to `addr`, counting the connection's bytes in `counts`.
    pub async fn connect(addr: SocketAddr, counts: Arc<Counts>) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        // As tonic does for gRPC: no Nagle delay on small requests.
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(Counted::new(stream, counts)))
            .await
            .context("HTTP/1.1 handshake")?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!("HTTP/1.1 connection ended: {error}");
            }
        });
        Ok(Self {
            host: addr.to_string(),
            sender,
        })
    }

    /// `POST /v1/product`: stores `product`, answers its id.
    pub async fn add(&mut self, product: &Product) -> anyhow::Result<String> {
        let body = serde_json::to_vec(&ProductJson::from(product))?;
        let request = http::Request::post("/v1/product")
            .header(header::HOST, &self.host)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))?;
        let id: ProductIdJson = serde_json::from_slice(&self.call(request).await?)?;
        Ok(id.value)
    }

    /// `GET /v1/product/{id}`: the product stored under `id`.
    pub async fn get(&mut self, id: &str) -> anyhow::Result<Product> {
        let request = http::Request::get(format!("/v1/product/{id}"))
            .header(header::HOST, &self.host)
            .body(Full::new(Bytes::new()))?;
        let product: ProductJson = serde_json::from_slice(&self.call(request).await?)?;
        Ok(product.into())
    }

    async fn call(&mut self, request: http::Request<Full<Bytes>>) -> anyhow::Result<Bytes> {
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        if !status.is_success() {
            bail!("HTTP {status}");
        }
        Ok(body)
    }
}
