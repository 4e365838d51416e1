"""A ProductInfo server in Python, for running the Rust ch02-client against.

    python interop/python/productinfo_server.py --port 50051

It prints `listening on HOST:PORT` once it accepts calls (with --port 0 the system picks the
port), then one line per call in the book's words.
"""

import argparse
import sys
import threading
import uuid
from concurrent import futures

import grpc

import product_info_pb2
import product_info_pb2_grpc


class ProductInfo(product_info_pb2_grpc.ProductInfoServicer):
    def __init__(self):
        self._lock = threading.Lock()
        self._products = {}

    def addProduct(self, request, context):
        product = product_info_pb2.Product()
        product.CopyFrom(request)
        product.id = str(uuid.uuid4())
        with self._lock:
            self._products[product.id] = product
        print(f"Product {product.id} : {product.name} - Added.", flush=True)
        return product_info_pb2.ProductID(value=product.id)

    def getProduct(self, request, context):
        with self._lock:
            product = self._products.get(request.value)
        if product is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Product does not exist: {request.value}")
        print(f"Product {product.id} : {product.name} - Retrieved.", flush=True)
        return product


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50051)
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    product_info_pb2_grpc.add_ProductInfoServicer_to_server(ProductInfo(), server)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    if port == 0:
        sys.exit(f"cannot listen on {args.host}:{args.port}")
    server.start()
    print(f"listening on {args.host}:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
