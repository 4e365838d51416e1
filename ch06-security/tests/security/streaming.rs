//! Call credentials on streaming calls: the same interceptor guards chapter 3's
//! OrderManagement, whose streams the book's unary-only Go interceptors would let through.

use book_proto::ecommerce::Order;
use book_proto::ecommerce::order_management_client::OrderManagementClient;
use ch06_security::Mechanism;
use ch06_security::auth::bearer::BOOK_TOKEN;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::{Claims, TOKEN_LIFETIME, TokenIssuer};
use ch06_security::client::SecuredChannel;
use tonic::Code;

use crate::support::Sample;

/// The credentials each sample's server accepts.
fn good_credentials(sample: &Sample) -> CallCredentials {
    match sample.mechanism {
        Mechanism::Basic => CallCredentials::basic("admin", "admin"),
        Mechanism::Token => CallCredentials::bearer(BOOK_TOKEN).expect("a header value"),
        Mechanism::Jwt => {
            // Streams that change orders (updateOrders, processOrders) are for admins; what a
            // viewer may do is tests/security/jwt.rs's, and robustness's, business.
            let claims = Claims::new("bob", "admin", TOKEN_LIFETIME);
            let token = TokenIssuer::from_pem(&sample.certs.jwt_issuer_key)
                .and_then(|issuer| issuer.sign(&claims))
                .expect("a signed token");
            CallCredentials::bearer(&token).expect("a header value")
        }
        Mechanism::Tls | Mechanism::Mtls => unreachable!("no call credentials"),
    }
}

async fn search(
    client: &mut OrderManagementClient<SecuredChannel>,
) -> Result<Vec<String>, tonic::Status> {
    let mut stream = client
        .search_orders("Google".to_owned())
        .await?
        .into_inner();
    let mut ids = Vec::new();
    while let Some(order) = stream.message().await? {
        ids.push(order.id);
    }
    Ok(ids)
}

fn order(id: &str) -> Order {
    Order {
        id: id.into(),
        items: vec!["Google Pixel 3A".into()],
        description: String::new(),
        price: 100.0,
        destination: "San Jose, CA".into(),
    }
}

#[tokio::test]
async fn every_kind_of_streaming_call_needs_credentials() {
    for mechanism in [Mechanism::Basic, Mechanism::Token, Mechanism::Jwt] {
        let sample = Sample::start(mechanism).await;
        let mut anonymous = sample.orders(CallCredentials::none());

        let server_streaming = search(&mut anonymous).await;
        let client_streaming = anonymous
            .update_orders(tokio_stream::iter(vec![order("102")]))
            .await;
        let bidirectional = anonymous
            .process_orders(tokio_stream::iter(vec!["102".to_owned()]))
            .await;
        for (call, status) in [
            ("searchOrders", server_streaming.expect_err("refused")),
            ("updateOrders", client_streaming.expect_err("refused")),
            ("processOrders", bidirectional.expect_err("refused")),
        ] {
            assert_eq!(
                status.code(),
                Code::Unauthenticated,
                "{mechanism:?} {call}: {status:?}"
            );
            assert!(
                status.message().contains("authorization header"),
                "{status:?}"
            );
        }

        let mut authenticated = sample.orders(good_credentials(&sample));
        let found = search(&mut authenticated).await.expect("searchOrders");
        assert_eq!(found, ["102", "104"], "{mechanism:?}");
        let updated = authenticated
            .update_orders(tokio_stream::iter(vec![order("102")]))
            .await
            .expect("updateOrders")
            .into_inner();
        assert_eq!(
            updated, "Orders processed Updated Order IDs : 102",
            "{mechanism:?}"
        );
        sample.stop().await;
    }
}
