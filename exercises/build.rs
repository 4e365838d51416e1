//! Compiles the exercises' .proto files with protox (no system `protoc`).
//!
//! Two kinds of proto live here:
//!
//! * `proto/*.proto`: fixed files a task builds on (the student does not edit them);
//! * `chNN/<task>/skeleton.proto`: a file the student edits, with its reference version in
//!   `solution.proto` beside it. The `solution` feature compiles the second in place of the
//!   first, under the same name (`chNN-<task>.proto`), as it swaps `skeleton.rs` for
//!   `solution.rs`.

use std::{env, fs, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let edited_dir = out_dir.join("edited-protos");
    fs::create_dir_all(&edited_dir)?;
    let with_solutions = env::var_os("CARGO_FEATURE_SOLUTION").is_some();
    let edited_name = if with_solutions {
        "solution.proto"
    } else {
        "skeleton.proto"
    };

    let mut files = Vec::new();
    println!("cargo:rerun-if-changed=proto");
    for entry in fs::read_dir("proto")? {
        let path = entry?.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "proto")
        {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(file_name(&path)?);
        }
    }
    for chapter in fs::read_dir(".")? {
        let chapter = chapter?.path();
        if !file_name(&chapter)?.starts_with("ch") || !chapter.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", chapter.display());
        for task in fs::read_dir(&chapter)? {
            let task = task?.path();
            let edited = task.join(edited_name);
            if !edited.exists() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", edited.display());
            let name = format!("{}-{}.proto", file_name(&chapter)?, file_name(&task)?);
            fs::copy(&edited, edited_dir.join(&name))?;
            files.push(name);
        }
    }

    let mut compiler = protox::Compiler::new([PathBuf::from("proto"), edited_dir])?;
    compiler.include_imports(true).open_files(&files)?;
    tonic_prost_build::configure().compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}

fn file_name(path: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| format!("not a UTF-8 file name: {}", path.display()))?
        .to_owned())
}
