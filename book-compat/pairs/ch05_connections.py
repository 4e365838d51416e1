"""Chapter 5, the samples about the connection: multiplexing, compression, keepalive, load balancing.

What the book's programs print is not enough here: "two services over one connection", "gzip on the
wire" and "pings a grpc-go server accepts" are facts about the HTTP/2 bytes. So these checks put a
small loopback relay, `H2Relay`, between client and server. It forwards the bytes unchanged and
parses the HTTP/2 frames going each way (RFC 9113 §4.1: a 9-byte header, a 24-bit payload length, a
type, flags and a 31-bit stream id). Headers are HPACK-compressed and left alone; the DATA frames of
a gRPC call carry length-prefixed messages, each starting with a 1-byte compressed flag and a 4-byte
big-endian length, and those are read.
"""

import re
import socket
import threading
from collections import namedtuple

from harness import GO_TO_RUST, RUST_TO_GO, Running, expect, pair, run_client

# ---- An HTTP/2 frame sniffer -------------------------------------------------------------------

CLIENT_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0, 1, 3, 4, 6, 7
END_STREAM, ACK, PADDED = 0x1, 0x1, 0x8
TO_SERVER, TO_CLIENT = "client->server", "server->client"

Frame = namedtuple("Frame", "connection direction kind flags stream payload")
Message = namedtuple("Message", "connection direction stream compressed body")


class FrameParser:
    """Cuts a byte stream into HTTP/2 frames; the client's side starts with the connection preface."""

    def __init__(self, preface):
        self.buffer = b""
        self.preface = preface

    def feed(self, data):
        self.buffer += data
        if self.preface:
            if len(self.buffer) < len(CLIENT_PREFACE):
                return []
            expect(self.buffer.startswith(CLIENT_PREFACE), f"no HTTP/2 preface: {self.buffer[:24]!r}")
            self.buffer = self.buffer[len(CLIENT_PREFACE):]
            self.preface = False
        frames = []
        while len(self.buffer) >= 9:
            length = int.from_bytes(self.buffer[0:3], "big")
            if len(self.buffer) < 9 + length:
                break
            kind, flags = self.buffer[3], self.buffer[4]
            stream = int.from_bytes(self.buffer[5:9], "big") & 0x7FFFFFFF
            frames.append((kind, flags, stream, self.buffer[9 : 9 + length]))
            self.buffer = self.buffer[9 + length :]
        return frames


class H2Relay:
    """A loopback TCP relay to `upstream` (HOST:PORT) that records every HTTP/2 frame it forwards.

    Clients connect to `.addr`. Each accepted connection gets its own upstream connection and an
    index; a frame is recorded before it is forwarded, so once a client has its reply, the frames
    that carried it are in `.frames`. Used as a context manager.
    """

    def __init__(self, upstream):
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.addr = "127.0.0.1:%d" % self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.frames = []
        self.connections = 0
        self.sockets = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                index = self.connections
                self.connections += 1
                self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, index, TO_SERVER), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, index, TO_CLIENT), daemon=True).start()

    def _pump(self, source, sink, index, direction):
        parser = FrameParser(preface=direction == TO_SERVER)
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.frames += [Frame(index, direction, *frame) for frame in parser.feed(data)]
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def snapshot(self):
        with self.lock:
            return list(self.frames)

    def messages(self):
        """The gRPC messages of every stream, each direction's DATA payloads joined in order."""
        payloads = {}
        for frame in self.snapshot():
            if frame.kind == DATA:
                key = (frame.connection, frame.direction, frame.stream)
                payloads[key] = payloads.get(key, b"") + data_payload(frame)
        messages = []
        for (connection, direction, stream), data in payloads.items():
            while len(data) >= 5:
                length = int.from_bytes(data[1:5], "big")
                messages.append(Message(connection, direction, stream, data[0], data[5 : 5 + length]))
                data = data[5 + length :]
        return messages

    def request_streams(self):
        """(connection, stream id) of every stream a client opened with HEADERS."""
        return sorted({(f.connection, f.stream) for f in self.snapshot() if f.kind == HEADERS and f.direction == TO_SERVER})

    def close(self):
        with self.lock:
            for sock in self.sockets:
                sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def data_payload(frame):
    """A DATA frame's payload without its padding."""
    if frame.flags & PADDED:
        return frame.payload[1 : len(frame.payload) - frame.payload[0]]
    return frame.payload


def one_message(relay, direction):
    found = [m for m in relay.messages() if m.direction == direction]
    expect(len(found) == 1, f"expected one {direction} message, saw {found}")
    return found[0]


def pings_without_calls(frames):
    """The client's PINGs sent while it had no call open on that connection.

    grpc-go's default server policy (EnforcementPolicy{MinTime: 5 min, PermitWithoutStream: false})
    counts such a PING as a strike unless the previous PING is 2 hours old, and answers the third
    strike with GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; grpc-java's default is the same.
    A call is open from the client's HEADERS until a RST_STREAM or the server's END_STREAM.
    """
    open_streams, offending = set(), []
    for frame in frames:
        if frame.kind == HEADERS and frame.direction == TO_SERVER:
            open_streams.add((frame.connection, frame.stream))
        elif frame.kind == RST_STREAM or (frame.direction == TO_CLIENT and frame.flags & END_STREAM and frame.kind in (DATA, HEADERS)):
            open_streams.discard((frame.connection, frame.stream))
        elif frame.kind == PING and frame.direction == TO_SERVER and not frame.flags & ACK:
            if not any(connection == frame.connection for connection, _ in open_streams):
                offending.append(frame)
    return offending


def goaways(relay):
    return [f for f in relay.snapshot() if f.kind == GOAWAY and f.direction == TO_CLIENT]


# ---- Multiplexing (§3.9) -----------------------------------------------------------------------

ADDED = r"AddOrder Response -> Order Added: 101$"
GREETING = r"Greeting:  Hello gRPC Up and Running!$"


def check_multiplexing(server_command, client_command, server_lines):
    """The book's client adds order 101 through OrderManagement and greets through Greeter, two
    stubs on one ClientConn; the server logs each service it reached. The relay proves both calls
    were streams of one TCP connection."""
    with Running(server_command) as server:
        with H2Relay(server.listening_addr()) as relay:
            client = run_client(client_command(relay.addr)).expect_ok()
            client.find(ADDED)
            client.find(GREETING)
            for line in server_lines:
                server.wait_for(line, timeout=5)
            streams = relay.request_streams()
            expect(relay.connections == 1, f"{relay.connections} connections, the book makes one")
            expect(len(streams) == 2, f"expected two calls on the connection, saw streams {streams}")
    return f"AddOrder 101 and SayHello answered, both services logged; one connection, streams {[s for _, s in streams]}"


@pair("ch05-multiplexing", GO_TO_RUST)
def multiplexing_go_to_rust(b):
    return check_multiplexing(
        b.rust("ch05-multiplexing-server", "--addr", "127.0.0.1:0"),
        lambda addr: b.go("go-ch05-multiplexing-client", "-addr", addr),
        [r"Order Management Service - AddOrder RPC", r"Order Added\. ID : 101", r"Greeter Service - SayHello RPC"],
    )


@pair("ch05-multiplexing", RUST_TO_GO)
def multiplexing_rust_to_go(b):
    return check_multiplexing(
        b.go("go-ch05-multiplexing-server", "-addr", "127.0.0.1:0"),
        lambda addr: b.rust("ch05-multiplexing-client", "--addr", addr),
        [r"Order Management Service - AddOrder RPC", r"Order :  101  -> Added", r"Greeter Service - SayHello RPC"],
    )


# ---- Compression (§3.4) ------------------------------------------------------------------------

GZIP_MAGIC = b"\x1f\x8b"


def check_gzip(server_command, client_command, server_lines):
    """The book's client adds order 101 with gzip and prints the reply. On the wire the request
    message has the compressed flag 1 and a gzip body; the server decoded it (it logs the order),
    so it read the grpc-encoding header right. Returns how the reply came back."""
    with Running(server_command) as server:
        with H2Relay(server.listening_addr()) as relay:
            run_client(client_command(relay.addr)).expect_ok().find(ADDED)
            for line in server_lines:
                server.wait_for(line, timeout=5)
            request = one_message(relay, TO_SERVER)
            reply = one_message(relay, TO_CLIENT)
    expect(request.compressed == 1, f"request sent with compressed flag {request.compressed}, not 1")
    expect(request.body.startswith(GZIP_MAGIC), f"compressed request is not gzip: {request.body[:8]!r}")
    return request, reply


@pair("ch05-compression", GO_TO_RUST)
def compression_go_to_rust(b):
    request, reply = check_gzip(
        b.rust("ch05-compression-server", "--addr", "127.0.0.1:0"),
        lambda addr: b.go("go-ch05-compression-client", "-addr", addr),
        [r"addOrder: grpc-encoding gzip, message of \d+ bytes, compressed flag 1", r"Order Added\. ID : 101"],
    )
    # grpc-go sends grpc-accept-encoding: gzip with a gzip request, and our server
    # (send_compressed(Gzip)) then gzips its reply, as the book's Go server would.
    expect(reply.compressed == 1 and reply.body.startswith(GZIP_MAGIC), f"our reply not gzip: {reply}")
    return f"request gzip on the wire (flag 1, {len(request.body)} bytes), server decoded it; reply gzip too"


@pair("ch05-compression", RUST_TO_GO)
def compression_rust_to_go(b):
    request, reply = check_gzip(
        b.go("go-ch05-compression-server", "-addr", "127.0.0.1:0"),
        lambda addr: b.rust("ch05-compression-client", "--addr", addr),
        [r"Order :  101  -> Added"],
    )
    # grpc-go answers a gzip request in gzip, and our client accepts it (accept_compressed).
    expect(reply.compressed == 1 and reply.body.startswith(GZIP_MAGIC), f"grpc-go's reply not gzip: {reply}")
    return f"request gzip on the wire (flag 1, {len(request.body)} bytes), Go server decoded it; gzip reply decoded"


# ---- Keepalive (§3.5) --------------------------------------------------------------------------

DEADLINE = r"Error Occured -> addOrder : , DeadlineExceeded:$"
HOLD_SECONDS = 12  # longer than any client ping interval up to 10 s, so a ping would show


@pair("ch05-keepalive", GO_TO_RUST)
def keepalive_go_to_rust(b):
    """The book's keepalive client gives AddOrder 1 s; our server's AddOrder sleeps 5 s."""
    with Running(b.rust("ch05-keepalive-server", "--addr", "127.0.0.1:0")) as server:
        client = run_client(b.go("go-ch05-keepalive-client", "-addr", server.listening_addr())).expect_ok()
        client.find(DEADLINE)
        server.wait_for(r"Sleeping for : 5 s", timeout=5)
    return "DeadlineExceeded after 1 s, server logged Sleeping for : 5 s"


@pair("ch05-keepalive", RUST_TO_GO)
def keepalive_rust_to_go(b):
    """Our client's 1 s AddOrder against the book's server that sleeps 5 s, then adds the order
    anyway. Our client then keeps its connection (with its keepalive on) open for HOLD_SECONDS:
    it must not ping the book's server, which keeps grpc-go's default enforcement policy, while
    no call is open, and the server must not send GOAWAY."""
    with Running(b.go("go-ch05-keepalive-server", "-addr", "127.0.0.1:0")) as server:
        with H2Relay(server.listening_addr()) as relay:
            client_command = b.rust("ch05-keepalive-client", "--addr", relay.addr, "--hold", str(HOLD_SECONDS))
            run_client(client_command).expect_ok().find(DEADLINE)
            server.wait_for(r"Sleeping for : 5 s", timeout=1)
            server.wait_for(r"Order :  101  -> Added", timeout=1)  # the book's sleep ended long ago
            frames = relay.snapshot()
            expect(not goaways(relay), f"grpc-go sent GOAWAY: {goaways(relay)}")
    idle_pings = pings_without_calls(frames)
    expect(not idle_pings, f"our client pinged {len(idle_pings)} times with no call open: grpc-go's default policy counts each as a strike")
    pings = sum(1 for f in frames if f.kind == PING and not f.flags & ACK and f.direction == TO_SERVER)
    return f"DeadlineExceeded after 1 s, Go server slept 5 s and added 101; {HOLD_SECONDS} s idle: {pings} client PINGs, no GOAWAY"


# ---- Load balancing (§3.8) ---------------------------------------------------------------------

PICK_FIRST = r"==== Calling \S+ with pick_first ===="
ROUND_ROBIN = r"==== Calling \S+ with round_robin ===="
REPLY = r"^(?:\S+ \S+ )?this is examples/load_balancing \(from \S*:(\d+)\)$"


def backends(server):
    """The two backends' addresses from their listening lines, and their `serving on` lines."""
    addrs = [server.listening_addr(), server.listening_addr()]
    for addr in addrs:
        serving = rf"serving on \S*:{addr.rsplit(':', 1)[1]}$"
        # The lines of the two backends interleave: this one may have gone by already.
        if not any(re.search(serving, line) for line in server.seen):
            server.wait_for(serving, timeout=5)
    return addrs


def replies(client):
    """The ports that answered under each policy, in order."""
    lines = client.lines
    start_pf = next(i for i, line in enumerate(lines) if re.search(PICK_FIRST, line))
    start_rr = next(i for i, line in enumerate(lines) if re.search(ROUND_ROBIN, line))
    ports = lambda chunk: [m.group(1) for m in (re.search(REPLY, line) for line in chunk) if m]  # noqa: E731
    return ports(lines[start_pf:start_rr]), ports(lines[start_rr:])


def check_balancing(server_command, client_command, strict_round_robin):
    """The book's client resolves example:///lb.example.grpc.io to both backends and makes ten
    UnaryEcho calls with pick_first (all answered by the first backend) and ten with round_robin
    (alternating between the two)."""
    with Running(server_command) as server:
        addrs = backends(server)
        ports = [addr.rsplit(":", 1)[1] for addr in addrs]
        client = run_client(client_command(addrs)).expect_ok()
    client.find(PICK_FIRST)
    client.find(ROUND_ROBIN)
    first, round_robin = replies(client)
    expect(first == [ports[0]] * 10, f"pick_first answered by {first}, expected 10 x {ports[0]}")
    expect(len(round_robin) == 10 and set(round_robin) == set(ports), f"round_robin answered by {round_robin}")
    # grpc-go's round_robin starts at a random backend and may use one backend alone until the
    # other's connection is ready, so from the book's Go client only the calls from the first
    # switch on must alternate; our client starts with the first backend and alternates at once.
    switch = 0 if strict_round_robin else next(i for i in range(1, 10) if round_robin[i] != round_robin[i - 1])
    tail = round_robin[switch:]
    expect(all(a != b for a, b in zip(tail, tail[1:])), f"round_robin does not alternate: {round_robin}")
    return f"pick_first 10 x :{ports[0]}; round_robin {' '.join(':' + p for p in round_robin)}"


@pair("ch05-loadbalancing", GO_TO_RUST)
def loadbalancing_go_to_rust(b):
    return check_balancing(
        b.rust("ch05-loadbalancing-server", "--addr", "127.0.0.1:0", "--addr", "127.0.0.1:0"),
        lambda addrs: b.go("go-ch05-loadbalancing-client", "-backends", ",".join(addrs)),
        strict_round_robin=False,
    )


@pair("ch05-loadbalancing", RUST_TO_GO)
def loadbalancing_rust_to_go(b):
    return check_balancing(
        b.go("go-ch05-loadbalancing-server", "-addrs", "127.0.0.1:0,127.0.0.1:0"),
        lambda addrs: b.rust("ch05-loadbalancing-client", "--addr", addrs[0], "--addr", addrs[1]),
        strict_round_robin=True,
    )
