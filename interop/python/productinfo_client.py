"""The book's chapter 2 client flow, in Python: add a product, get it back.

    python interop/python/productinfo_client.py localhost:50051

Run by interop/check.py against ch02-server; a reader can point it at any ProductInfo server.
The stubs come from interop/gen (made by interop/run from ../proto).
"""

import sys

import grpc

import product_info_pb2
import product_info_pb2_grpc

BOOK_PRODUCT = product_info_pb2.Product(
    name="Apple iPhone 11",
    description="Meet Apple iPhone 11. All-new dual-camera system with Ultra Wide and Night mode.",
    price=699.00,
)


def add_then_get(target, timeout=1.0, metadata=None):
    """Adds the book's product and gets it back, sending `metadata` (pairs) with both calls;
    returns (id, product)."""
    with grpc.insecure_channel(target) as channel:
        stub = product_info_pb2_grpc.ProductInfoStub(channel)
        product_id = stub.addProduct(BOOK_PRODUCT, timeout=timeout, metadata=metadata)
        product = stub.getProduct(product_id, timeout=timeout, metadata=metadata)
        return product_id.value, product


def get(target, product_id, timeout=1.0):
    """Gets one product by id (raises grpc.RpcError when the server says no)."""
    with grpc.insecure_channel(target) as channel:
        stub = product_info_pb2_grpc.ProductInfoStub(channel)
        return stub.getProduct(product_info_pb2.ProductID(value=product_id), timeout=timeout)


if __name__ == "__main__":
    product_id, product = add_then_get(sys.argv[1] if len(sys.argv) > 1 else "localhost:50051")
    print(f"Product ID: {product_id} added successfully")
    print(f"Product: {product}")
