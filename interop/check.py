"""Cross-language checks between our Rust binaries and Python's grpcio.

Run through interop/run, which prepares the virtual environment, the generated stubs and the
binaries. Each check prints PASS or FAIL with the reason; the last line counts them, and the
exit status is non-zero when any check failed.

Later chapters add their checks here with the @check decorator.
"""

import argparse
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_PATH = [os.path.join(HERE, "gen"), os.path.join(HERE, "python")]
sys.path[:0] = PYTHON_PATH

import grpc  # noqa: E402

import order_client  # noqa: E402
import productinfo_client  # noqa: E402
from google.protobuf import wrappers_pb2  # noqa: E402

STARTUP_TIMEOUT = 30.0
CHECKS = []


class CheckFailed(Exception):
    pass


def check(title):
    """Registers a check: a function of the binaries' directory that raises on failure."""

    def register(function):
        CHECKS.append((title, function))
        return function

    return register


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


class Running:
    """A server process whose output lines are read in the background."""

    def __init__(self, command, stream):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(PYTHON_PATH), RUST_LOG="info")
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
            stderr=subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines = queue.Queue()
        self.seen = []
        pipe = self.process.stdout if stream == "stdout" else self.process.stderr
        threading.Thread(target=self._read, args=(pipe,), daemon=True).start()

    def _read(self, pipe):
        for line in pipe:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern, timeout=STARTUP_TIMEOUT):
        """The first match of `pattern` in the lines still unread, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(remaining, 0))
            except queue.Empty:
                raise CheckFailed(f"no line matching {pattern!r} within {timeout}s; saw {self.seen}")
            if line is None:
                raise CheckFailed(f"process exited before printing {pattern!r}; saw {self.seen}")
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---- Chapter 2: ProductInfo ------------------------------------------------------------------


@check("ch02: Python client -> ch02-server: add, get, unknown id is NOT_FOUND")
def python_client_against_ch02_server(bin_dir):
    command = [os.path.join(bin_dir, "ch02-server"), "--addr", "127.0.0.1:0"]
    with Running(command, "stderr") as server:
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
    with Running(command, "stdout") as server:
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
    with Running(command, "stderr") as server:
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
    with Running(command, "stdout") as server:
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
