//! Chapter 6: ProductInfo behind TLS, mutual TLS, basic auth, an OAuth 2.0 token and a JWT.

use anyhow::{Context, ensure};
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::{FLOW_TIMEOUT, Flow, FlowError, add_then_get};
use ch06_security::auth::bearer::BOOK_TOKEN;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::{Claims, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::cert_dir;
use ch06_security::client::{SecuredChannel, Transport, book_product, channel};
use ch06_security::{Certs, Mechanism};
use common::deadline::Deadline;
use common::local::LocalServer;
use common::status::RpcError;
use tonic::Code;

use crate::transcript::Transcript;

type Server = LocalServer<tonic::transport::Error>;

pub async fn run(transcript: &mut Transcript) -> anyhow::Result<()> {
    transcript.say(
        "The book's certificates are X.509 v1 with the host name only in the common name (rustls, \
         like Go since 1.15, wants it in the subject alternative names), and its mutual TLS set \
         expired in 2020. So we make our own with rcgen, here in a temporary folder:",
    );
    let folder = tempfile::tempdir().context("make a temporary folder")?;
    let (certs, _) = cert_dir::load_or_generate(folder.path())?;
    let mut files: Vec<String> = std::fs::read_dir(folder.path())?
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    transcript.output(&files.join(" "));
    transcript.say(
        "A CA, a server certificate for localhost, 127.0.0.1 and ::1, a client certificate, and \
         the key pair a JWT issuer signs with. Every sample below serves ProductInfo and, to show \
         streaming calls, chapter 3's OrderManagement.",
    );

    one_way_tls(transcript, &certs).await?;
    mutual_tls(transcript, &certs).await?;
    basic_auth(transcript, &certs).await?;
    oauth_token(transcript, &certs).await?;
    jwt(transcript, &certs).await?;
    Ok(())
}

async fn one_way_tls(transcript: &mut Transcript, certs: &Certs) -> anyhow::Result<()> {
    let server = start(transcript, Mechanism::Tls, certs).await?;
    transcript.say("ch06-client tls: trusts our CA, expects the name localhost:");
    book_flow(
        transcript,
        &server,
        Mechanism::Tls.client_transport(certs),
        CallCredentials::none(),
    )
    .await?;

    transcript.say("A client that does not speak TLS gets no answer at all:");
    let status = refused_add(
        transcript,
        &server,
        Transport::Plaintext,
        CallCredentials::none(),
    )
    .await?;
    connection_failed(&status)?;
    stop(
        transcript,
        server,
        Mechanism::Tls.client_transport(certs),
        CallCredentials::none(),
    )
    .await
}

async fn mutual_tls(transcript: &mut Transcript, certs: &Certs) -> anyhow::Result<()> {
    let server = start(transcript, Mechanism::Mtls, certs).await?;
    transcript.say("ch06-client mtls: shows its client certificate too:");
    book_flow(
        transcript,
        &server,
        Mechanism::Mtls.client_transport(certs),
        CallCredentials::none(),
    )
    .await?;

    transcript.say(
        "ch06-client tls (no client certificate) against the same server: the server ends the \
         handshake, so the first call fails:",
    );
    let status = refused_add(
        transcript,
        &server,
        Transport::tls(certs),
        CallCredentials::none(),
    )
    .await?;
    connection_failed(&status)?;
    transcript.say(
        "The code depends on the moment the client noticed the closed connection: before its \
         request went out (UNAVAILABLE), while sending (UNKNOWN) or while waiting (CANCELLED). \
         grpc-go says UNAVAILABLE every time.",
    );
    stop(
        transcript,
        server,
        Mechanism::Mtls.client_transport(certs),
        CallCredentials::none(),
    )
    .await
}

async fn basic_auth(transcript: &mut Transcript, certs: &Certs) -> anyhow::Result<()> {
    let server = start(transcript, Mechanism::Basic, certs).await?;
    let tls = Mechanism::Basic.client_transport(certs);
    transcript.say("ch06-client basic: every call carries authorization: Basic YWRtaW46YWRtaW4= (admin:admin):");
    book_flow(
        transcript,
        &server,
        tls.clone(),
        CallCredentials::basic("admin", "admin"),
    )
    .await?;

    transcript.say("ch06-client basic --password wrong:");
    let status = refused_add(
        transcript,
        &server,
        tls.clone(),
        CallCredentials::basic("admin", "wrong"),
    )
    .await?;
    ensure!(status.code() == Code::Unauthenticated, "got {status:?}");

    transcript.say(
        "The book's Go servers check unary calls only. Ours check streams too: a server-streaming \
         searchOrders without credentials, then with them:",
    );
    let mut anonymous = OrderManagementClient::new(channel(
        &server_addr(&server),
        tls.clone(),
        CallCredentials::none(),
    )?);
    let status = anonymous
        .search_orders("Google".to_owned())
        .await
        .err()
        .context("an anonymous searchOrders succeeded")?;
    transcript.output(&format!("searchOrders: {}", RpcError(&status)));
    ensure!(status.code() == Code::Unauthenticated, "got {status:?}");
    let mut admin = OrderManagementClient::new(channel(
        &server_addr(&server),
        tls,
        CallCredentials::basic("admin", "admin"),
    )?);
    let mut found = admin.search_orders("Google".to_owned()).await?.into_inner();
    let mut ids = Vec::new();
    while let Some(order) = found.message().await? {
        ids.push(order.id);
    }
    transcript.output(&format!("searchOrders: orders {}", ids.join(", ")));
    ensure!(ids == ["102", "104"], "searchOrders found {ids:?}");
    stop(
        transcript,
        server,
        Mechanism::Basic.client_transport(certs),
        CallCredentials::basic("admin", "admin"),
    )
    .await
}

async fn oauth_token(transcript: &mut Transcript, certs: &Certs) -> anyhow::Result<()> {
    let server = start(transcript, Mechanism::Token, certs).await?;
    let tls = Mechanism::Token.client_transport(certs);
    transcript.say(&format!(
        "ch06-client token: authorization: Bearer {BOOK_TOKEN}:"
    ));
    book_flow(
        transcript,
        &server,
        tls.clone(),
        CallCredentials::bearer(BOOK_TOKEN)?,
    )
    .await?;

    transcript.say("ch06-client token --token guessed:");
    let status = refused_add(
        transcript,
        &server,
        tls,
        CallCredentials::bearer("guessed")?,
    )
    .await?;
    ensure!(status.code() == Code::Unauthenticated, "got {status:?}");

    transcript
        .say("ch06-client --plaintext token: the client itself refuses, before anything is sent:");
    let refusal = channel(
        &server_addr(&server),
        Transport::Plaintext,
        CallCredentials::bearer(BOOK_TOKEN)?,
    )
    .err()
    .context("the client sent a token over plaintext")?;
    transcript.output(&refusal.to_string());
    stop(
        transcript,
        server,
        Mechanism::Token.client_transport(certs),
        CallCredentials::bearer(BOOK_TOKEN)?,
    )
    .await
}

async fn jwt(transcript: &mut Transcript, certs: &Certs) -> anyhow::Result<()> {
    let server = start(transcript, Mechanism::Jwt, certs).await?;
    let tls = Mechanism::Jwt.client_transport(certs);
    let issuer = TokenIssuer::from_pem(&certs.jwt_issuer_key)?;
    let token = |claims: &Claims| -> anyhow::Result<CallCredentials> {
        Ok(CallCredentials::bearer(&issuer.sign(claims)?)?)
    };

    transcript.say(
        "ch06-client jwt: signs a 5-minute token (issuer, audience ecommerce, subject \
         ch06-client, role admin) with the issuer's private key; the server checks it with the \
         public key alone:",
    );
    let admin = Claims::new("ch06-client", "admin", TOKEN_LIFETIME);
    book_flow(transcript, &server, tls.clone(), token(&admin)?).await?;

    transcript.say("ch06-client jwt --role viewer: a valid token, but addProduct is for admins:");
    let viewer = Claims::new("ch06-client", "viewer", TOKEN_LIFETIME);
    let status = refused_add(transcript, &server, tls.clone(), token(&viewer)?).await?;
    ensure!(status.code() == Code::PermissionDenied, "got {status:?}");

    transcript.say("A token that expired an hour ago:");
    let expired = Claims {
        iat: admin.iat - 7200,
        nbf: admin.iat - 7200,
        exp: admin.iat - 3600,
        ..admin
    };
    let status = refused_add(transcript, &server, tls, token(&expired)?).await?;
    ensure!(status.code() == Code::Unauthenticated, "got {status:?}");
    stop(
        transcript,
        server,
        Mechanism::Jwt.client_transport(certs),
        token(&Claims::new("ch06-client", "admin", TOKEN_LIFETIME))?,
    )
    .await
}

async fn start(
    transcript: &mut Transcript,
    mechanism: Mechanism,
    certs: &Certs,
) -> anyhow::Result<Server> {
    let security = mechanism.server_security(certs)?;
    let server = LocalServer::start(|listener, shutdown| {
        ch06_security::serve(listener, security, shutdown.wait())
    })
    .await
    .context("start the server")?;
    transcript.say(&format!(
        "-- {} --\nch06-server {} is listening on {}.",
        mechanism.section(),
        mechanism.name(),
        server.addr()
    ));
    Ok(server)
}

/// A call that failed because its connection did, as a refused TLS handshake makes it.
fn connection_failed(status: &tonic::Status) -> anyhow::Result<()> {
    ensure!(
        matches!(
            status.code(),
            Code::Unavailable | Code::Unknown | Code::Cancelled
        ),
        "expected a failed connection, got {status:?}"
    );
    Ok(())
}

fn server_addr(server: &Server) -> String {
    server.addr().to_string()
}

fn products(
    server: &Server,
    transport: Transport,
    credentials: CallCredentials,
) -> anyhow::Result<ProductInfoClient<SecuredChannel>> {
    Ok(ProductInfoClient::new(channel(
        &server_addr(server),
        transport,
        credentials,
    )?))
}

/// The book's flow, which must succeed: the Samsung S10, added and read back.
async fn book_flow(
    transcript: &mut Transcript,
    server: &Server,
    transport: Transport,
    credentials: CallCredentials,
) -> anyhow::Result<Flow> {
    let mut client = products(server, transport, credentials)?;
    let flow = add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await?;
    transcript.output(&flow.to_string());
    ensure!(
        flow.product.name == "Samsung S10" && flow.product.id == flow.id.value,
        "getProduct answered with another product: {:?}",
        flow.product
    );
    Ok(flow)
}

/// The flow's `addProduct`, which must be refused; shows and returns the status.
async fn refused_add(
    transcript: &mut Transcript,
    server: &Server,
    transport: Transport,
    credentials: CallCredentials,
) -> anyhow::Result<tonic::Status> {
    let mut client = products(server, transport, credentials)?;
    match add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT)).await {
        Err(FlowError::Add(status)) => {
            transcript.output(&FlowError::Add(status.clone()).to_string());
            Ok(status)
        }
        other => anyhow::bail!("addProduct should have been refused: {other:?}"),
    }
}

/// Checks that the server still serves a good client after the refusals, then stops it.
async fn stop(
    transcript: &mut Transcript,
    server: Server,
    transport: Transport,
    credentials: CallCredentials,
) -> anyhow::Result<()> {
    let mut client = products(&server, transport, credentials)?;
    add_then_get(&mut client, book_product(), Deadline::after(FLOW_TIMEOUT))
        .await
        .context("a good client after the refusals")?;
    server.stop().await.context("stop the server")?;
    transcript.say("The server went on serving good clients, then stopped gracefully.");
    Ok(())
}
