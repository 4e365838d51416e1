//! The certificate folder: made once on first use, even by several processes at once, and
//! reused afterwards.

use std::path::Path;

use ch06_security::cert_dir::{self, CertDirError, Origin};

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

const FILES: [&str; 8] = [
    "ca.crt",
    "ca.key",
    "client.crt",
    "client.key",
    "jwt-issuer.key",
    "jwt-issuer.pub",
    "server.crt",
    "server.key",
];

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_folder_is_made_once_then_reused() {
    let temp = temp_dir();
    let dir = temp.path().join("nested").join("certs");

    let (made, origin) = cert_dir::load_or_generate(&dir).expect("make the set");
    assert_eq!(origin, Origin::Generated);
    assert_eq!(listing(&dir), FILES);
    assert!(made.ca_cert.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(made.server_key.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(
        made.jwt_issuer_public_key
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );

    let (found, origin) = cert_dir::load_or_generate(&dir).expect("load the set");
    assert_eq!(origin, Origin::Found);
    assert!(found == made, "the second call loads what the first made");
    // Only the set itself: no staging folder left beside it.
    assert_eq!(listing(&temp.path().join("nested")), ["certs"]);
}

#[test]
fn an_empty_folder_is_filled() {
    let temp = temp_dir();
    let (_, origin) = cert_dir::load_or_generate(temp.path()).expect("make the set");
    assert_eq!(origin, Origin::Generated);
    assert_eq!(listing(temp.path()), FILES);
}

#[test]
fn processes_starting_together_all_end_up_with_one_set() {
    let temp = temp_dir();
    let dir = temp.path().join("certs");
    let sets: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| cert_dir::load_or_generate(&dir).expect("a set")))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("no panic"))
            .collect()
    });
    let on_disk = cert_dir::load(&dir).expect("the set on disk");
    assert!(sets.iter().all(|(certs, _)| *certs == on_disk));
    let made = sets
        .iter()
        .filter(|(_, origin)| *origin == Origin::Generated)
        .count();
    assert_eq!(made, 1, "exactly one writer won");
    assert_eq!(listing(temp.path()), ["certs"]);
}

#[test]
fn a_folder_missing_files_is_an_error_that_says_what_to_do() {
    let temp = temp_dir();
    cert_dir::load_or_generate(temp.path()).expect("make the set");
    std::fs::remove_file(temp.path().join("client.key")).expect("remove a file");

    let error = cert_dir::load_or_generate(temp.path()).expect_err("incomplete");
    assert!(
        matches!(&error, CertDirError::Incomplete { missing, .. } if missing == &["client.key"])
    );
    assert!(
        error.to_string().ends_with(
            "lacks client.key; delete the folder (or run ch06-gen-certs --force) for a new set"
        ),
        "{error}"
    );
}

#[test]
fn generate_keeps_an_existing_set_unless_forced() {
    let temp = temp_dir();
    let first = cert_dir::generate(temp.path(), false).expect("a first set");

    let error = cert_dir::generate(temp.path(), false).expect_err("a set is there");
    assert!(matches!(error, CertDirError::AlreadyThere(_)));
    assert!(cert_dir::load(temp.path()).expect("still there") == first);

    let second = cert_dir::generate(temp.path(), true).expect("a replacement");
    assert!(second != first);
    assert!(cert_dir::load(temp.path()).expect("the new set") == second);
    assert_eq!(listing(temp.path()), FILES);
}

#[cfg(unix)]
#[test]
fn private_keys_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;

    let temp = temp_dir();
    cert_dir::load_or_generate(temp.path()).expect("make the set");
    for name in FILES {
        let mode = std::fs::metadata(temp.path().join(name))
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777;
        if name.ends_with(".key") {
            assert_eq!(mode, 0o600, "{name}");
        } else {
            assert_ne!(mode & 0o044, 0, "{name} is public");
        }
    }
}
