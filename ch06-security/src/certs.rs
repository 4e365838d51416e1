//! The chapter's key material, made with rcgen instead of the book's openssl commands.
//!
//! The book ships its certificates in the repository, and they no longer work: they are X.509
//! version 1 with the host name only in the subject's common name, which rustls (like Go
//! since 1.15) ignores, and the mutual TLS set expired in 2020. A certificate today names its
//! hosts in the subject alternative name (SAN) extension, and a CA's certificate says it is a
//! CA. So we make a fresh set, the same shape as the book's mutual TLS folder:
//!
//! * a certificate authority (`ca.crt`, `ca.key`) that signs the two below and that both sides
//!   trust;
//! * the server's certificate (`server.crt`, `server.key`) for `localhost`, `127.0.0.1` and
//!   `::1`, for server authentication only;
//! * the client's certificate (`client.crt`, `client.key`), for client authentication only;
//! * and, for JWT, the token issuer's key pair (`jwt-issuer.key`, `jwt-issuer.pub`): the client
//!   signs its tokens with the private key, the server checks them with the public one.
//!
//! Every key is ECDSA P-256 (rcgen's default), which rustls, Go, Java and Python's grpcio all
//! accept. `README.md` shows the same set made with openssl.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};
use tonic::transport::{Certificate, Identity};

/// The names the server certificate is valid for: the book's server name, `localhost`, and the
/// loopback addresses, so a client may dial `127.0.0.1` or `[::1]` too.
pub const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The client certificate's common name; a server that requires client certificates could
/// tell clients apart by it.
pub const CLIENT_NAME: &str = "ch06-client";

/// How long the CA is valid.
const CA_VALIDITY: Duration = Duration::days(3650);

/// How long the server and client certificates are valid: `ch06-gen-certs --force` renews them.
const LEAF_VALIDITY: Duration = Duration::days(365);

/// Certificates are valid from a little before they were made, so a peer whose clock is a bit
/// behind does not find them "not yet valid".
const CLOCK_SKEW: Duration = Duration::hours(1);

/// A CA, a server and a client certificate signed by it, and the JWT issuer's key pair; every
/// item as PEM text, as it sits in its file.
#[derive(Clone, PartialEq, Eq)]
pub struct Certs {
    /// The CA's certificate: what both sides trust.
    pub ca_cert: String,
    /// The CA's private key (PKCS#8), kept so more certificates can be signed with openssl.
    pub ca_key: String,
    /// The server's certificate, signed by the CA.
    pub server_cert: String,
    /// The server's private key (PKCS#8).
    pub server_key: String,
    /// The client's certificate, signed by the CA.
    pub client_cert: String,
    /// The client's private key (PKCS#8).
    pub client_key: String,
    /// The JWT issuer's private key (PKCS#8): signs tokens.
    pub jwt_issuer_key: String,
    /// The JWT issuer's public key (SubjectPublicKeyInfo): checks tokens.
    pub jwt_issuer_public_key: String,
}

impl Certs {
    /// Makes a fresh set: new keys, a new CA, and certificates valid from now.
    pub fn generate() -> Result<Self, rcgen::Error> {
        let now = OffsetDateTime::now_utc();

        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::default();
        // Named after its key, so two sets never have CAs of the same name: a peer that meets
        // a stranger's certificate then says "unknown issuer" rather than "bad signature".
        let fingerprint: String = ca
            .key_identifier(&ca_key)
            .iter()
            .take(4)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        ca.distinguished_name = common_name(&format!("ch06-security sample CA {fingerprint}"));
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.not_before = now - CLOCK_SKEW;
        ca.not_after = now + CA_VALIDITY;
        let ca = CertifiedIssuer::self_signed(ca, ca_key)?;

        let mut server = CertificateParams::new(SERVER_NAMES.map(String::from))?;
        server.distinguished_name = common_name("localhost");
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let (server_cert, server_key) = leaf(server, &ca, now)?;

        let mut client = CertificateParams::default();
        client.distinguished_name = common_name(CLIENT_NAME);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let (client_cert, client_key) = leaf(client, &ca, now)?;

        let jwt_issuer = KeyPair::generate()?;

        Ok(Self {
            ca_cert: ca.pem(),
            ca_key: ca.key().serialize_pem(),
            server_cert,
            server_key,
            client_cert,
            client_key,
            jwt_issuer_key: jwt_issuer.serialize_pem(),
            jwt_issuer_public_key: jwt_issuer.public_key_pem(),
        })
    }

    /// The CA certificate, for a peer to verify the other side against.
    pub fn ca_certificate(&self) -> Certificate {
        Certificate::from_pem(&self.ca_cert)
    }

    /// What the server shows in the handshake: its certificate and the key to prove it owns it.
    pub fn server_identity(&self) -> Identity {
        Identity::from_pem(&self.server_cert, &self.server_key)
    }

    /// What the client shows when the server asks for a certificate (mutual TLS).
    pub fn client_identity(&self) -> Identity {
        Identity::from_pem(&self.client_cert, &self.client_key)
    }
}

/// Signs a server or client certificate with the CA: a new key, a digital-signature key usage,
/// and a link (authority key identifier) to the CA that signed it.
fn leaf(
    mut params: CertificateParams,
    ca: &CertifiedIssuer<'_, KeyPair>,
    now: OffsetDateTime,
) -> Result<(String, String), rcgen::Error> {
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - CLOCK_SKEW;
    params.not_after = now + LEAF_VALIDITY;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, ca)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn common_name(name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn
}

/// Keeps the PEM text, private keys included, out of debug output and logs.
impl std::fmt::Debug for Certs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certs").finish_non_exhaustive()
    }
}
