"""Chapter 7, ch07/grpc-prometheus: the book's Go client and server with Prometheus metrics
against ours.

The book's server counts every call with go-grpc-prometheus (grpc_server_handled_total and
friends, labelled grpc_method and grpc_code) and each added product's name in the custom
counter product_mgt_server_handle_count{name}, served over HTTP for Prometheus to scrape.
Its client adds "Sumsung S10" and gets it back every 3 seconds (-rounds here).

A quirk of the book's generated Go code, kept: its unary handlers report the capitalised Go
method name (`/ecommerce.ProductInfo/AddProduct`), so the Go server counts its calls under
grpc_method="AddProduct" while InitializeMetrics pre-registers zeros under the wire name
"addProduct". Our server labels the wire name only, which the check of ours requires; the
check of the Go server accepts either spelling.
"""

import re
import time
import urllib.error
import urllib.request

from harness import GO_TO_RUST, RUST_TO_GO, CheckFailed, Running, expect, pair, run_client

GO_PRODUCT = "Sumsung S10"  # the book's typo
RUST_PRODUCT = "Apple iPhone 11"  # ch07-client adds chapter 2's product
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def scrape(addr, timeout=10.0):
    """The /metrics page at `addr` as samples (see `parse`), retrying while the HTTP server
    is still coming up (the Go server starts it in a goroutine and does not log it)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://{addr}/metrics", timeout=5) as response:
                return parse(response.read().decode())
        except (urllib.error.URLError, ConnectionError) as error:
            if time.monotonic() > deadline:
                raise CheckFailed(f"no /metrics at {addr}: {error}")
            time.sleep(0.1)


def parse(text):
    """[(name, labels, value)] from the Prometheus text format (comments skipped)."""
    samples = []
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match and not line.startswith("#"):
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            samples.append((match.group(1), labels, float(match.group(3))))
    return samples


def value(samples, metric, labels):
    """The sum of the samples of `metric` whose labels include `labels` (a dict whose values
    may be compiled regexes)."""
    def fits(have):
        return all(
            want.fullmatch(have.get(key, "")) if isinstance(want, re.Pattern) else have.get(key) == want
            for key, want in labels.items()
        )
    return sum(v for name, have, v in samples if name == metric and fits(have))


def handled(samples, method, rounds):
    """grpc_server_handled_total says `method` (a regex) was handled `rounds` times with OK."""
    labels = {"grpc_service": "ecommerce.ProductInfo", "grpc_method": re.compile(method),
              "grpc_code": "OK", "grpc_type": "unary"}
    count = value(samples, "grpc_server_handled_total", labels)
    expect(count == rounds, f"grpc_server_handled_total {method} OK = {count}, want {rounds}")


def custom_counter(samples, product, rounds):
    """product_mgt_server_handle_count counted the client's product once per round."""
    count = value(samples, "product_mgt_server_handle_count", {"name": product})
    expect(count == rounds, f'product_mgt_server_handle_count{{name="{product}"}} = {count}, want {rounds}')


def rounds_printed(client, product, rounds):
    """The client's two book lines per round; returns the ids it was given."""
    ids = [m.group(1) for m in client.find_all(rf"Product ID: ({UUID}) added successfully")]
    expect(len(ids) == rounds, f"want {rounds} added ids: {client.tail()}")
    for product_id in ids:
        client.find(rf'Product: id:"{product_id}" name:"{re.escape(product)}" description:"[^"]*" price:\d+\s*$')
    return ids


@pair("ch07-prometheus", GO_TO_RUST)
def go_client_rust_server(b):
    """The book's Go client, two rounds against ch07-server: its lines, our log and /metrics."""
    rounds = 2
    server_cmd = b.rust("ch07-server", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
    with Running(server_cmd) as server:
        addr = server.listening_addr()
        metrics = server.wait_for(r"Metrics on http://(\S+)/metrics").group(1)
        client = run_client(b.go("go-ch07-client", "-addr", addr, "-metrics-addr", "127.0.0.1:0",
                                 "-rounds", str(rounds))).expect_ok()
        ids = rounds_printed(client, GO_PRODUCT, rounds)
        for product_id in ids:
            server.wait_for(rf"Product {product_id} : {GO_PRODUCT} - Added\.$")
            server.wait_for(rf"Product {product_id} : {GO_PRODUCT} - Retrieved\.$")
        samples = scrape(metrics)
        handled(samples, "addProduct", rounds)
        handled(samples, "getProduct", rounds)
        custom_counter(samples, GO_PRODUCT, rounds)
    return f"{rounds} rounds; /metrics: addProduct+getProduct OK x{rounds}, handle_count{{name=\"{GO_PRODUCT}\"}} {rounds}"


@pair("ch07-prometheus", RUST_TO_GO)
def rust_client_go_server(b):
    """ch07-client, one round against the book's Go server: our lines and the Go /metrics."""
    rounds = 1
    with Running(b.go("go-ch07-server", "-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0")) as server:
        addr = server.listening_addr()
        metrics = server.wait_for(r"metrics on (\S+)").group(1)
        client = run_client(b.rust("ch07-client", "--addr", addr, "--metrics-addr", "127.0.0.1:0",
                                   "--rounds", str(rounds))).expect_ok()
        rounds_printed(client, RUST_PRODUCT, rounds)
        samples = scrape(metrics)
        # The book's generated code reports "AddProduct"; see the module's docstring.
        handled(samples, "[Aa]ddProduct", rounds)
        handled(samples, "[Gg]etProduct", rounds)
        custom_counter(samples, RUST_PRODUCT, rounds)
    return f"1 round; Go /metrics: AddProduct+GetProduct OK x1, handle_count{{name=\"{RUST_PRODUCT}\"}} 1"
