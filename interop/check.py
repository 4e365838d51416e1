"""Cross-language checks between our Rust binaries and Python's grpcio.

Run through interop/run, which prepares the virtual environment, the generated stubs and the
binaries. Each check prints PASS or FAIL with the reason; the last line counts them, and the
exit status is non-zero when any check failed.

Later chapters add their checks here with the @check decorator.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_PATH = [os.path.join(HERE, "gen"), os.path.join(HERE, "python")]
sys.path[:0] = PYTHON_PATH

import grpc  # noqa: E402

# The process and assertion helpers are shared with book-compat/, the checks against the book's
# own Go programs.
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "book-compat"))
import harness  # noqa: E402
from harness import CheckFailed, expect  # noqa: E402

import advanced_client  # noqa: E402
import ecosystem_client  # noqa: E402
import order_client  # noqa: E402
import productinfo_client  # noqa: E402
import secure_productinfo_client as secure_client  # noqa: E402
from google.protobuf import wrappers_pb2  # noqa: E402

CHECKS = []
# The Python servers import the generated stubs and the helpers.
PYTHON_ENV = {"PYTHONPATH": os.pathsep.join(PYTHON_PATH)}


def check(title):
    """Registers a check: a function of the binaries' directory that raises on failure."""

    def register(function):
        CHECKS.append((title, function))
        return function

    return register


def running(command):
    """A program whose output is read in the background (book-compat's harness.Running)."""
    return harness.Running(command, env=PYTHON_ENV)


# ---- Chapter 2: ProductInfo ------------------------------------------------------------------


@check("ch02: Python client -> ch02-server: add, get, unknown id is NOT_FOUND")
def python_client_against_ch02_server(bin_dir):
    command = [os.path.join(bin_dir, "ch02-server"), "--addr", "127.0.0.1:0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)

        product_id, product = productinfo_client.add_then_get(addr)
        expect(uuid.UUID(product_id).version == 4, f"id {product_id!r} is not a UUID v4")
        book = productinfo_client.BOOK_PRODUCT
        expect(
            (product.id, product.name, product.description, product.price)
            == (product_id, book.name, book.description, book.price),
            f"getProduct answered {product}",
        )
        server.wait_for(re.escape(f"Product {product_id} : Apple iPhone 11 - Added."))
        server.wait_for(re.escape(f"Product {product_id} : Apple iPhone 11 - Retrieved."))

        try:
            productinfo_client.get(addr, "no-such-product")
        except grpc.RpcError as error:
            expect(error.code() == grpc.StatusCode.NOT_FOUND, f"expected NOT_FOUND, got {error.code()}")
            expect("no-such-product" in error.details(), f"message {error.details()!r} lacks the id")
        else:
            raise CheckFailed("getProduct of an unknown id succeeded")


@check("ch02: ch02-client -> Python ProductInfo server")
def ch02_client_against_python_server(bin_dir):
    command = [sys.executable, os.path.join(HERE, "python", "productinfo_server.py"), "--port", "0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)

        client = subprocess.run(
            [os.path.join(bin_dir, "ch02-client"), "--addr", addr],
            capture_output=True,
            text=True,
            timeout=60,
        )
        expect(client.returncode == 0, f"ch02-client exited {client.returncode}: {client.stderr}")
        lines = client.stdout.splitlines()
        added = re.fullmatch(r"Product ID: (\S+) added successfully", lines[0] if lines else "")
        expect(added is not None, f"unexpected output: {client.stdout!r}")
        product_id = added.group(1)
        expect(
            len(lines) == 2 and lines[1].startswith(f'Product: id:"{product_id}" name:"Apple iPhone 11"'),
            f"unexpected output: {client.stdout!r}",
        )
        server.wait_for(re.escape(f"Product {product_id} : Apple iPhone 11 - Added."))
        server.wait_for(re.escape(f"Product {product_id} : Apple iPhone 11 - Retrieved."))


@check("ch04: Python client -> ch04-spy -> ch02-server: the spy prints the frames of each call")
def python_client_through_ch04_spy(bin_dir):
    server_command = [os.path.join(bin_dir, "ch02-server"), "--addr", "127.0.0.1:0"]
    with running(server_command) as server:
        upstream = server.wait_for(r"listening on (\S+)").group(1)
        spy_command = [os.path.join(bin_dir, "ch04-spy"), "--listen", "127.0.0.1:0", "--upstream", upstream]
        with harness.Running(spy_command, env={**PYTHON_ENV, "NO_COLOR": "1"}) as spy:
            addr = spy.wait_for(r"listening on (\S+)").group(1)
            product_id, _ = productinfo_client.add_then_get(addr)
            try:
                productinfo_client.get(addr, "no-such-product")
            except grpc.RpcError as error:
                expect(error.code() == grpc.StatusCode.NOT_FOUND, f"expected NOT_FOUND, got {error.code()}")
            else:
                raise CheckFailed("getProduct of an unknown id succeeded through the spy")
            # The spy's lines, in the order grpcio's frames pass through it.
            for pattern in [
                r"→ PREFACE PRI \* HTTP/2\.0",
                r"\[request headers\]",
                r":path: /ecommerce\.ProductInfo/addProduct",
                r'= prefix 00 00 00 00 [0-9a-f]{2}: flag 0, \d+ bytes: Product \{ id: "", name: "Apple iPhone 11"',
                r":status: 200",
                re.escape(f'ProductID {{ value: "{product_id}" }}'),
                r"grpc-status: 0 \(OK\)",
                r'ProductID \{ value: "no-such-product" \}',
                r"\[Trailers-Only\]",
                r"grpc-status: 5 \(NOT_FOUND\)",
            ]:
                spy.wait_for(pattern)
            expect(not any("unreadable" in line for line in spy.seen), f"unreadable frames: {spy.seen}")


# ---- Chapter 3: OrderManagement, the four communication patterns ---------------------------

# What ch03-client prints against a server with the book's orders (ch03-patterns' tests check
# the same lines against our own server).
CH03_CLIENT_OUTPUT = [
    "AddOrder Response -> Order Added: 101",
    'GetOrder Response -> : id:"106" items:"Amazon Echo" items:"Apple iPhone XS" price:300 destination:"Mountain View, CA"',
    'Search Result : id:"102" items:"Google Pixel 3A" items:"Mac Book Pro" price:1800 destination:"Mountain View, CA"',
    'Search Result : id:"104" items:"Google Home Mini" items:"Google Nest Hub" price:400 destination:"Mountain View, CA"',
    "EOF",
    "Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104",
    "Combined shipment : cmb - Mountain View, CA -> [102, 104]",
    "Combined shipment : cmb - San Jose, CA -> [103]",
    "Combined shipment : cmb - San Jose, CA -> [101]",
]


def shipment_ids(shipments):
    return [(shipment.id, [order.id for order in shipment.ordersList]) for shipment in shipments]


@check("ch03: Python client -> ch03-server: all five calls, four patterns")
def python_client_against_ch03_server(bin_dir):
    command = [os.path.join(bin_dir, "ch03-server"), "--addr", "127.0.0.1:0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        with grpc.insecure_channel(addr) as channel:
            stub = order_client.stub_for(channel)

            reply = stub.addOrder(order_client.ORDER_101, timeout=5)
            expect(reply.value == "Order Added: 101", f"addOrder answered {reply.value!r}")

            order = stub.getOrder(wrappers_pb2.StringValue(value="106"), timeout=5)
            expect(
                (order.id, list(order.items), order.price, order.destination)
                == ("106", ["Amazon Echo", "Apple iPhone XS"], 300.0, "Mountain View, CA"),
                f"getOrder answered {order}",
            )
            try:
                stub.getOrder(wrappers_pb2.StringValue(value="999"), timeout=5)
            except grpc.RpcError as error:
                expect(error.code() == grpc.StatusCode.NOT_FOUND, f"expected NOT_FOUND, got {error.code()}")
                expect("999" in error.details(), f"message {error.details()!r} lacks the id")
            else:
                raise CheckFailed("getOrder of an unknown id succeeded")

            found = [o.id for o in stub.searchOrders(wrappers_pb2.StringValue(value="Google"), timeout=5)]
            expect(found == ["102", "104"], f"searchOrders streamed {found}")

            reply = stub.updateOrders(iter(order_client.UPDATES), timeout=5)
            expect(
                reply.value == "Orders processed Updated Order IDs : 102, 103, 104",
                f"updateOrders answered {reply.value!r}",
            )
            updated = stub.getOrder(wrappers_pb2.StringValue(value="103"), timeout=5)
            expect(updated.price == 2800.0, f"order 103 after the update: {updated}")

            while_sending, at_end = order_client.process(stub, ["102", "103", "104"], ["101"])
            expect(
                shipment_ids(while_sending)
                == [("cmb - Mountain View, CA", ["102", "104"]), ("cmb - San Jose, CA", ["103"])],
                f"shipments before 101 was sent: {shipment_ids(while_sending)}",
            )
            expect(
                shipment_ids(at_end) == [("cmb - San Jose, CA", ["101"])],
                f"shipments at the end: {shipment_ids(at_end)}",
            )


@check("ch03: ch03-client -> Python OrderManagement server")
def ch03_client_against_python_server(bin_dir):
    command = [sys.executable, os.path.join(HERE, "python", "order_server.py"), "--port", "0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        client = subprocess.run(
            [os.path.join(bin_dir, "ch03-client"), "--addr", addr],
            capture_output=True,
            text=True,
            timeout=60,
        )
        expect(client.returncode == 0, f"ch03-client exited {client.returncode}: {client.stderr}")
        lines = client.stdout.splitlines()
        expect(lines == CH03_CLIENT_OUTPUT, f"unexpected output:\n{client.stdout}")


# ---- Chapter 5: beyond the basics ------------------------------------------------------------


def ch05_server(bin_dir, sample, *args):
    return running([os.path.join(bin_dir, f"ch05-{sample}-server"), "--addr", "127.0.0.1:0", *args])


@check("ch05: Python client -> ch05-deadlines-server: a 2 s deadline on 5 s of work is DEADLINE_EXCEEDED")
def python_deadline_against_ch05(bin_dir):
    with ch05_server(bin_dir, "deadlines") as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        code = advanced_client.add_with_deadline(addr, timeout=2.0)
        expect(code == grpc.StatusCode.DEADLINE_EXCEEDED, f"expected DEADLINE_EXCEEDED, got {code}")
        server.wait_for(r"RPC has reached deadline exceeded state")


@check("ch05: Python grpcio-status -> ch05-error-handling-server: INVALID_ARGUMENT with a FieldViolation")
def python_error_details_against_ch05(bin_dir):
    with ch05_server(bin_dir, "error-handling") as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        code, message, violations = advanced_client.add_invalid_order(addr)
        expect(code == grpc.StatusCode.INVALID_ARGUMENT, f"expected INVALID_ARGUMENT, got {code}")
        expect(message == "Invalid information received", f"message {message!r}")
        expect(
            [(v.field, v.description) for v in violations] == [("ID", "Order ID received is not valid -1 : ")],
            f"field violations {violations}",
        )


@check("ch05: Python client -> ch05-metadata-server: headers both ways, a trailer on a successful stream")
def python_metadata_against_ch05(bin_dir):
    with ch05_server(bin_dir, "metadata") as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        unary, stream_headers, stream_trailers, found = advanced_client.metadata_calls(addr)
        expect(unary.get("location") == "San Jose" and "timestamp" in unary, f"addOrder headers {unary}")
        expect(stream_headers.get("location") == "MTV", f"searchOrders headers {stream_headers}")
        expect("timestamp" in stream_trailers, f"searchOrders trailers {stream_trailers}")
        expect(found == ["102", "104"], f"searchOrders streamed {found}")
        server.wait_for(r"====> Metadata 1\. v2")


@check("ch05: Python gzip client -> ch05-compression-server")
def python_gzip_against_ch05(bin_dir):
    with ch05_server(bin_dir, "compression") as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        reply = advanced_client.add_compressed(addr)
        expect(reply == "Order Added: 101", f"addOrder answered {reply!r}")


@check("ch05: Python client -> ch05-multiplexing-server: OrderManagement and Greeter on one channel")
def python_multiplexing_against_ch05(bin_dir):
    with ch05_server(bin_dir, "multiplexing") as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        added, greeting = advanced_client.one_channel_two_services(addr)
        expect(added == "Order Added: 101", f"addOrder answered {added!r}")
        expect(greeting == "Hello gRPC Up and Running!", f"SayHello answered {greeting!r}")


# ---- Chapter 6: secured gRPC --------------------------------------------------------------------


class Ch06Server(harness.Running):
    """ch06-server running one sample, with a certificate folder it makes in a temporary folder."""

    def __init__(self, bin_dir, sample):
        self.temp = tempfile.TemporaryDirectory()
        self.certs = os.path.join(self.temp.name, "certs")
        command = [os.path.join(bin_dir, "ch06-server"), sample, "--addr", "127.0.0.1:0", "--certs", self.certs]
        super().__init__(command, env=PYTHON_ENV)

    def __enter__(self):
        try:
            self.addr = self.wait_for(r"listening on (\S+)").group(1)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.temp.cleanup()


def expect_samsung_s10(added):
    product_id, product = added
    expect(uuid.UUID(product_id).version == 4, f"id {product_id!r} is not a UUID v4")
    expect(
        (product.id, product.name, product.price) == (product_id, "Samsung S10", 700.0),
        f"getProduct answered {product}",
    )


def expect_refused(call, code, details=None):
    """Runs call(), which must fail with `code` (and, when given, exactly `details`)."""
    try:
        call()
    except grpc.RpcError as error:
        expect(error.code() == code, f"expected {code}, got {error.code()}: {error.details()}")
        if details is not None:
            expect(error.details() == details, f"details {error.details()!r}, expected {details!r}")
    else:
        raise CheckFailed(f"the call succeeded; expected {code}")


@check("ch06: Python client -> ch06-server tls: TLS with our CA; a plaintext client is refused")
def python_client_against_ch06_tls(bin_dir):
    with Ch06Server(bin_dir, "tls") as server:
        with secure_client.secure_channel(server.addr, secure_client.tls(server.certs)) as channel:
            expect_samsung_s10(secure_client.add_then_get(channel))
        server.wait_for(r"Product \S+ : Samsung S10 - Added\.")
        with grpc.insecure_channel(server.addr) as channel:
            expect_refused(lambda: secure_client.add_then_get(channel), grpc.StatusCode.UNAVAILABLE)


@check("ch06: Python client -> ch06-server mtls: with the client certificate; without one, refused")
def python_client_against_ch06_mtls(bin_dir):
    with Ch06Server(bin_dir, "mtls") as server:
        with secure_client.secure_channel(server.addr, secure_client.mutual_tls(server.certs)) as channel:
            expect_samsung_s10(secure_client.add_then_get(channel))
        with secure_client.secure_channel(server.addr, secure_client.tls(server.certs)) as channel:
            expect_refused(lambda: secure_client.add_then_get(channel), grpc.StatusCode.UNAVAILABLE)


@check("ch06: Python client -> ch06-server basic: admin/admin; a wrong password is UNAUTHENTICATED")
def python_client_against_ch06_basic(bin_dir):
    with Ch06Server(bin_dir, "basic") as server:
        tls = secure_client.tls(server.certs)
        with secure_client.secure_channel(server.addr, tls, secure_client.basic("admin", "admin")) as channel:
            expect_samsung_s10(secure_client.add_then_get(channel))
        with secure_client.secure_channel(server.addr, tls, secure_client.basic("admin", "wrong")) as channel:
            expect_refused(
                lambda: secure_client.add_then_get(channel),
                grpc.StatusCode.UNAUTHENTICATED,
                "invalid credentials: wrong username or password",
            )


@check("ch06: Python client -> ch06-server token: some-secret-token; another token is UNAUTHENTICATED")
def python_client_against_ch06_token(bin_dir):
    with Ch06Server(bin_dir, "token") as server:
        tls = secure_client.tls(server.certs)
        with secure_client.secure_channel(server.addr, tls, secure_client.bearer("some-secret-token")) as channel:
            expect_samsung_s10(secure_client.add_then_get(channel))
        with secure_client.secure_channel(server.addr, tls, secure_client.bearer("guessed")) as channel:
            expect_refused(
                lambda: secure_client.add_then_get(channel),
                grpc.StatusCode.UNAUTHENTICATED,
                "invalid token: unknown token",
            )


def mint_jwt(bin_dir, certs, role):
    minted = subprocess.run(
        [os.path.join(bin_dir, "ch06-mint-jwt"), "--certs", certs, "--role", role],
        capture_output=True,
        text=True,
        timeout=60,
    )
    expect(minted.returncode == 0, f"ch06-mint-jwt exited {minted.returncode}: {minted.stderr}")
    return minted.stdout.strip()


@check("ch06: Python client -> ch06-server jwt: an admin JWT adds; a viewer's gets but cannot add")
def python_client_against_ch06_jwt(bin_dir):
    with Ch06Server(bin_dir, "jwt") as server:
        tls = secure_client.tls(server.certs)
        admin = secure_client.bearer(mint_jwt(bin_dir, server.certs, "admin"))
        with secure_client.secure_channel(server.addr, tls, admin) as channel:
            product_id, product = secure_client.add_then_get(channel)
            expect_samsung_s10((product_id, product))
        viewer = secure_client.bearer(mint_jwt(bin_dir, server.certs, "viewer"))
        with secure_client.secure_channel(server.addr, tls, viewer) as channel:
            got = secure_client.get(channel, product_id)
            expect(got.name == "Samsung S10", f"a viewer's getProduct answered {got}")
            expect_refused(
                lambda: secure_client.add_then_get(channel),
                grpc.StatusCode.PERMISSION_DENIED,
                "addProduct needs the admin role; ch06-client has the viewer role",
            )


# ---- Chapter 7: metrics and tracing ---------------------------------------------------------


def scrape(url):
    """The samples of a Prometheus text scrape, as {series: value}."""
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            samples[series] = float(value)
    return samples


@check("ch07: Python client with a W3C traceparent -> ch07-server: health, /metrics counts, child span")
def python_client_against_ch07_server(bin_dir):
    command = [
        os.path.join(bin_dir, "ch07-server"), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
    ]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        metrics = server.wait_for(r"Metrics on (http://\S+/metrics)").group(1)
        statuses = ecosystem_client.health_statuses(addr, ["", "ecommerce.ProductInfo"])
        expect(statuses == {"": "SERVING", "ecommerce.ProductInfo": "SERVING"}, f"{statuses}")

        # What an OpenTelemetry-instrumented Python or Go client sends with each call.
        trace_id, parent_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
        traceparent = [("traceparent", f"00-{trace_id}-{parent_id}-01")]
        product_id, _ = productinfo_client.add_then_get(addr, metadata=traceparent)
        server.wait_for(
            r"Span ecommerce\.ProductInfo/addProduct \(Server\) "
            + f"trace={trace_id} span=[0-9a-f]{{16}} parent={parent_id} .* grpc=OK"
        )

        samples = scrape(metrics)
        labels = 'grpc_method="{}",grpc_service="ecommerce.ProductInfo",grpc_type="unary"'
        for method in ("addProduct", "getProduct"):
            handled = "grpc_server_handled_total{grpc_code=\"OK\"," + labels.format(method) + "}"
            expect(samples.get(handled) == 1.0, f"{handled} is {samples.get(handled)}")
        business = 'product_mgt_server_handle_count{name="Apple iPhone 11"}'
        expect(samples.get(business) == 1.0, f"{business} is {samples.get(business)}")


# ---- Chapter 8: the gRPC ecosystem -------------------------------------------------------------


@check("ch08: Python reflection client -> ch08-server: lists services, resolves and calls addProduct")
def python_reflection_against_ch08(bin_dir):
    command = [os.path.join(bin_dir, "ch08-server"), "--addr", "127.0.0.1:0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        services = ecosystem_client.list_services(addr)
        expect(
            services
            == [
                "ecommerce.ProductInfo",
                "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection",
            ],
            f"listed {services}",
        )
        request, response, product_id = ecosystem_client.describe_and_add(addr, "Apple")
        # Chapter 8 speaks the book's chapter 8 proto: the id is a StringValue.
        expect(
            (request, response) == ("ecommerce.Product", "google.protobuf.StringValue"),
            f"{request} -> {response}",
        )
        expect(uuid.UUID(product_id).version == 4, f"id {product_id!r} is not a UUID v4")
        server.wait_for(re.escape(f"Product {product_id} : Apple - Added."))


@check("ch08: Python health client -> ch08-server: Check and Watch, NOT_FOUND for an unknown service")
def python_health_against_ch08(bin_dir):
    command = [os.path.join(bin_dir, "ch08-server"), "--addr", "127.0.0.1:0"]
    with running(command) as server:
        addr = server.wait_for(r"listening on (\S+)").group(1)
        statuses = ecosystem_client.health_statuses(addr, ["", "ecommerce.ProductInfo"])
        expect(statuses == {"": "SERVING", "ecommerce.ProductInfo": "SERVING"}, f"{statuses}")
        first = ecosystem_client.first_watch_status(addr, "ecommerce.ProductInfo")
        expect(first == "SERVING", f"Watch began with {first}")
        try:
            ecosystem_client.health_statuses(addr, ["ecommerce.Nope"])
        except grpc.RpcError as error:
            expect(error.code() == grpc.StatusCode.NOT_FOUND, f"expected NOT_FOUND, got {error.code()}")
        else:
            raise CheckFailed("Check of an unknown service succeeded")


@check("ch08: ch08-health-probe -> Python grpcio health server: exit 0 when SERVING, 4 when NOT_SERVING")
def ch08_probe_against_python_health(bin_dir):
    from concurrent import futures

    from grpc_health.v1 import health, health_pb2, health_pb2_grpc

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        probe = os.path.join(bin_dir, "ch08-health-probe")
        servicer.set("ecommerce.ProductInfo", health_pb2.HealthCheckResponse.SERVING)
        serving = subprocess.run(
            [probe, "--addr", f"127.0.0.1:{port}", "--service", "ecommerce.ProductInfo"],
            capture_output=True, text=True, timeout=30,
        )
        expect(serving.returncode == 0, f"exit {serving.returncode}: {serving.stderr}")
        expect(serving.stdout == "status: SERVING\n", f"printed {serving.stdout!r}")
        servicer.set("ecommerce.ProductInfo", health_pb2.HealthCheckResponse.NOT_SERVING)
        unhealthy = subprocess.run(
            [probe, "--addr", f"127.0.0.1:{port}", "--service", "ecommerce.ProductInfo"],
            capture_output=True, text=True, timeout=30,
        )
        expect(unhealthy.returncode == 4, f"exit {unhealthy.returncode}: {unhealthy.stderr}")
    finally:
        server.stop(None)


@check("ch08: Python HTTP client (the book's curl calls) -> ch08-gateway -> ch08-server")
def python_http_against_ch08_gateway(bin_dir):
    import json
    import urllib.error
    import urllib.request

    grpc_command = [os.path.join(bin_dir, "ch08-server"), "--addr", "127.0.0.1:0"]
    with running(grpc_command) as server:
        backend = server.wait_for(r"listening on (\S+)").group(1)
        gateway_command = [
            os.path.join(bin_dir, "ch08-gateway"), "--addr", "127.0.0.1:0", "--backend", backend,
        ]
        with running(gateway_command) as gateway:
            base = "http://" + gateway.wait_for(r"listening on (\S+)").group(1)
            body = b'{"name": "Apple", "description": "iphone7", "price": 699}'
            with urllib.request.urlopen(urllib.request.Request(base + "/v1/product", data=body), timeout=10) as added:
                # StringValue's JSON is a bare string, as the book's curl shows.
                product_id = json.load(added)
            with urllib.request.urlopen(base + "/v1/product/" + product_id, timeout=10) as got:
                product = json.load(got)
            expect(
                product == {"id": product_id, "name": "Apple", "description": "iphone7", "price": 699},
                f"got {product}",
            )
            try:
                urllib.request.urlopen(base + "/v1/product/no-such-id", timeout=10)
            except urllib.error.HTTPError as error:
                expect(error.code == 404, f"expected 404, got {error.code}")
                expect(json.load(error)["code"] == 5, "error body lacks code 5")
            else:
                raise CheckFailed("an unknown id gave 200")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True, help="directory holding the Rust binaries")
    args = parser.parse_args()

    passed = failed = 0
    for title, function in CHECKS:
        try:
            function(args.bin_dir)
        except Exception as error:  # a check's failure of any kind is reported, then the next runs
            failed += 1
            print(f"FAIL {title}\n     {type(error).__name__}: {error}", flush=True)
        else:
            passed += 1
            print(f"PASS {title}", flush=True)
    print(f"interop: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
