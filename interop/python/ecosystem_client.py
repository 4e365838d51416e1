"""Chapter 8 from Python: a client that knows no .proto file, and health checking.

    python interop/python/ecosystem_client.py localhost:50051

`describe_and_add` learns ProductInfo from the server through reflection (grpcio-reflection
speaks grpc.reflection.v1alpha), builds the request message from the descriptors it got, and
calls addProduct with it. `health_statuses` uses grpcio-health-checking's stubs.
"""

import sys

import grpc
from google.protobuf import descriptor_pool, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)


def list_services(target):
    """The service names the server lists through reflection."""
    with grpc.insecure_channel(target) as channel:
        return sorted(ProtoReflectionDescriptorDatabase(channel).get_services())


def describe_and_add(target, name, timeout=5.0):
    """Resolves addProduct through reflection and calls it; returns (input, output, id)."""
    with grpc.insecure_channel(target) as channel:
        pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
        method = pool.FindServiceByName("ecommerce.ProductInfo").FindMethodByName("addProduct")
        request_class = message_factory.GetMessageClass(method.input_type)
        response_class = message_factory.GetMessageClass(method.output_type)
        call = channel.unary_unary(
            "/ecommerce.ProductInfo/addProduct",
            request_serializer=request_class.SerializeToString,
            response_deserializer=response_class.FromString,
        )
        answer = call(request_class(name=name, price=699.0), timeout=timeout)
        return method.input_type.full_name, method.output_type.full_name, answer.value


def health_statuses(target, services, timeout=5.0):
    """Check's answer for each service, as status names (SERVING, ...)."""
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        return {
            service: health_pb2.HealthCheckResponse.ServingStatus.Name(
                stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout).status
            )
            for service in services
        }


def first_watch_status(target, service, timeout=5.0):
    """The first status Watch streams for `service`."""
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        stream = stub.Watch(health_pb2.HealthCheckRequest(service=service), timeout=timeout)
        first = next(stream)
        stream.cancel()
        return health_pb2.HealthCheckResponse.ServingStatus.Name(first.status)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "localhost:50051"
    print("services:", ", ".join(list_services(target)))
    print("addProduct(%s) returns (%s); added %s" % describe_and_add(target, "Apple"))
    print("health:", health_statuses(target, ["", "ecommerce.ProductInfo"]))
