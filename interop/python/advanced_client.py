"""Chapter 5 calls from Python: deadline, error details, metadata, gzip, a second service.

Used by interop/check.py against the ch05 servers; each function makes one call and returns
what a test needs to look at.
"""

import grpc
from google.protobuf import wrappers_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

import helloworld_pb2
import helloworld_pb2_grpc
import order_management_pb2
import order_management_pb2_grpc

ORDER_101 = order_management_pb2.Order(
    id="101", items=["iPhone XS", "Mac Book Pro"], destination="San Jose, CA", price=2300.00
)


def orders(channel):
    return order_management_pb2_grpc.OrderManagementStub(channel)


def add_with_deadline(target, timeout):
    """addOrder(101) with a deadline; returns the status code."""
    with grpc.insecure_channel(target) as channel:
        try:
            orders(channel).addOrder(ORDER_101, timeout=timeout)
        except grpc.RpcError as error:
            return error.code()
        return grpc.StatusCode.OK


def add_invalid_order(target):
    """addOrder(-1); returns (code, message, [FieldViolation]) read with grpcio-status."""
    with grpc.insecure_channel(target) as channel:
        order = order_management_pb2.Order()
        order.CopyFrom(ORDER_101)
        order.id = "-1"
        try:
            orders(channel).addOrder(order, timeout=5)
        except grpc.RpcError as error:
            status = rpc_status.from_call(error)
            violations = []
            for detail in status.details if status else []:
                violation = error_details_pb2.BadRequest.FieldViolation()
                if detail.Is(violation.DESCRIPTOR):
                    detail.Unpack(violation)
                    violations.append(violation)
            return error.code(), error.details(), violations
        return grpc.StatusCode.OK, "", []


def metadata_calls(target):
    """addOrder and searchOrders with the book's metadata; returns what came back."""
    sent = (("timestamp", "now"), ("kn", "vn"), ("k1", "v1"), ("k1", "v2"), ("k2", "v3"))
    with grpc.insecure_channel(target) as channel:
        stub = orders(channel)
        _, call = stub.addOrder.with_call(ORDER_101, metadata=sent, timeout=5)
        unary_headers = dict(call.initial_metadata())
        stream = stub.searchOrders(wrappers_pb2.StringValue(value="Google"), metadata=sent, timeout=5)
        found = [order.id for order in stream]
        return unary_headers, dict(stream.initial_metadata()), dict(stream.trailing_metadata()), found


def add_compressed(target):
    """addOrder(101) sent with gzip; returns the reply."""
    with grpc.insecure_channel(target, compression=grpc.Compression.Gzip) as channel:
        return orders(channel).addOrder(ORDER_101, timeout=5).value


def one_channel_two_services(target):
    """OrderManagement and Greeter over one channel; returns both replies."""
    with grpc.insecure_channel(target) as channel:
        added = orders(channel).addOrder(ORDER_101, timeout=1).value
        greeter = helloworld_pb2_grpc.GreeterStub(channel)
        greeting = greeter.SayHello(helloworld_pb2.HelloRequest(name="gRPC Up and Running!"), timeout=1)
        return added, greeting.message
