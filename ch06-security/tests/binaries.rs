//! The chapter's binaries, run as a reader runs them, and what they print.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use book_proto::ecommerce::product_info_client::ProductInfoClient;
use ch02_productinfo::client::add_then_get;
use ch06_security::auth::credentials::CallCredentials;
use ch06_security::auth::jwt::TokenVerifier;
use ch06_security::client::{book_product, channel};
use ch06_security::{Mechanism, cert_dir};
use common::deadline::Deadline;
use common::local::LocalServer;
use test_support::process::ServerProcess;
use tokio::process::Command;

async fn run(binary: &str, args: &[&str]) -> Output {
    Command::new(binary)
        .args(args)
        .output()
        .await
        .unwrap_or_else(|error| panic!("run {binary}: {error}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

async fn start_server(
    mechanism: Mechanism,
    certs_dir: &Path,
) -> LocalServer<tonic::transport::Error> {
    let (certs, _) = cert_dir::load_or_generate(certs_dir).expect("certificates");
    let security = mechanism.server_security(&certs).expect("settings");
    LocalServer::start(|listener, shutdown| {
        ch06_security::serve(listener, security, shutdown.wait())
    })
    .await
    .expect("bind a loopback port")
}

async fn client(
    server: &LocalServer<tonic::transport::Error>,
    certs_dir: &Path,
    args: &[&str],
) -> Output {
    let addr = server.addr().to_string();
    let mut all = vec![
        "--addr",
        &addr,
        "--certs",
        certs_dir.to_str().expect("a UTF-8 path"),
    ];
    all.extend(args);
    run(env!("CARGO_BIN_EXE_ch06-client"), &all).await
}

#[tokio::test]
async fn the_client_binary_prints_the_samsung_s10_in_every_sample() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    for mechanism in Mechanism::ALL {
        let sample = mechanism.name();
        let server = start_server(mechanism, temp.path()).await;
        let output = client(&server, temp.path(), &[sample]).await;
        assert!(output.status.success(), "{sample}: {output:?}");

        let stdout = text(&output.stdout);
        let mut lines = stdout.lines();
        let id = lines
            .next()
            .and_then(|line| line.strip_prefix("Product ID: "))
            .and_then(|line| line.strip_suffix(" added successfully"))
            .unwrap_or_else(|| panic!("{sample}: {stdout}"))
            .to_owned();
        assert_eq!(
            lines.next(),
            Some(
                format!(
                    "Product: id:\"{id}\" name:\"Samsung S10\" description:\"Samsung Galaxy S10 \
                     is the latest smart phone, launched in February 2019\" price:700"
                )
                .as_str()
            ),
            "{sample}"
        );
        assert_eq!(lines.next(), None);
        server.stop().await.expect("clean stop");
    }
}

#[tokio::test]
async fn the_client_binary_shows_each_refusal() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let basic = start_server(Mechanism::Basic, temp.path()).await;
    let jwt = start_server(Mechanism::Jwt, temp.path()).await;
    let mtls = start_server(Mechanism::Mtls, temp.path()).await;

    for (server, args, code, stderr) in [
        (
            &basic,
            &["basic", "--password", "wrong"][..],
            1,
            "Could not add product: rpc error: code = Unauthenticated desc = invalid \
             credentials: wrong username or password\n",
        ),
        (
            &jwt,
            &["jwt", "--role", "viewer"],
            1,
            "Could not add product: rpc error: code = PermissionDenied desc = addProduct \
             needs the admin role; ch06-client has the viewer role\n",
        ),
        (
            &basic,
            &["--plaintext", "basic"],
            2,
            "refusing to send credentials over a plaintext connection: the credentials \
             require transport security\n",
        ),
        (
            &mtls,
            &["tls"],
            1,
            "Could not add product: rpc error: code = ",
        ),
    ] {
        let output = client(server, temp.path(), args).await;
        assert_eq!(output.status.code(), Some(code), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}: {output:?}");
        let printed = text(&output.stderr);
        assert!(printed.contains(stderr), "{args:?}: {printed}");
    }
    for server in [basic, jwt, mtls] {
        server.stop().await.expect("clean stop");
    }
}

#[tokio::test]
async fn the_server_binary_makes_its_certificates_serves_and_stops_on_sigterm() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let certs_dir = temp.path().join("certs");
    let mut server = ServerProcess::spawn(
        env!("CARGO_BIN_EXE_ch06-server"),
        [
            OsStr::new("basic"),
            OsStr::new("--certs"),
            certs_dir.as_os_str(),
        ],
    )
    .await;
    let addr = server.addr().to_owned();
    let seen = server.lines_before_start();
    assert!(
        seen.iter()
            .any(|line| line.contains(&format!("Made new certificates in {}", certs_dir.display()))),
        "{seen:?}"
    );

    // The certificates it made are the ones a client trusts.
    let certs = cert_dir::load(&certs_dir).expect("the server's certificates");
    let channel = channel(
        &addr,
        Mechanism::Basic.client_transport(&certs),
        CallCredentials::basic("admin", "admin"),
    )
    .expect("a channel");
    let flow = add_then_get(
        &mut ProductInfoClient::new(channel),
        book_product(),
        Deadline::after(std::time::Duration::from_secs(10)),
    )
    .await
    .expect("the book's flow");
    let added = server.next_line().await;
    assert!(
        added.ends_with(&format!("Product {} : Samsung S10 - Added.", flow.id.value)),
        "{added}"
    );

    let status = server.terminate().await;
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
}

#[tokio::test]
async fn gen_certs_writes_a_set_and_replaces_it_only_when_forced() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = temp.path().join("certs");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let gen_certs = env!("CARGO_BIN_EXE_ch06-gen-certs");

    let first = run(gen_certs, &["--certs", dir_arg]).await;
    assert!(first.status.success(), "{first:?}");
    assert!(
        text(&first.stdout).starts_with("Wrote a new CA"),
        "{first:?}"
    );
    let made = cert_dir::load(&dir).expect("a full set");

    let again = run(gen_certs, &["--certs", dir_arg]).await;
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already holds certificates; --force replaces them"));
    assert!(cert_dir::load(&dir).expect("the same set") == made);

    let forced = run(gen_certs, &["--certs", dir_arg, "--force"]).await;
    assert!(forced.status.success(), "{forced:?}");
    assert!(cert_dir::load(&dir).expect("a new set") != made);
}

/// Where a binary copied anywhere keeps its certificates: `--certs`, else `CH06_CERTS`, else
/// the user's cache folder, never the folder it was built in.
#[tokio::test]
async fn the_certificate_folder_is_the_flag_then_the_environment_then_the_cache() {
    let home = tempfile::tempdir().expect("a temporary home");
    let gen_certs = |env: Option<&Path>, flag: Option<&Path>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ch06-gen-certs"));
        command
            .env("HOME", home.path())
            .env_remove("XDG_CACHE_HOME")
            .env_remove(cert_dir::CERTS_ENV);
        if let Some(dir) = env {
            command.env(cert_dir::CERTS_ENV, dir);
        }
        if let Some(dir) = flag {
            command.arg("--certs").arg(dir);
        }
        command
    };
    let (flag, env) = (home.path().join("flag"), home.path().join("env"));
    let cache = home.path().join(".cache/grpc-up-and-running/certs");

    for (mut command, dir) in [
        (gen_certs(Some(&env), Some(&flag)), &flag),
        (gen_certs(Some(&env), None), &env),
        (gen_certs(None, None), &cache),
    ] {
        let output = command.output().await.expect("run ch06-gen-certs");
        assert!(output.status.success(), "{output:?}");
        assert!(
            text(&output.stdout).ends_with(&format!("to {}\n", dir.display())),
            "{output:?}"
        );
        cert_dir::load(dir).expect("a full set");
    }
}

#[tokio::test]
async fn mint_jwt_prints_a_token_the_server_accepts() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = temp.path().to_str().expect("a UTF-8 path");
    let output = run(
        env!("CARGO_BIN_EXE_ch06-mint-jwt"),
        &["--certs", dir, "--role", "viewer", "--subject", "carol"],
    )
    .await;
    assert!(output.status.success(), "{output:?}");
    let stdout = text(&output.stdout);
    let token = stdout.trim_end();
    assert_eq!(
        token.matches('.').count(),
        2,
        "header.claims.signature: {token}"
    );

    let certs = cert_dir::load(temp.path()).expect("the set it made");
    let claims = TokenVerifier::from_pem(&certs.jwt_issuer_public_key)
        .expect("the public key")
        .verify(token)
        .expect("a valid token");
    assert_eq!(
        (claims.sub.as_str(), claims.role.as_str()),
        ("carol", "viewer")
    );
}
