"""Chapter 8, ch08/grpc-gateway and ch08/server-reflection: the book's Go programs against ours.

The gateway: the README's curl commands (POST /v1/product, then GET /v1/product/<id>), sent with
urllib to the book's Go gateway in front of ch08-server, and to ch08-gateway in front of the
book's Go server. Both speak the book's chapter 8 proto (proto/ch08/product_info.proto), whose
addProduct returns google.protobuf.StringValue, so both answer the POST with the bare JSON
string "<id>", as the book's README shows.

Reflection: the book's walkthrough uses grpc_cli over grpc.reflection.v1alpha; go-ch08-server-
reflection-client does the same steps with grpc-go's v1alpha client and prints them as grpc_cli
does. There is no Rust reflection client program (ch08-ecosystem's reflection::list_services
is used only inside the tour), so the reverse direction is ch02-client calling the book's
reflection server, which is a plain ProductInfo server besides reflection.
"""

import json
import re
import urllib.error
import urllib.request

from harness import GO_TO_RUST, RUST_TO_GO, Running, expect, pair, run_client

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_V1 = r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
# The book's README: curl -X POST http://localhost:8081/v1/product -d '{...}'
APPLE = {"name": "Apple", "description": "iphone7", "price": 699}


# grpc-gateway --------------------------------------------------------------------------------


def http(method, url, body=None):
    """One HTTP call; returns (status, parsed JSON body), 4xx and 5xx included."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def rest_flow(gateway):
    """The README's two curls through the gateway at `gateway` (host:port): the POST answers the
    new id as a bare JSON string (StringValue's JSON mapping), the GET answers the product with
    that id. Returns the id."""
    status, added = http("POST", f"http://{gateway}/v1/product", APPLE)
    expect(status == 200, f"POST /v1/product answered {status}: {added}")
    expect(
        isinstance(added, str) and re.fullmatch(UUID, added),
        f"POST /v1/product answered {added!r}, expected the bare string \"<id>\"",
    )
    product_id = added
    status, product = http("GET", f"http://{gateway}/v1/product/{product_id}")
    expect(status == 200, f"GET /v1/product/{product_id} answered {status}: {product}")
    expect(product == dict(APPLE, id=product_id), f"GET /v1/product/{product_id} answered {product!r}")
    return product_id


def unknown_id(gateway):
    """GET of an id nobody added: the HTTP status and the gRPC code in the error body."""
    status, body = http("GET", f"http://{gateway}/v1/product/no-such-id")
    expect(isinstance(body, dict) and "code" in body, f"GET of an unknown id answered {status}: {body!r}")
    return status, body["code"]


@pair("ch08-grpc-gateway", GO_TO_RUST)
def go_gateway_rust_server(b):
    """The book's Go gateway in front of ch08-server: the README's POST and GET. ch08-server logs
    both calls as chapter 2's server does; an unknown id is its NOT_FOUND, which grpc-gateway
    maps to 404."""
    with Running(b.rust("ch08-server", "--addr", "127.0.0.1:0")) as server:
        grpc_addr = server.listening_addr()
        with Running(b.go("go-ch08-grpc-gateway-gateway", "-grpc-addr", grpc_addr, "-addr", "127.0.0.1:0")) as gateway:
            rest = gateway.listening_addr()
            product_id = rest_flow(rest)
            server.wait_for(rf"Product {product_id} : Apple - Added\.$")
            server.wait_for(rf"Product {product_id} : Apple - Retrieved\.$")
            status, code = unknown_id(rest)
            expect((status, code) == (404, 5), f"unknown id: HTTP {status}, code {code}; expected 404, 5 (NOT_FOUND)")
    return f'POST -> "{product_id[:8]}…" as the book, GET -> the Apple; unknown id 404/NOT_FOUND'


@pair("ch08-grpc-gateway", RUST_TO_GO)
def rust_gateway_go_server(b):
    """ch08-gateway in front of the book's Go server: the same POST and GET, the same bodies as
    the Go gateway gives. The book's server answers an unknown id with errors.New (Unknown),
    which both gateways map to HTTP 500."""
    with Running(b.go("go-ch08-server", "-addr", "127.0.0.1:0")) as server:
        grpc_addr = server.listening_addr()
        with Running(b.rust("ch08-gateway", "--backend", grpc_addr, "--addr", "127.0.0.1:0")) as gateway:
            rest = gateway.listening_addr()
            # ch08-gateway logs the routes it read from the proto's google.api.http options.
            gateway.wait_for(r"POST /v1/product -> /ecommerce\.ProductInfo/addProduct$")
            gateway.wait_for(r"GET /v1/product/\{value\} -> /ecommerce\.ProductInfo/getProduct$")
            product_id = rest_flow(rest)
            expect(re.fullmatch(UUID_V1, product_id), f"{product_id} is not the Go server's time-based UUID")
            status, code = unknown_id(rest)
            expect((status, code) == (500, 2), f"unknown id: HTTP {status}, code {code}; expected 500, 2 (UNKNOWN)")
    return f'POST -> "{product_id[:8]}…" as the book, GET -> the Apple; unknown id 500/UNKNOWN as the book'


# server-reflection ---------------------------------------------------------------------------

# What go-ch08-server-reflection-client prints after `grpc_cli ls ADDR`, for any server of ours
# or the book's built from chapter 8's proto: the describe steps, as the book's walkthrough shows.
DESCRIBED = [
    "filename: product_info.proto",
    "package: ecommerce;",
    "service ProductInfo {",
    "  rpc addProduct(ecommerce.Product) returns (google.protobuf.StringValue) {}",
    "  rpc getProduct(google.protobuf.StringValue) returns (ecommerce.Product) {}",
    "}",
    "  rpc addProduct(ecommerce.Product) returns (google.protobuf.StringValue) {}",
    "message Product {",
    '  string id = 1[json_name = "id"];',
    '  string name = 2[json_name = "name"];',
    '  string description = 3[json_name = "description"];',
    '  float price = 4[json_name = "price"];',
    "}",
]


def walkthrough(client):
    """Splits the reflection client's output into the services listed and the rest (the lines
    that are not the `$ grpc_cli ...` commands)."""
    steps = client.lines
    listed = steps[1 : steps.index(next(line for line in steps[1:] if line.startswith("$ ")))]
    described = [line for line in steps[len(listed) + 1 :] if not line.startswith("$ ")]
    return listed, described


@pair("ch08-server-reflection", GO_TO_RUST)
def go_reflection_client_rust_server(b):
    """The book's grpc_cli walkthrough (ls, ls -l, type) over v1alpha against ch08-server: it lists
    ecommerce.ProductInfo and grpc.reflection.v1alpha.ServerReflection and describes the two
    methods and Product's four fields, exactly as it does against the book's Go server."""
    with Running(b.rust("ch08-server", "--addr", "127.0.0.1:0")) as server:
        ours = run_client(b.go("go-ch08-server-reflection-client", "-addr", server.listening_addr())).expect_ok()
    with Running(b.go("go-ch08-server", "-addr", "127.0.0.1:0")) as server:
        books = run_client(b.go("go-ch08-server-reflection-client", "-addr", server.listening_addr())).expect_ok()
    listed, described = walkthrough(ours)
    book_listed, book_described = walkthrough(books)
    expect(
        book_listed == ["ecommerce.ProductInfo", "grpc.reflection.v1alpha.ServerReflection"],
        f"the book's Go server lists {book_listed}",
    )
    expect(set(book_listed) <= set(listed), f"ch08-server lists {listed}, without all of {book_listed}")
    expect(described == DESCRIBED, f"against ch08-server the walkthrough printed {described}")
    expect(book_described == described, f"the Go server describes {book_described}, ch08-server {described}")
    extra = sorted(set(listed) - set(book_listed))
    return f"lists ProductInfo and v1alpha (also {', '.join(extra)}); addProduct(Product) returns (google.protobuf.StringValue), Product's 4 fields, as the Go server"


@pair("ch08-server-reflection", RUST_TO_GO)
def rust_client_go_reflection_server(b):
    """No Rust reflection client program exists (the tour's list_services runs in-process only),
    so ch02-client calls the book's reflection server, a ProductInfo server with reflection, and
    adds and gets back its iPhone."""
    with Running(b.go("go-ch08-server", "-addr", "127.0.0.1:0")) as server:
        client = run_client(b.rust("ch02-client", "--addr", server.listening_addr())).expect_ok()
    product_id = client.find(rf"^Product ID: ({UUID}) added successfully$").group(1)
    expect(re.fullmatch(UUID_V1, product_id), f"{product_id} is not the Go server's time-based UUID")
    client.find(rf'^Product: id:"{product_id}" name:"Apple iPhone 11" .* price:699$')
    return f"no Rust reflection client: ch02-client added {product_id[:8]}… and got it back from the reflection server"
