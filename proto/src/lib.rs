//! The book's service definitions, compiled from the `.proto` files next to this crate.
//!
//! Generated names follow Rust conventions (`ProductID` becomes [`ecommerce::ProductId`],
//! `addProduct` becomes `add_product`), but the wire keeps the proto spelling: a call still
//! travels as `/ecommerce.ProductInfo/addProduct`, so the book's Go and Java programs talk
//! to ours unchanged.

/// Package `ecommerce`: the book's ProductInfo (chapter 2) and OrderManagement (chapter 3)
/// services. `google.protobuf.StringValue` arrives as a plain `String`. The streaming methods'
/// associated types keep the proto's lower camel spelling (`searchOrdersStream`).
#[allow(missing_docs, non_camel_case_types, clippy::all)]
pub mod ecommerce {
    tonic::include_proto!("ecommerce");
}

/// Package `helloworld`: grpc-go's Greeter, served next to OrderManagement in chapter 5.
#[allow(missing_docs, clippy::all)]
pub mod helloworld {
    tonic::include_proto!("helloworld");
}

/// Package `grpc.examples.echo`: grpc-go's Echo service, for chapter 5's load balancing.
#[allow(missing_docs, clippy::all)]
pub mod echo {
    tonic::include_proto!("grpc.examples.echo");
}

/// The encoded `FileDescriptorSet` of the protos of chapters 2 to 7 and their imports.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("book_descriptor");

/// Chapter 8's version of ProductInfo (`ch08/product_info.proto`), as the book's gateway and
/// reflection samples have it: the id is a `google.protobuf.StringValue` (a plain `String`
/// here), and each method carries its `google.api.http` rule. The bytes on the wire are
/// chapter 2's; [`Product`](crate::ecommerce::Product) is chapter 2's type.
pub mod ch08 {
    /// Package `ecommerce`, chapter 8's ProductInfo.
    #[allow(missing_docs, clippy::all)]
    pub mod ecommerce {
        include!(concat!(env!("OUT_DIR"), "/ch08/ecommerce.rs"));
    }

    /// The encoded `FileDescriptorSet` of `ch08/product_info.proto` and its imports
    /// (`google/api/*.proto`, `google/protobuf/wrappers.proto`), which chapter 8's server
    /// reflection serves and its gateway reads the HTTP rules from.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("ch08_descriptor");
}

include!(concat!(env!("OUT_DIR"), "/cardinality.rs"));
