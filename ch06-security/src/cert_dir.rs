//! The folder the certificates live in, made on first use.
//!
//! `cargo run --bin ch06-server -- tls` should just work, so a server or client that finds no
//! certificates makes them. Both may start at the same moment (two terminals, a test script),
//! and if each wrote its own set the client would trust a CA that never signed the server's
//! certificate. So a set is written into a private staging folder beside the target and then
//! renamed into place in one step: the first rename wins, and the loser throws its set away
//! and loads the winner's. Nobody ever reads half a folder.
//!
//! Private keys are written readable by their owner only (mode 0600 on Unix).
//!
//! Which folder: `--certs DIR` if given, else the environment variable `CH06_CERTS`, else
//! [`default_dir`], `grpc-up-and-running/certs` in the user's cache folder. The default is not
//! the working directory, which the book's samples use: there, a server started in one folder
//! and a client in another would each make a set and refuse each other. Nor is it the source
//! tree: a path compiled in names the build machine's folders, which a binary copied elsewhere
//! does not have. A cache folder is per user, the same from every folder, and right for files
//! that are made again when deleted.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::certs::Certs;

/// The CA's certificate.
pub const CA_CERT: &str = "ca.crt";
/// The CA's private key.
pub const CA_KEY: &str = "ca.key";
/// The server's certificate.
pub const SERVER_CERT: &str = "server.crt";
/// The server's private key.
pub const SERVER_KEY: &str = "server.key";
/// The client's certificate.
pub const CLIENT_CERT: &str = "client.crt";
/// The client's private key.
pub const CLIENT_KEY: &str = "client.key";
/// The JWT issuer's private key.
pub const JWT_ISSUER_KEY: &str = "jwt-issuer.key";
/// The JWT issuer's public key.
pub const JWT_ISSUER_PUBLIC_KEY: &str = "jwt-issuer.pub";

/// The environment variable naming the certificate folder when `--certs` does not.
pub const CERTS_ENV: &str = "CH06_CERTS";

/// Where the binaries keep their certificates when neither `--certs` nor [`CERTS_ENV`] says:
/// `grpc-up-and-running/certs` in the user's cache folder (`$XDG_CACHE_HOME`, else
/// `~/.cache`; `%LOCALAPPDATA%` on Windows), or `certs` in the working directory if there is
/// no such folder. Delete it for a fresh set.
pub fn default_dir() -> PathBuf {
    user_cache_dir().map_or_else(
        || PathBuf::from("certs"),
        |cache| cache.join("grpc-up-and-running").join("certs"),
    )
}

fn user_cache_dir() -> Option<PathBuf> {
    let absolute = |variable| {
        std::env::var_os(variable)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if cfg!(windows) {
        absolute("LOCALAPPDATA")
    } else {
        absolute("XDG_CACHE_HOME").or_else(|| absolute("HOME").map(|home| home.join(".cache")))
    }
}

/// `--certs DIR`, the flag every binary of the chapter takes.
#[derive(Debug, Clone, clap::Args)]
pub struct CertsArg {
    /// Folder holding the certificates and keys; made, with a new set, if missing or empty.
    #[arg(long = "certs", value_name = "DIR", env = CERTS_ENV, default_value_os_t = default_dir())]
    pub dir: PathBuf,
}

impl CertsArg {
    /// Loads the set, making it first if need be, and logs which it was.
    pub fn load_or_generate(&self) -> Result<Certs, CertDirError> {
        let (certs, origin) = load_or_generate(&self.dir)?;
        match origin {
            Origin::Found => tracing::info!("Using the certificates in {}", self.dir.display()),
            Origin::Generated => {
                tracing::info!("Made new certificates in {}", self.dir.display());
            }
        }
        Ok(certs)
    }
}

/// Whether [`load_or_generate`] found the certificates or made them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// They were already in the folder.
    Found,
    /// This call made them.
    Generated,
}

/// Loads the set in `dir`, first making one there if `dir` is missing or empty.
pub fn load_or_generate(dir: &Path) -> Result<(Certs, Origin), CertDirError> {
    if has_entries(dir)? {
        return Ok((load(dir)?, Origin::Found));
    }
    let certs = Certs::generate().map_err(CertDirError::Generate)?;
    if install(dir, &certs)? {
        Ok((certs, Origin::Generated))
    } else {
        Ok((load(dir)?, Origin::Found))
    }
}

/// Makes a new set in `dir`. An existing set is an error unless `replace` is set, in which
/// case it is swapped for the new one in one rename, so readers see the old set or the new.
pub fn generate(dir: &Path, replace: bool) -> Result<Certs, CertDirError> {
    let certs = Certs::generate().map_err(CertDirError::Generate)?;
    if install(dir, &certs)? {
        return Ok(certs);
    }
    if !replace {
        return Err(CertDirError::AlreadyThere(dir.to_owned()));
    }
    let old = unique_sibling(dir, "old")?;
    fs::rename(dir, &old).map_err(|error| CertDirError::io(dir, error))?;
    match install(dir, &certs) {
        Ok(true) => {
            fs::remove_dir_all(&old).map_err(|error| CertDirError::io(&old, error))?;
            Ok(certs)
        }
        not_installed => {
            // Put the old set back: better the set we had than none.
            let _ = fs::rename(&old, dir);
            not_installed.and(Err(CertDirError::AlreadyThere(dir.to_owned())))
        }
    }
}

/// Loads the set in `dir`.
pub fn load(dir: &Path) -> Result<Certs, CertDirError> {
    let mut missing = Vec::new();
    let mut failure = None;
    let mut read = |name: &'static str| match fs::read_to_string(dir.join(name)) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            missing.push(name);
            String::new()
        }
        Err(error) => {
            failure.get_or_insert(CertDirError::io(&dir.join(name), error));
            String::new()
        }
    };
    let certs = Certs {
        ca_cert: read(CA_CERT),
        ca_key: read(CA_KEY),
        server_cert: read(SERVER_CERT),
        server_key: read(SERVER_KEY),
        client_cert: read(CLIENT_CERT),
        client_key: read(CLIENT_KEY),
        jwt_issuer_key: read(JWT_ISSUER_KEY),
        jwt_issuer_public_key: read(JWT_ISSUER_PUBLIC_KEY),
    };
    if let Some(failure) = failure {
        return Err(failure);
    }
    if !missing.is_empty() {
        return Err(CertDirError::Incomplete {
            dir: dir.to_owned(),
            missing,
        });
    }
    Ok(certs)
}

/// Every file of a set: its name, its text, and whether it is a secret.
fn files(certs: &Certs) -> [(&'static str, &str, bool); 8] {
    [
        (CA_CERT, &certs.ca_cert, false),
        (CA_KEY, &certs.ca_key, true),
        (SERVER_CERT, &certs.server_cert, false),
        (SERVER_KEY, &certs.server_key, true),
        (CLIENT_CERT, &certs.client_cert, false),
        (CLIENT_KEY, &certs.client_key, true),
        (JWT_ISSUER_KEY, &certs.jwt_issuer_key, true),
        (JWT_ISSUER_PUBLIC_KEY, &certs.jwt_issuer_public_key, false),
    ]
}

/// Writes `certs` to a staging folder and renames it to `dir`. Returns `false`, leaving
/// nothing behind, when `dir` already holds files (another process was quicker).
fn install(dir: &Path, certs: &Certs) -> Result<bool, CertDirError> {
    let staging = unique_sibling(dir, "staging")?;
    fs::create_dir(&staging).map_err(|error| CertDirError::io(&staging, error))?;
    let written = files(certs)
        .into_iter()
        .try_for_each(|(name, text, secret)| write(&staging.join(name), text, secret));
    if let Err(error) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    // An empty folder counts as none: rename cannot replace it everywhere, so remove it. This
    // fails harmlessly when the folder has files, and the rename below then fails too.
    let _ = fs::remove_dir(dir);
    match fs::rename(&staging, dir) {
        Ok(()) => Ok(true),
        Err(error) => {
            let _ = fs::remove_dir_all(&staging);
            if has_entries(dir)? {
                Ok(false)
            } else {
                Err(CertDirError::io(dir, error))
            }
        }
    }
}

fn write(path: &Path, text: &str, secret: bool) -> Result<(), CertDirError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    options
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|error| CertDirError::io(path, error))
}

/// A fresh name next to `dir` (`.certs.<pid>.<n>.staging`), creating `dir`'s parent if needed.
fn unique_sibling(dir: &Path, purpose: &str) -> Result<PathBuf, CertDirError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(|error| CertDirError::io(parent, error))?;
    let name = dir.file_name().unwrap_or(dir.as_os_str()).to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(parent.join(format!(".{name}.{}.{n}.{purpose}", std::process::id())))
}

fn has_entries(dir: &Path) -> Result<bool, CertDirError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(CertDirError::io(dir, error)),
    }
}

/// Why the certificates could not be loaded or made.
#[derive(Debug)]
pub enum CertDirError {
    /// Reading or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        error: io::Error,
    },
    /// The folder has some files of a set but not all.
    Incomplete {
        /// The folder.
        dir: PathBuf,
        /// The files it lacks.
        missing: Vec<&'static str>,
    },
    /// [`generate`] was asked not to replace the set already in this folder.
    AlreadyThere(PathBuf),
    /// rcgen could not make a key or certificate.
    Generate(rcgen::Error),
}

impl CertDirError {
    fn io(path: &Path, error: io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            error,
        }
    }
}

impl std::fmt::Display for CertDirError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Self::Incomplete { dir, missing } => write!(
                f,
                "{} lacks {}; delete the folder (or run ch06-gen-certs --force) for a new set",
                dir.display(),
                missing.join(", ")
            ),
            Self::AlreadyThere(dir) => write!(
                f,
                "{} already holds certificates; --force replaces them",
                dir.display()
            ),
            Self::Generate(error) => write!(f, "cannot make the certificates: {error}"),
        }
    }
}

impl std::error::Error for CertDirError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { error, .. } => Some(error),
            Self::Generate(error) => Some(error),
            Self::Incomplete { .. } | Self::AlreadyThere(_) => None,
        }
    }
}
