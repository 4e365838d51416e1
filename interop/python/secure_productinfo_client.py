"""The book's chapter 6 client flow, in Python: ProductInfo over TLS, with call credentials.

    python interop/python/secure_productinfo_client.py CERTS_DIR tls|mtls|basic|token|jwt [TARGET] [JWT]

Run by interop/check.py against ch06-server, with the certificate folder the server made.
The CA certificate is all a one-way TLS client needs; mutual TLS adds the client certificate
and key. Call credentials go into the `authorization` metadata through grpcio's own call
credentials, which grpcio, like grpc-go, sends over secure channels only.
"""

import base64
import os
import sys

import grpc

import product_info_pb2
import product_info_pb2_grpc

SAMSUNG_S10 = product_info_pb2.Product(
    name="Samsung S10",
    description="Samsung Galaxy S10 is the latest smart phone, launched in February 2019",
    price=700.0,
)

# The name in the server's certificate, whatever address we dial (the book's server name).
SERVER_NAME = "localhost"


def _read(certs_dir, name):
    with open(os.path.join(certs_dir, name), "rb") as file:
        return file.read()


def tls(certs_dir):
    """One-way TLS: trust the folder's CA."""
    return grpc.ssl_channel_credentials(root_certificates=_read(certs_dir, "ca.crt"))


def mutual_tls(certs_dir):
    """Mutual TLS: trust the folder's CA and show its client certificate."""
    return grpc.ssl_channel_credentials(
        root_certificates=_read(certs_dir, "ca.crt"),
        private_key=_read(certs_dir, "client.key"),
        certificate_chain=_read(certs_dir, "client.crt"),
    )


class _BasicAuth(grpc.AuthMetadataPlugin):
    """`authorization: Basic base64(username:password)` on every call."""

    def __init__(self, username, password):
        encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
        self._header = f"Basic {encoded}"

    def __call__(self, context, callback):
        callback((("authorization", self._header),), None)


def basic(username, password):
    return grpc.metadata_call_credentials(_BasicAuth(username, password))


def bearer(token):
    """`authorization: Bearer <token>`: an OAuth 2.0 access token, or a JWT."""
    return grpc.access_token_call_credentials(token)


def secure_channel(target, channel_credentials, call_credentials=None):
    if call_credentials is not None:
        channel_credentials = grpc.composite_channel_credentials(channel_credentials, call_credentials)
    return grpc.secure_channel(
        target, channel_credentials, options=[("grpc.ssl_target_name_override", SERVER_NAME)]
    )


def add_then_get(channel, timeout=5.0):
    """Adds the Samsung S10 and gets it back; returns (id, product)."""
    stub = product_info_pb2_grpc.ProductInfoStub(channel)
    product_id = stub.addProduct(SAMSUNG_S10, timeout=timeout)
    product = stub.getProduct(product_id, timeout=timeout)
    return product_id.value, product


def get(channel, product_id, timeout=5.0):
    stub = product_info_pb2_grpc.ProductInfoStub(channel)
    return stub.getProduct(product_info_pb2.ProductID(value=product_id), timeout=timeout)


if __name__ == "__main__":
    certs, sample = sys.argv[1], sys.argv[2]
    address = sys.argv[3] if len(sys.argv) > 3 else "localhost:50051"
    transport = mutual_tls(certs) if sample == "mtls" else tls(certs)
    if sample == "basic":
        credentials = basic("admin", "admin")
    elif sample == "token":
        credentials = bearer("some-secret-token")
    elif sample == "jwt":
        credentials = bearer(sys.argv[4])  # from: cargo run --bin ch06-mint-jwt
    else:
        credentials = None
    with secure_channel(address, transport, credentials) as channel:
        added, product = add_then_get(channel)
    print(f"Product ID: {added} added successfully")
    print(f"Product: {product}")
