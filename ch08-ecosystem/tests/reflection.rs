//! Server reflection: a client that knows no .proto file lists the services and resolves a
//! method's request and response types, over both v1 and v1alpha.

use ch08_ecosystem::serve;
use common::local::LocalServer;
use prost::Message;
use prost_types::FileDescriptorProto;

/// The services a reflection client is told about, sorted.
const LISTED: [&str; 4] = [
    "ecommerce.ProductInfo",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// One reflection client per protocol version: the two have the same messages in different
/// packages, so the same test body runs against each.
macro_rules! reflection_client {
    ($name:ident, $pb:path) => {
        mod $name {
            use common::channel::Channel;
            use futures::StreamExt;
            use pb::server_reflection_client::ServerReflectionClient;
            use pb::server_reflection_request::MessageRequest;
            use pb::server_reflection_response::MessageResponse;
            use $pb as pb;

            /// Sends one request on a fresh reflection stream and returns the answer.
            pub async fn ask(
                channel: Channel,
                request: MessageRequest,
            ) -> Result<MessageResponse, tonic::Status> {
                let mut client = ServerReflectionClient::new(channel);
                let request = pb::ServerReflectionRequest {
                    host: String::new(),
                    message_request: Some(request),
                };
                let mut answers = client
                    .server_reflection_info(futures::stream::iter([request]))
                    .await
                    .expect("reflection stream opens")
                    .into_inner();
                answers
                    .next()
                    .await
                    .expect("one answer")
                    .map(|answer| answer.message_response.expect("answer has a message"))
            }

            pub async fn list_services(channel: Channel) -> Vec<String> {
                match ask(channel, MessageRequest::ListServices(String::new())).await {
                    Ok(MessageResponse::ListServicesResponse(list)) => {
                        let mut names: Vec<String> = list
                            .service
                            .into_iter()
                            .map(|service| service.name)
                            .collect();
                        names.sort();
                        names
                    }
                    other => panic!("expected a service list, got {other:?}"),
                }
            }

            /// The encoded file descriptors that define `symbol`, with their imports.
            pub async fn files_containing(channel: Channel, symbol: &str) -> Vec<Vec<u8>> {
                match ask(channel, MessageRequest::FileContainingSymbol(symbol.into())).await {
                    Ok(MessageResponse::FileDescriptorResponse(files)) => {
                        files.file_descriptor_proto
                    }
                    other => panic!("expected descriptors for {symbol}, got {other:?}"),
                }
            }

            /// The status code a lookup of an unknown `symbol` ends with.
            pub async fn error_for(channel: Channel, symbol: &str) -> tonic::Code {
                match ask(channel, MessageRequest::FileContainingSymbol(symbol.into())).await {
                    Err(status) => status.code(),
                    other => panic!("expected an error for {symbol}, got {other:?}"),
                }
            }
        }
    };
}

reflection_client!(v1, tonic_reflection::pb::v1);
reflection_client!(v1alpha, tonic_reflection::pb::v1alpha);

fn decode(files: Vec<Vec<u8>>) -> Vec<FileDescriptorProto> {
    files
        .iter()
        .map(|bytes| FileDescriptorProto::decode(bytes.as_slice()).expect("a file descriptor"))
        .collect()
}

/// `(input, output)` of `service.method` in the files, as fully qualified type names.
fn method_types(files: &[FileDescriptorProto], service: &str, method: &str) -> (String, String) {
    files
        .iter()
        .flat_map(|file| &file.service)
        .filter(|found| found.name() == service)
        .flat_map(|found| &found.method)
        .find(|found| found.name() == method)
        .map(|found| {
            (
                found.input_type().to_owned(),
                found.output_type().to_owned(),
            )
        })
        .unwrap_or_else(|| panic!("{service}.{method} not in the descriptors"))
}

/// `(name, number)` of each field of the message `package.name`.
fn fields(files: &[FileDescriptorProto], package: &str, name: &str) -> Vec<(String, i32)> {
    files
        .iter()
        .filter(|file| file.package() == package)
        .flat_map(|file| &file.message_type)
        .find(|message| message.name() == name)
        .map(|message| {
            message
                .field
                .iter()
                .map(|field| (field.name().to_owned(), field.number()))
                .collect()
        })
        .unwrap_or_else(|| panic!("{package}.{name} not in the descriptors"))
}

fn product_fields() -> Vec<(String, i32)> {
    [("id", 1), ("name", 2), ("description", 3), ("price", 4)]
        .map(|(name, number)| (name.to_owned(), number))
        .to_vec()
}

#[tokio::test]
async fn v1_lists_the_services_and_resolves_a_method() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");

    assert_eq!(v1::list_services(server.channel()).await, LISTED);

    let files = decode(v1::files_containing(server.channel(), "ecommerce.ProductInfo").await);
    let (input, output) = method_types(&files, "ProductInfo", "addProduct");
    assert_eq!(
        (input.as_str(), output.as_str()),
        (".ecommerce.Product", ".google.protobuf.StringValue")
    );

    // The input type is resolved the way grpcurl does it: by asking for its symbol.
    let symbol = input.trim_start_matches('.');
    let files = decode(v1::files_containing(server.channel(), symbol).await);
    assert_eq!(fields(&files, "ecommerce", "Product"), product_fields());

    let files = decode(v1::files_containing(server.channel(), "grpc.health.v1.Health").await);
    let (input, output) = method_types(&files, "Health", "Check");
    assert_eq!(
        (input.as_str(), output.as_str()),
        (
            ".grpc.health.v1.HealthCheckRequest",
            ".grpc.health.v1.HealthCheckResponse"
        )
    );

    // tonic-reflection ends the stream with NOT_FOUND for an unknown symbol (grpc-go answers
    // with an ErrorResponse message on a stream that stays open).
    assert_eq!(
        v1::error_for(server.channel(), "ecommerce.Nope").await,
        tonic::Code::NotFound
    );

    server.stop().await.expect("server stops cleanly");
}

#[tokio::test]
async fn v1alpha_lists_the_services_and_resolves_a_method() {
    let server = LocalServer::start(|listener, shutdown| serve(listener, shutdown.wait()))
        .await
        .expect("server starts");

    assert_eq!(v1alpha::list_services(server.channel()).await, LISTED);

    let files = decode(v1alpha::files_containing(server.channel(), "ecommerce.ProductInfo").await);
    let (input, output) = method_types(&files, "ProductInfo", "getProduct");
    assert_eq!(
        (input.as_str(), output.as_str()),
        (".google.protobuf.StringValue", ".ecommerce.Product")
    );
    let files = decode(v1alpha::files_containing(server.channel(), "ecommerce.Product").await);
    assert_eq!(fields(&files, "ecommerce", "Product"), product_fields());
    assert_eq!(
        v1alpha::error_for(server.channel(), "ecommerce.Nope").await,
        tonic::Code::NotFound
    );

    server.stop().await.expect("server stops cleanly");
}
