"""Chapter 5's samples about one call: interceptors, deadlines, cancellation, error handling
and metadata (book-samples.md §3.1-§3.3, §3.6, §3.7), each against the book's Go program in
both directions.

Every order server here starts with the book's orders; the Go servers share the ch05 base
(bookcompat/ordermgt), our servers chapter 3's service. Go's map order makes the order of
search results and of shipments in a batch random: the checks compare them as sets.
"""

import re
import time

from harness import GO_TO_RUST, RUST_TO_GO, CheckFailed, Running, expect, pair, run_client

# Go's time.StampNano layout, `Dec  7 01:27:58.127865890`, as both sides send timestamps.
STAMP_NANO = r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{9}"

# The deadline sample's Go server checks its context after 5 s of work and logs only when the
# context ended by its own timer; when the client's RST_STREAM (sent at the same deadline)
# arrives first, the context says Canceled and it logs nothing. The book's own Go client loses
# that race now and then too, so the check tries a few times.
DEADLINE_ATTEMPTS = 3


def rust_server(b, name):
    return Running(b.rust(name, "--addr", "127.0.0.1:0"))


def go_server(b, name):
    return Running(b.go(name, "-addr", "127.0.0.1:0"))


def server_lines(server, pattern, count=1, timeout=10.0):
    """The server's lines matching `pattern`, once there are `count` of them, read in any order
    relative to its other lines (waiting up to `timeout` s for more)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in (re.search(pattern, line) for line in server.seen) if m]
        if len(found) >= count:
            return found
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CheckFailed(f"server logged {len(found)} of {count} lines matching {pattern!r}; saw {server.seen[-12:]}")
        try:
            server.wait_for(r"", timeout=remaining)
        except CheckFailed:
            raise CheckFailed(f"server logged {len(found)} of {count} lines matching {pattern!r}; saw {server.seen[-12:]}")


def count(done, pattern):
    return len(done.find_all(pattern))


def following(lines, heading, n):
    """The `n` lines after the first line containing `heading` (each without a log prefix)."""
    for index, line in enumerate(lines):
        if heading in line:
            return [strip_prefix(next_line) for next_line in lines[index + 1 : index + 1 + n]]
    raise CheckFailed(f"no line {heading!r} in {lines[-12:]}")


def strip_prefix(line):
    """A log line without Go's `2026/12/07 01:27:58 ` or our `2026-...Z  INFO ` prefix."""
    return re.sub(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d |\S+Z\s+INFO )", "", line)


def search_ids(done):
    """The order ids of the `Search Result : <order>` lines, in the order printed."""
    return [m.group(1) for m in done.find_all(r'Search Result : id:"(\d+)"')]


def expect_search(done):
    ids = search_ids(done)
    # Go's map order: 102 and 104 in either order.
    expect(sorted(ids) == ["102", "104"], f"search results {ids}, expected 102 and 104: {done.tail()}")
    eof = [i for i, line in enumerate(done.lines) if line.endswith("EOF")]
    last = max(i for i, line in enumerate(done.lines) if "Search Result" in line)
    expect(eof and eof[-1] > last, f"no EOF after the search results: {done.tail()}")


# --- Interceptors (§3.1) ------------------------------------------------------------------


@pair("ch05-interceptors", GO_TO_RUST)
def interceptors_go_client(b):
    """The book's Go client, whose interceptors log each method and stream message, adds 101
    and searches "Google"; our server's layer logs the unary call's request and response and
    the stream's messages."""
    with rust_server(b, "ch05-interceptors-server") as server:
        addr = server.listening_addr()
        done = run_client(b.go("go-ch05-interceptors-client", "-addr", addr)).expect_ok()
        done.find(r"Method : /ecommerce\.OrderManagement/addOrder$")
        done.find(r'value:"Order Added: 101"')
        done.find(r"AddOrder Response -> Order Added: 101$")
        done.find(r"======= \[Client Interceptor\]  /ecommerce\.OrderManagement/searchOrders$")
        sends = count(done, r"\[Client Stream Interceptor\] Send a message \(Type: \*wrappers\.StringValue\)")
        # A Receive line per Recv call: two orders, then the one that returns EOF.
        receives = count(done, r"\[Client Stream Interceptor\] Receive a message \(Type: \*ecommerce\.Order\)")
        expect((sends, receives) == (1, 3), f"client stream lines: {sends} sends, {receives} receives: {done.tail()}")
        expect_search(done)

        server_lines(server, r"======= \[Server Interceptor\]  /ecommerce\.OrderManagement/addOrder$")
        server_lines(server, r' Pre Proc Message : id:"101",items:\["iPhone XS","Mac Book Pro"\]')
        server_lines(server, r' Post Proc Message : value:"Order Added: 101"')
        server_lines(server, r"====== \[Server Stream Interceptor\]  /ecommerce\.OrderManagement/searchOrders$")
        server_lines(server, r"Wrapper\] Receive a message \(Type: google\.protobuf\.StringValue\) at \S+Z$")
        server_lines(server, r"Wrapper\] Send a message \(Type: ecommerce\.Order\) at \S+Z$", count=2)
    return "client: Method/reply + stream 1 send, 3 receives; server: pre/post proc, stream 1 recv, 2 sends; 101 added, found 102,104 + EOF"


@pair("ch05-interceptors", RUST_TO_GO)
def interceptors_rust_client(b):
    """Our client, with its logging layer, adds 101 and searches "Google" on the book's Go
    server, whose unary interceptor logs the capitalised Go method name and the request and
    response, and whose stream wrapper logs each message with its Go type."""
    with go_server(b, "go-ch05-interceptors-server") as server:
        addr = server.listening_addr()
        done = run_client(b.rust("ch05-interceptors-client", "--addr", addr)).expect_ok()
        done.find(r"Method : /ecommerce\.OrderManagement/addOrder$")
        done.find(r'value:"Order Added: 101"$')
        done.find(r"^AddOrder Response -> Order Added: 101$")
        done.find(r"======= \[Client Interceptor\]  /ecommerce\.OrderManagement/searchOrders$")
        sends = count(done, r"\[Client Stream Interceptor\] Send a message \(Type: google\.protobuf\.StringValue\)")
        receives = count(done, r"\[Client Stream Interceptor\] Receive a message \(Type: ecommerce\.Order\)")
        expect((sends, receives) == (1, 2), f"client stream lines: {sends} sends, {receives} receives: {done.tail()}")
        expect_search(done)

        # The book's generated code names the unary method by its Go name (AddOrder).
        server_lines(server, r"======= \[Server Interceptor\]  /ecommerce\.OrderManagement/AddOrder$")
        server_lines(server, r' Pre Proc Message : id:"101" items:"iPhone XS" items:"Mac Book Pro" price:2300 destination:"San Jose, CA"')
        server_lines(server, r"Order :  101  -> Added$")
        server_lines(server, r' Post Proc Message : value:"Order Added: 101"')
        server_lines(server, r"====== \[Server Stream Interceptor\]  /ecommerce\.OrderManagement/searchOrders$")
        server_lines(server, r"Wrapper\] Receive a message \(Type: \*wrappers\.StringValue\) at \S+Z$")
        server_lines(server, r"Wrapper\] Send a message \(Type: \*ecommerce\.Order\) at \S+Z$", count=2)
        server_lines(server, r"Matching Order Found : 10[24] -> Writing Order to the stream", count=2)
    return "client: Method/reply + stream 1 send, 2 receives; Go server: AddOrder pre/post proc, stream 1 recv, 2 sends; 101 added, found 102,104 + EOF"


# --- Deadlines (§3.2) ---------------------------------------------------------------------


@pair("ch05-deadlines", GO_TO_RUST)
def deadlines_go_client(b):
    """The book's Go client gives addOrder 2 s, our server works 5 s: the client logs
    DeadlineExceeded after 2 s and our server logs that the deadline passed."""
    with rust_server(b, "ch05-deadlines-server") as server:
        addr = server.listening_addr()
        started = time.monotonic()
        done = run_client(b.go("go-ch05-deadlines-client", "-addr", addr)).expect_ok()
        took = time.monotonic() - started
        done.find(r"Error Occured -> addOrder : , DeadlineExceeded:$")
        expect(1.9 <= took < 4.5, f"the client took {took:.1f} s, expected about 2")
        server_lines(server, r"Sleeping for : 5 s$")
        server_lines(server, r"RPC has reached deadline exceeded state : order 101 was not added$", timeout=5)
    return f"client: DeadlineExceeded after {took:.1f} s; server: deadline exceeded state, 101 not added"


@pair("ch05-deadlines", RUST_TO_GO)
def deadlines_rust_client(b):
    """Our client gives addOrder 2 s against the book's Go server, which sleeps 5 s: our client
    prints DeadlineExceeded after 2 s, and the Go server, once awake, logs that its context
    reached the deadline."""
    misses = 0
    for attempt in range(1, DEADLINE_ATTEMPTS + 1):
        with go_server(b, "go-ch05-deadlines-server") as server:
            addr = server.listening_addr()
            started = time.monotonic()
            done = run_client(b.rust("ch05-deadlines-client", "--addr", addr)).expect_ok()
            took = time.monotonic() - started
            done.find(
                r"^Error Occured -> addOrder : , DeadlineExceeded: rpc error: code = DeadlineExceeded desc = deadline exceeded$"
            )
            expect(1.9 <= took < 4.5, f"the client took {took:.1f} s, expected about 2")
            server_lines(server, r"Sleeping for : 5 s$")
            try:
                # Logged 5 s after the call arrived, so about 3 s after the client gave up.
                server_lines(server, r"RPC has reached deadline exceeded state : context deadline exceeded$", timeout=5)
            except CheckFailed:
                misses += 1
                continue
        note = f" (attempt {attempt}: the client's cancel won the book's race {misses}x)" if misses else ""
        return f"client: DeadlineExceeded after {took:.1f} s; Go server: deadline exceeded state{note}"
    raise CheckFailed(f"in {DEADLINE_ATTEMPTS} attempts the Go server never logged 'RPC has reached deadline exceeded state'")


# --- Cancellation (§3.3) ------------------------------------------------------------------


def go_shipments(done):
    """The order ids of each `Combined shipment : [<orders>]` line of the Go client."""
    return [tuple(sorted(re.findall(r'id:"(\d+)"', m.group(1)))) for m in done.find_all(r"Combined shipment : \[(.*)\]$")]


@pair("ch05-cancellation", GO_TO_RUST)
def cancellation_go_client(b):
    """The book's Go client sends 102, 103, 104 to processOrders, receives the first batch,
    cancels after a second and sees Canceled; our server stops processing the stream."""
    with rust_server(b, "ch05-cancellation-server") as server:
        addr = server.listening_addr()
        done = run_client(b.go("go-ch05-cancellation-client", "-addr", addr)).expect_ok()
        shipments = go_shipments(done)
        # The batch's shipments come in map order.
        expect(sorted(shipments) == [("102", "104"), ("103",)], f"shipments {shipments}: {done.tail()}")
        status = done.find(r"RPC Status : context canceled$")
        error = done.find(r"Error Receiving messages rpc error: code = Canceled desc = context canceled$")
        order = [next(i for i, line in enumerate(done.lines) if m.group(0) in line) for m in (status, error)]
        last_shipment = max(i for i, line in enumerate(done.lines) if "Combined shipment" in line)
        # The client logs its cancel while its receiving goroutine logs the Canceled error: the
        # two lines may come in either order, both after the shipments.
        expect(last_shipment < min(order), f"expected the shipments, then the cancel and Canceled: {done.tail()}")
        server_lines(server, r"processOrders stopped after 3 orders: the client went away$")
    return "client: batch [102 104] [103], then cancel, Canceled; server: stopped after 3 orders"


@pair("ch05-cancellation", RUST_TO_GO)
def cancellation_rust_client(b):
    """Our client sends 102, 103, 104 to the book's Go server, receives the first batch,
    cancels and cannot send 101; the Go server notices the cancelled context and stops."""
    with go_server(b, "go-ch05-cancellation-server") as server:
        addr = server.listening_addr()
        done = run_client(b.rust("ch05-cancellation-client", "--addr", addr)).expect_ok()
        shipments = sorted(m.group(1) for m in done.find_all(r"^Combined shipment : (cmb - .* -> \[.*\])$"))
        expect(
            shipments == ["cmb - Mountain View, CA -> [102, 104]", "cmb - San Jose, CA -> [103]"],
            f"shipments {shipments}: {done.tail()}",
        )
        # tonic spells the code Cancelled (grpc-go: Canceled); the README says so.
        done.find(r"^RPC Status : rpc error: code = Cancelled desc = context canceled$")
        done.find(r"^Order 101 could not be sent: the call was cancelled$")
        for order_id in ("102", "103", "104"):
            server_lines(server, rf"Reading Proc order \.\.\. {order_id}$")
        server_lines(server, r"Shipping : cmb - (Mountain View, CA -> 2|San Jose, CA -> 1)$", count=2)
        server_lines(server, r" Context Cacelled for this stream: -> context canceled$")
        server_lines(server, r"Stopped processing any more order of this stream!$")
    return "client: batch [102, 104] [103], Cancelled, 101 not sent; Go server: context cancelled, stopped processing"


# --- Error handling (§3.7) ----------------------------------------------------------------

FIELD_VIOLATION = r'Request Field Invalid: field:"ID" description:"Order ID received is not valid -1 : "'


@pair("ch05-error-handling", GO_TO_RUST)
def error_handling_go_client(b):
    """The book's Go client adds order -1: InvalidArgument, and the status detail decodes by its
    type URL (google.rpc.BadRequest.FieldViolation) into the violation of field ID."""
    with rust_server(b, "ch05-error-handling-server") as server:
        addr = server.listening_addr()
        done = run_client(b.go("go-ch05-error-handling-client", "-addr", addr)).expect_ok()
        done.find(r"Invalid Argument Error : InvalidArgument$")
        # grpc-go finds the Go type by the Any's type URL, so this line proves the URL too.
        done.find(FIELD_VIOLATION + r"\s*$")
        expect(count(done, r"Unexpected error type") == 0, f"a detail of another type: {done.tail()}")
        server_lines(server, r"Order ID is invalid! -> Received Order ID -1$")
    return "client: InvalidArgument + FieldViolation ID decoded by type URL; server: invalid order -1"


@pair("ch05-error-handling", RUST_TO_GO)
def error_handling_rust_client(b):
    """Our client adds order -1 on the book's Go server: InvalidArgument, and our client decodes
    the FieldViolation grpc-go packed in grpc-status-details-bin."""
    with go_server(b, "go-ch05-error-handling-server") as server:
        addr = server.listening_addr()
        done = run_client(b.rust("ch05-error-handling-client", "--addr", addr)).expect_ok()
        done.find(r"^Invalid Argument Error : InvalidArgument$")
        done.find("^" + FIELD_VIOLATION + "$")
        expect(count(done, r"Unexpected error type") == 0, f"a detail of another type: {done.tail()}")
        server_lines(server, r"Order ID is invalid! -> Received Order ID -1$")
    return "client: InvalidArgument + FieldViolation ID decoded; Go server: invalid order -1"


# --- Metadata (§3.6) ----------------------------------------------------------------------


@pair("ch05-metadata", GO_TO_RUST)
def metadata_go_client(b):
    """The book's Go client sends timestamp, kn, k1 (twice) and k2, and reads our addOrder's
    header (timestamp, location San Jose); our server logs each value it received."""
    with rust_server(b, "ch05-metadata-server") as server:
        addr = server.listening_addr()
        done = run_client(b.go("go-ch05-metadata-client", "-addr", addr)).expect_ok()
        done.find(r"AddOrder Response -> Order Added: 101$")
        stamp = following(done.lines, "timestamp from header:", 1)
        expect(re.fullmatch(rf" 0\. {STAMP_NANO}", stamp[0]), f"header timestamp {stamp}")
        location = following(done.lines, "location from header:", 1)
        expect(location == [" 0. San Jose"], f"header location {location}")
        expect_search(done)
        done.find(r'Update Orders Res : value:"Orders processed Updated Order IDs : 102, 103, 104')

        # Our server logs the metadata of addOrder and searchOrders (both carry all four keys).
        server_lines(server, r"Order Added\. ID : 101$")
        server_lines(server, r"Order ID : 104 - Updated$")
        lines = server.seen
        expect(re.fullmatch(rf"====> Metadata 0\. {STAMP_NANO}", following(lines, "timestamp from metadata:", 1)[0]), "timestamp value")
        expect(following(lines, "kn from metadata:", 1) == ["====> Metadata 0. vn"], "kn value")
        expect(following(lines, "k1 from metadata:", 2) == ["====> Metadata 0. v1", "====> Metadata 1. v2"], "k1 values")
        expect(following(lines, "k2 from metadata:", 1) == ["====> Metadata 0. v3"], "k2 value")
        keys = [len(server_lines(server, rf"INFO {key} from metadata:$", count=0)) for key in ("timestamp", "kn", "k1", "k2")]
        expect(keys == [2, 2, 2, 2], f"timestamp/kn/k1/k2 logged {keys} times, expected twice each: {lines[-30:]}")
    return "client: header timestamp + location San Jose, search + update ok; server: timestamp, kn, k1=v1,v2, k2 on add and search"


@pair("ch05-metadata", RUST_TO_GO)
def metadata_rust_client(b):
    """Our client sends the book's metadata to the book's Go server and prints the headers
    (addOrder: timestamp, location San Jose; searchOrders: location MTV) and the search
    trailer (timestamp); the Go server prints the timestamp it received."""
    with go_server(b, "go-ch05-metadata-server") as server:
        addr = server.listening_addr()
        done = run_client(b.rust("ch05-metadata-client", "--addr", addr)).expect_ok()
        done.find(r"^AddOrder Response -> Order Added: 101$")
        stamp = following(done.lines, "timestamp from header:", 1)
        expect(re.fullmatch(rf" 0\. {STAMP_NANO}", stamp[0]), f"header timestamp {stamp}")
        expect(following(done.lines, "location from header:", 1) == [" 0. San Jose"], "unary location")
        expect_search(done)
        eof = done.lines.index("EOF")
        expect(following(done.lines[eof:], "location from header:", 1) == [" 0. MTV"], f"stream location: {done.tail()}")
        trailer = following(done.lines, "timestamp from trailer:", 1)
        expect(re.fullmatch(rf" 0\. {STAMP_NANO}", trailer[0]), f"trailer timestamp {trailer}")
        done.find(r"^Update Orders Res : Orders processed Updated Order IDs : 102, 103, 104, $")

        server_lines(server, r"Order :  101  -> Added$")
        # The book's server prints only the timestamp key, with fmt (no log prefix).
        server_lines(server, rf"^====> Metadata 0\. {STAMP_NANO}$")
        received = following(server.seen, "timestamp from metadata:", 1)
        expect(re.fullmatch(rf"====> Metadata 0\. {STAMP_NANO}", received[0]), f"Go server got {received}")
        server_lines(server, r"Order ID 104 : Updated$")
    return "client: header timestamp + San Jose, stream header MTV, trailer timestamp; Go server: printed our timestamp"
