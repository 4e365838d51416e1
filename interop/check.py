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

import productinfo_client  # noqa: E402

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
