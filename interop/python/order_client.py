"""The book's chapter 3 client calls, in Python: all four communication patterns.

    python interop/python/order_client.py localhost:50051

Run by interop/check.py against ch03-server. The stubs come from interop/gen.
"""

import queue
import sys
import threading

import grpc
from google.protobuf import wrappers_pb2

import order_management_pb2
import order_management_pb2_grpc

ORDER_101 = order_management_pb2.Order(
    id="101", items=["iPhone XS", "Mac Book Pro"], destination="San Jose, CA", price=2300.00
)
UPDATES = [
    order_management_pb2.Order(
        id="102", items=["Google Pixel 3A", "Google Pixel Book"], destination="Mountain View, CA", price=1100.00
    ),
    order_management_pb2.Order(
        id="103", items=["Apple Watch S4", "Mac Book Pro", "iPad Pro"], destination="San Jose, CA", price=2800.00
    ),
    order_management_pb2.Order(
        id="104", items=["Google Home Mini", "Google Nest Hub", "iPad Mini"], destination="Mountain View, CA", price=2200.00
    ),
]


def stub_for(channel):
    return order_management_pb2_grpc.OrderManagementStub(channel)


def process(stub, first, rest, timeout=5.0):
    """Bidirectional: sends `first`, waits for those orders to ship, then sends `rest`.

    Returns (shipments that arrived while `rest` was held back, shipments after it)."""
    held_back = threading.Event()
    sent_rest = threading.Event()

    def ids():
        for order_id in first:
            yield wrappers_pb2.StringValue(value=order_id)
        held_back.wait(timeout)
        for order_id in rest:
            yield wrappers_pb2.StringValue(value=order_id)
        sent_rest.set()

    while_sending, at_end, shipped = [], [], 0
    for shipment in stub.processOrders(ids(), timeout=timeout):
        if sent_rest.is_set():
            at_end.append(shipment)
        else:
            while_sending.append(shipment)
            shipped += len(shipment.ordersList)
            if shipped >= len(first):
                held_back.set()
    return while_sending, at_end


def run(target):
    with grpc.insecure_channel(target) as channel:
        stub = stub_for(channel)
        print("AddOrder Response ->", stub.addOrder(ORDER_101, timeout=5).value)
        print("GetOrder Response -> :", stub.getOrder(wrappers_pb2.StringValue(value="106"), timeout=5))
        for order in stub.searchOrders(wrappers_pb2.StringValue(value="Google"), timeout=5):
            print("Search Result :", order)
        print("Update Orders Res :", stub.updateOrders(iter(UPDATES), timeout=5).value)
        while_sending, at_end = process(stub, ["102", "103", "104"], ["101"])
        for shipment in while_sending + at_end:
            print("Combined shipment :", shipment.id, [order.id for order in shipment.ordersList])


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else "localhost:50051")
