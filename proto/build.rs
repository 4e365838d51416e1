//! Compiles the book's .proto files with protox, a protobuf compiler written in Rust, so a
//! fresh clone builds without a system `protoc`.
//!
//! Besides the generated Rust code this writes `book_descriptor.bin`, the encoded
//! `FileDescriptorSet` of every file: server reflection (chapter 8) serves it, and prost only
//! writes one itself when it runs protoc.

use std::{env, fs, path::PathBuf};

/// Every .proto file of the workspace, relative to this crate. Later chapters add theirs here.
const PROTOS: &[&str] = &[
    "product_info.proto",
    "order_management.proto",
    "helloworld.proto",
    "echo.proto",
    "google/api/http.proto",
    "google/api/annotations.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // tonic-prost-build prints no rerun-if-changed lines, so without these cargo would miss
    // an edited .proto file.
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }

    let mut compiler = protox::Compiler::new(["."])?;
    compiler
        .include_source_info(true)
        .include_imports(true)
        .open_files(PROTOS)?;
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    // Encoded by protox itself, which keeps custom options such as `google.api.http` (chapter
    // 8's gateway reads them); prost's own types would drop them as unknown fields.
    fs::write(
        out_dir.join("book_descriptor.bin"),
        compiler.encode_file_descriptor_set(),
    )?;

    tonic_prost_build::configure().compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}
