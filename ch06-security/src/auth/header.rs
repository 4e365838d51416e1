//! Reading `authorization: <scheme> <credentials>` from a call's metadata.
//!
//! The reasons returned here end up in the status message the client sees. They say what was
//! wrong with the header's form, never anything about the secret it should have held.

use tonic::metadata::MetadataMap;

/// The header every mechanism of this chapter uses (gRPC metadata keys are lower case).
pub const AUTHORIZATION: &str = "authorization";

/// The credentials following `scheme` in the call's `authorization` header, or why there are
/// none. The scheme is matched without regard to case, as HTTP says.
pub fn credentials<'a>(metadata: &'a MetadataMap, scheme: &str) -> Result<&'a str, String> {
    let value = metadata
        .get(AUTHORIZATION)
        .ok_or("no authorization header")?
        .to_str()
        .map_err(|_| "the authorization header is not printable ASCII")?;
    let (given_scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    if !given_scheme.eq_ignore_ascii_case(scheme) {
        return Err(format!("expected the {scheme} scheme"));
    }
    match credentials.trim() {
        "" => Err(format!("nothing after {scheme}")),
        credentials => Ok(credentials),
    }
}
