//! Server reflection (「서버 리플렉션」): the server describes its own services.
//!
//! The book's Go server calls `reflection.Register(s)`, which serves
//! `grpc.reflection.v1alpha.ServerReflection`. gRPC has since published the same protocol as
//! `grpc.reflection.v1`; newer tools try v1 first and fall back to v1alpha, older ones
//! (`grpc_cli`, the book's walkthrough) know only v1alpha. We serve both, from the same
//! descriptors.
//!
//! The descriptors come from `book_proto::ch08::FILE_DESCRIPTOR_SET` (chapter 8's
//! `product_info.proto` with its imports, so `grpcurl describe` shows the book's
//! `google.protobuf.StringValue`) and tonic-health's own set, for `grpc.health.v1`. We list
//! [`SERVICES`] by name rather than advertise every service found in the descriptors.

use tonic::server::NamedService;
use tonic_health::pb::health_server::HealthServer;
use tonic_reflection::server::v1::{ServerReflection as V1, ServerReflectionServer as V1Server};
use tonic_reflection::server::v1alpha::{
    ServerReflection as V1Alpha, ServerReflectionServer as V1AlphaServer,
};

/// The application services `ListServices` answers with, besides the reflection services
/// themselves (which tonic-reflection adds).
pub const SERVICES: &[&str] = &[
    <crate::product_info::Server as NamedService>::NAME,
    <HealthServer<tonic_health::server::HealthService> as NamedService>::NAME,
];

/// The names the reflection services are served under.
pub const REFLECTION_SERVICES: &[&str] = &[
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

fn builder() -> tonic_reflection::server::Builder<'static> {
    let builder = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(book_proto::ch08::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
    SERVICES
        .iter()
        .chain(REFLECTION_SERVICES)
        .fold(builder, |builder, name| builder.with_service_name(*name))
}

/// The v1 and v1alpha reflection services over the same descriptors.
pub fn services() -> (V1Server<impl V1>, V1AlphaServer<impl V1Alpha>) {
    // Both sets are compiled into the binary and checked by the tests: decoding cannot fail.
    let v1 = builder()
        .build_v1()
        .expect("the embedded descriptor sets decode");
    let v1alpha = builder()
        .build_v1alpha()
        .expect("the embedded descriptor sets decode");
    (v1, v1alpha)
}

/// What a reflection client such as `grpcurl list` does first: asks the server (over v1) for
/// the names of its services.
pub async fn list_services(
    channel: common::channel::Channel,
) -> Result<Vec<String>, tonic::Status> {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = ServerReflectionClient::new(channel)
        .server_reflection_info(futures::stream::iter([request]))
        .await?
        .into_inner();
    match answers
        .message()
        .await?
        .and_then(|answer| answer.message_response)
    {
        Some(MessageResponse::ListServicesResponse(list)) => Ok(list
            .service
            .into_iter()
            .map(|service| service.name)
            .collect()),
        other => Err(tonic::Status::internal(format!(
            "expected a service list, got {other:?}"
        ))),
    }
}
