"""Chapter 2, ch02/productinfo: the book's Go ProductInfo client and server against ours.

The book's client adds "Apple iPhone 11" and gets it back by the id the server gave; the
server logs `Product <id> : Apple iPhone 11 - Added.` and `... - Retrieved.`.
"""

import re

from harness import GO_TO_RUST, RUST_TO_GO, Running, expect, pair, run_client

NAME = "Apple iPhone 11"
DESCRIPTION = "Meet Apple iPhone 11. All-new dual-camera system with Ultra Wide and Night mode."
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def client_flow(client):
    """The client's two lines: the id it was given, and the product read back under that id,
    in protobuf text format with the book's data. Returns the id."""
    product_id = client.find(rf"Product ID: ({UUID}) added successfully").group(1)
    client.find(
        rf'Product: id:"{product_id}" name:"{re.escape(NAME)}" '
        rf'description:"{re.escape(DESCRIPTION)}" price:699\s*$'
    )
    return product_id


def server_logged(server, product_id):
    """The server's two lines for the call, in the book's words and order."""
    server.wait_for(rf"Product {product_id} : {NAME} - Added\.$")
    server.wait_for(rf"Product {product_id} : {NAME} - Retrieved\.$")


@pair("ch02", GO_TO_RUST)
def go_client_rust_server(b):
    """The book's Go client adds the iPhone to ch02-server and reads it back."""
    with Running(b.rust("ch02-server", "--addr", "127.0.0.1:0")) as server:
        addr = server.listening_addr()
        client = run_client(b.go("go-ch02-client", "-addr", addr)).expect_ok()
        product_id = client_flow(client)
        server_logged(server, product_id)
    return f"added {product_id[:8]}…, got it back; ch02-server logged Added. and Retrieved."


@pair("ch02", RUST_TO_GO)
def rust_client_go_server(b):
    """ch02-client adds the iPhone to the book's Go server and reads it back."""
    with Running(b.go("go-ch02-server", "-addr", "127.0.0.1:0")) as server:
        addr = server.listening_addr()
        client = run_client(b.rust("ch02-client", "--addr", addr)).expect_ok()
        product_id = client_flow(client)
        expect(len(client.lines) == 2, f"ch02-client printed more than its two lines: {client.tail()}")
        server_logged(server, product_id)
    return f"added {product_id[:8]}…, got it back; Go server logged Added. and Retrieved."


@pair("ch02", GO_TO_RUST)
def go_client_through_ch04_spy(b):
    """The book's Go client calls ch02-server through ch04-spy, which prints every frame."""
    with Running(b.rust("ch02-server", "--addr", "127.0.0.1:0")) as server:
        upstream = server.listening_addr()
        spy_command = b.rust("ch04-spy", "--listen", "127.0.0.1:0", "--upstream", upstream)
        with Running(spy_command, env={"NO_COLOR": "1"}) as spy:
            addr = spy.listening_addr()
            client = run_client(b.go("go-ch02-client", "-addr", addr)).expect_ok()
            product_id = client_flow(client)
            # The spy's lines, in the order grpc-go's frames pass through it.
            for pattern in [
                r"→ PREFACE PRI \* HTTP/2\.0",
                r"\[request headers\]",
                r":path: /ecommerce\.ProductInfo/addProduct",
                rf'= prefix 00 00 00 00 [0-9a-f]{{2}}: flag 0, \d+ bytes: Product \{{ id: "", name: "{NAME}"',
                r":status: 200",
                rf'ProductID \{{ value: "{product_id}" \}}',
                r"grpc-status: 0 \(OK\)",
                r":path: /ecommerce\.ProductInfo/getProduct",
                rf'Product \{{ id: "{product_id}", name: "{NAME}"',
            ]:
                spy.wait_for(pattern)
            expect(not any("unreadable" in line for line in spy.seen), f"unreadable frames: {spy.seen}")
        server_logged(server, product_id)
    return f"added {product_id[:8]}…, got it back; ch04-spy printed the frames of both calls"
