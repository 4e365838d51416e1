//! Compiles the book's .proto files with protox, a protobuf compiler written in Rust, so a
//! fresh clone builds without a system `protoc`.
//!
//! Two sets, because they cannot share one descriptor pool: both define `ecommerce.Product`
//! and `ecommerce.ProductInfo`.
//!
//! * The book's protos of chapters 2 to 7: Rust code in `OUT_DIR`, and `book_descriptor.bin`,
//!   the encoded `FileDescriptorSet` of every file (prost only writes one itself when it runs
//!   protoc).
//! * Chapter 8's `ch08/product_info.proto`: Rust code in `OUT_DIR/ch08`, reusing chapter 2's
//!   `Product`, and `ch08_descriptor.bin`, which chapter 8's reflection and gateway serve.

use std::{env, fs, path::PathBuf};

/// The book's .proto files of chapters 2 to 7, relative to this crate.
const PROTOS: &[&str] = &[
    "product_info.proto",
    "order_management.proto",
    "helloworld.proto",
    "echo.proto",
];

/// Chapter 8's, relative to `ch08/`, which also holds the `google/api/*.proto` they import.
const CH08_PROTOS: &[&str] = &["product_info.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // tonic-prost-build prints no rerun-if-changed lines, so without these cargo would miss
    // an edited .proto file.
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    println!("cargo:rerun-if-changed=ch08");
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);

    let book = compile(&["."], PROTOS)?;
    // Encoded by protox itself, which keeps custom options such as `google.api.http` (chapter
    // 8's gateway reads them); prost's own types would drop them as unknown fields.
    fs::write(
        out_dir.join("book_descriptor.bin"),
        book.encode_file_descriptor_set(),
    )?;
    let descriptors = book.file_descriptor_set();
    fs::write(out_dir.join("cardinality.rs"), cardinality(&descriptors))?;
    tonic_prost_build::configure().compile_fds(descriptors)?;

    let ch08 = compile(&["ch08"], CH08_PROTOS)?;
    fs::write(
        out_dir.join("ch08_descriptor.bin"),
        ch08.encode_file_descriptor_set(),
    )?;
    let ch08_out = out_dir.join("ch08");
    fs::create_dir_all(&ch08_out)?;
    tonic_prost_build::configure()
        .out_dir(&ch08_out)
        .extern_path(".ecommerce.Product", "crate::ecommerce::Product")
        .compile_fds(ch08.file_descriptor_set())?;
    Ok(())
}

/// The files `protos` and their imports, with source info, found under `includes`.
fn compile(includes: &[&str], protos: &[&str]) -> Result<protox::Compiler, protox::Error> {
    let mut compiler = protox::Compiler::new(includes)?;
    compiler
        .include_source_info(true)
        .include_imports(true)
        .open_files(protos)?;
    Ok(compiler)
}

/// `pub const SINGLE_RESPONSE_METHODS` and `SINGLE_REQUEST_METHODS`: the path of every method
/// that answers with exactly one message (unary and client streaming), which the clients'
/// guard in `common` holds servers to, and of every method that takes exactly one (unary and
/// server streaming), which the servers' conformance layer holds clients to.
fn cardinality(descriptors: &prost_types::FileDescriptorSet) -> String {
    let paths = |single: fn(&prost_types::MethodDescriptorProto) -> bool| {
        let mut paths = Vec::new();
        for file in &descriptors.file {
            for service in &file.service {
                for method in service.method.iter().filter(|method| single(method)) {
                    paths.push(format!(
                        "    \"/{}.{}/{}\",\n",
                        file.package(),
                        service.name(),
                        method.name()
                    ));
                }
            }
        }
        paths.concat()
    };
    format!(
        "/// The path of every method of these protos that answers with exactly one message.\n\
         pub const SINGLE_RESPONSE_METHODS: &[&str] = &[\n{}];\n\
         /// The path of every method of these protos that takes exactly one message.\n\
         pub const SINGLE_REQUEST_METHODS: &[&str] = &[\n{}];\n",
        paths(|method| !method.server_streaming()),
        paths(|method| !method.client_streaming()),
    )
}
