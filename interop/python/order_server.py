"""An OrderManagement server in Python, for running the Rust ch03-client against.

    python interop/python/order_server.py --port 50051

The book's behaviour: orders 102 to 106 preloaded, search by item substring in order of id,
upserting updates, and shipments combined per destination every three orders and at the end.
It prints `listening on HOST:PORT` once it accepts calls.
"""

import argparse
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import wrappers_pb2

import order_management_pb2
import order_management_pb2_grpc

Order = order_management_pb2.Order
BOOK_ORDERS = [
    Order(id="102", items=["Google Pixel 3A", "Mac Book Pro"], destination="Mountain View, CA", price=1800.00),
    Order(id="103", items=["Apple Watch S4"], destination="San Jose, CA", price=400.00),
    Order(id="104", items=["Google Home Mini", "Google Nest Hub"], destination="Mountain View, CA", price=400.00),
    Order(id="105", items=["Amazon Echo"], destination="San Jose, CA", price=30.00),
    Order(id="106", items=["Amazon Echo", "Apple iPhone XS"], destination="Mountain View, CA", price=300.00),
]
BATCH_SIZE = 3


class OrderManagement(order_management_pb2_grpc.OrderManagementServicer):
    def __init__(self):
        self._lock = threading.Lock()
        self._orders = {order.id: order for order in BOOK_ORDERS}

    def _get(self, order_id):
        with self._lock:
            return self._orders.get(order_id)

    def _put(self, order):
        with self._lock:
            self._orders[order.id] = order

    def addOrder(self, request, context):
        self._put(request)
        return wrappers_pb2.StringValue(value=f"Order Added: {request.id}")

    def getOrder(self, request, context):
        order = self._get(request.value)
        if order is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Order does not exist: {request.value}")
        return order

    def searchOrders(self, request, context):
        with self._lock:
            orders = sorted(self._orders.values(), key=lambda order: order.id)
        for order in orders:
            if any(request.value in item for item in order.items):
                yield order

    def updateOrders(self, request_iterator, context):
        updated = []
        for order in request_iterator:
            self._put(order)
            updated.append(order.id)
        return wrappers_pb2.StringValue(value="Orders processed Updated Order IDs : " + ", ".join(updated))

    def processOrders(self, request_iterator, context):
        pending, in_batch = {}, 0
        for order_id in request_iterator:
            order = self._get(order_id.value)
            if order is None:
                yield from pending.values()
                context.abort(grpc.StatusCode.NOT_FOUND, f"Order does not exist: {order_id.value}")
            shipment_id = f"cmb - {order.destination}"
            shipment = pending.setdefault(
                shipment_id, order_management_pb2.CombinedShipment(id=shipment_id, status="Processed!")
            )
            shipment.ordersList.append(order)
            in_batch += 1
            if in_batch == BATCH_SIZE:
                yield from pending.values()
                pending, in_batch = {}, 0
        yield from pending.values()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50051)
    args = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    order_management_pb2_grpc.add_OrderManagementServicer_to_server(OrderManagement(), server)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    if port == 0:
        sys.exit(f"cannot listen on {args.host}:{args.port}")
    server.start()
    print(f"listening on {args.host}:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
