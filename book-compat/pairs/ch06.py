"""Chapter 6, ch06/*: the book's secured Go clients and servers against ch06-server and ch06-client.

Every sample adds the Samsung S10 and gets it back over TLS with the server name localhost: the
book's Go clients add "Sumsung S10" (its typo; the mTLS client spells it right), ours "Samsung S10".
The book's certificates cannot be used (X.509 v1, CN only, the mTLS set expired), so both sides get
the set our ch06-gen-certs makes, once per run, under the same file names as the book's
(server.crt, server.key, ca.crt, client.crt, client.key): the Go programs take it with -certs,
ours with --certs. The book's Go servers log nothing per call (only our added `listening on`
line), so on that side the check is that they print nothing else.
"""

import os
import queue
import re

from harness import GO_TO_RUST, RUST_TO_GO, Running, expect, pair, run_client

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The book's Go servers use uuid.NewUUID(), a time-based (version 1) UUID; ours are version 4.
UUID_V1 = r"[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
DESCRIPTION = "Samsung Galaxy S10 is the latest smart phone, launched in February 2019"

_certs = {}


def certs(b):
    """The folder of certificates for this run, made by ch06-gen-certs the first time."""
    if b.work_dir not in _certs:
        folder = os.path.join(b.work_dir, "ch06-certs")
        run_client(b.rust("ch06-gen-certs", "--certs", folder)).expect_ok().find(r"Wrote a new CA")
        _certs[b.work_dir] = folder
    return _certs[b.work_dir]


def rust_server(b, mechanism):
    return Running(b.rust("ch06-server", mechanism, "--addr", "127.0.0.1:0", "--certs", certs(b)))


def go_server(b, sample):
    return Running(b.go(f"go-ch06-{sample}-server", "-addr", "127.0.0.1:0", "-certs", certs(b)))


def go_client(b, sample, addr, *flags):
    return run_client(b.go(f"go-ch06-{sample}-client", "-addr", addr, "-certs", certs(b), *flags))


def rust_client(b, mechanism, addr, *flags):
    return run_client(b.rust("ch06-client", "--addr", addr, "--certs", certs(b), mechanism, *flags))


def product_text(product_id, name):
    """The product as golang/protobuf and our client both print it (text format)."""
    return rf'id:"{product_id}" name:"{name}" description:"{DESCRIPTION}" price:700\s*'


def go_client_flow(client, name, printed):
    """The Go client's two lines; `printed` is how its sample logs the product: `extra` for the
    book's `log.Printf("Product: ", p.String())` (Go appends `%!(EXTRA string=...)`), `plain` for
    `Product: %s` or `%v`. Returns the id."""
    product_id = client.find(rf"Product ID: ({UUID}) added successfully$").group(1)
    text = product_text(product_id, name)
    if printed == "extra":
        client.find(rf"Product: %!\(EXTRA string={text}\)$")
    else:
        client.find(rf"Product: {text}$")
    return product_id


def rust_client_flow(client):
    """ch06-client's two lines for the book's Samsung S10. Returns the id."""
    product_id = client.find(rf"^Product ID: ({UUID}) added successfully$").group(1)
    client.find(rf"^Product: {product_text(product_id, 'Samsung S10')}$")
    return product_id


def rust_server_logged(server, product_id, name):
    """ch06-server logs each call as chapter 2's server does."""
    server.wait_for(rf"Product {product_id} : {name} - Added\.$")
    server.wait_for(rf"Product {product_id} : {name} - Retrieved\.$")


def rest_of(server):
    """Stops a server and returns the lines it printed that no wait_for has read yet."""
    server.stop()
    rest = []
    while True:
        try:
            line = server.lines.get(timeout=5)
        except queue.Empty:
            break
        if line is None:
            break
        rest.append(line)
    return rest


def go_server_silent(server):
    """The book's Go server printed nothing after its listening line: the book's ch06 servers
    log no calls and no refusals."""
    rest = rest_of(server)
    expect(not rest, f"the Go server printed more than its listening line: {rest}")


def go_made(product_id):
    """The id is the Go server's: time-based (version 1) where ours are random (version 4)."""
    expect(re.fullmatch(UUID_V1, product_id), f"{product_id} is not the Go server's time-based UUID")


def refused(client, code, message=None):
    """The client failed at addProduct with `code` (and `message`, when given) and a non-zero exit."""
    expect(client.returncode != 0, f"{client.command[0]} exited 0 where a refusal was expected: {client.tail()}")
    found = client.find(rf"Could not add product: rpc error: code = ({code}) desc = (.*)$")
    if message is not None:
        expect(found.group(2) == message, f"refused with {found.group(2)!r}, expected {message!r}")
    return found.group(1)


# secure-channel ------------------------------------------------------------------------------


@pair("ch06-secure-channel", GO_TO_RUST)
def secure_channel_go_client(b):
    """The book's Go client trusts server.crt, name localhost, and adds and reads back its
    Sumsung S10 through ch06-server tls."""
    with rust_server(b, "tls") as server:
        addr = server.listening_addr()
        client = go_client(b, "secure-channel", addr).expect_ok()
        product_id = go_client_flow(client, "Sumsung S10", "extra")
        rust_server_logged(server, product_id, "Sumsung S10")
    return f"TLS (localhost): added {product_id[:8]}…, got it back; Product: %!(EXTRA …) as the book's Go prints"


@pair("ch06-secure-channel", RUST_TO_GO)
def secure_channel_rust_client(b):
    """ch06-client tls adds and reads back the Samsung S10 through the book's Go TLS server."""
    with go_server(b, "secure-channel") as server:
        addr = server.listening_addr()
        client = rust_client(b, "tls", addr).expect_ok()
        product_id = rust_client_flow(client)
        go_made(product_id)
        go_server_silent(server)
    return f"TLS (localhost): added {product_id[:8]}… (Go's v1 UUID), got it back"


# mutual-tls-channel --------------------------------------------------------------------------


@pair("ch06-mutual-tls-channel", GO_TO_RUST)
def mtls_go_client(b):
    """The book's Go client shows client.crt and trusts ca.crt: ch06-server mtls serves it. The
    same client without its certificate (-no-client-cert) is refused at the handshake."""
    with rust_server(b, "mtls") as server:
        addr = server.listening_addr()
        client = go_client(b, "mutual-tls-channel", addr).expect_ok()
        product_id = go_client_flow(client, "Samsung S10", "plain")
        rust_server_logged(server, product_id, "Samsung S10")
        bare = go_client(b, "mutual-tls-channel", addr, "-no-client-cert")
        # grpc-go sees the server's TLS alert as the connection closing: Unavailable.
        code = refused(bare, "Unavailable")
        served = [line for line in rest_of(server) if "Added." in line]
        expect(not served, f"ch06-server served a client without a certificate: {served}")
    return f"mTLS: added {product_id[:8]}…, got it back; without a client cert: {code}"


@pair("ch06-mutual-tls-channel", RUST_TO_GO)
def mtls_rust_client(b):
    """ch06-client mtls passes the book's Go server's RequireAndVerifyClientCert; ch06-client tls,
    which shows no certificate, is refused at the handshake."""
    with go_server(b, "mutual-tls-channel") as server:
        addr = server.listening_addr()
        client = rust_client(b, "mtls", addr).expect_ok()
        product_id = rust_client_flow(client)
        go_made(product_id)
        bare = rust_client(b, "tls", addr)
        # tonic reports the closed handshake as Unavailable, Unknown or Cancelled, by timing
        # (the chapter's README says so): any of them, as long as the call failed.
        code = refused(bare, "Unavailable|Unknown|Cancelled")
        expect(bare.returncode == 1, f"ch06-client tls exited {bare.returncode}, expected 1")
        go_server_silent(server)
    return f"mTLS: added {product_id[:8]}…, got it back; ch06-client tls (no cert) refused: {code}"


# basic-authentication ------------------------------------------------------------------------


def credentials_go_client(b, mechanism, folder, flow, wrong_flag, refusal):
    """The book's Go client of `folder` against ch06-server `mechanism`: served with the book's
    credentials, refused with `wrong_flag` changed, as Unauthenticated with `refusal`, which
    the server logs too. Returns the product id."""
    with rust_server(b, mechanism) as server:
        addr = server.listening_addr()
        client = go_client(b, folder, addr).expect_ok()
        product_id = go_client_flow(client, "Sumsung S10", flow)
        rust_server_logged(server, product_id, "Sumsung S10")
        wrong = go_client(b, folder, addr, *wrong_flag)
        refused(wrong, "Unauthenticated", refusal)
        server.wait_for(rf"Verification failed - Unauthenticated! {re.escape(refusal)}$")
    return product_id


def credentials_rust_client(b, mechanism, folder, wrong_flag, refusal):
    """ch06-client `mechanism` against the book's Go server of `folder`: served with the book's
    credentials, refused with `wrong_flag` changed, as Unauthenticated with the Go server's
    `refusal`. Returns the product id."""
    with go_server(b, folder) as server:
        addr = server.listening_addr()
        client = rust_client(b, mechanism, addr).expect_ok()
        product_id = rust_client_flow(client)
        go_made(product_id)
        wrong = rust_client(b, mechanism, addr, *wrong_flag)
        refused(wrong, "Unauthenticated", refusal)
        go_server_silent(server)
    return product_id


@pair("ch06-basic-authentication", GO_TO_RUST)
def basic_go_client(b):
    """The book's Go client sends `authorization: Basic base64(admin:admin)` over TLS and is
    served; with -password wrong ch06-server basic refuses it with Unauthenticated."""
    product_id = credentials_go_client(
        b, "basic", "basic-authentication", "extra", ("-password", "wrong"),
        "invalid credentials: wrong username or password",
    )
    return f"admin:admin: added {product_id[:8]}…, got it back; wrong password: Unauthenticated"


@pair("ch06-basic-authentication", RUST_TO_GO)
def basic_rust_client(b):
    """ch06-client basic (admin/admin) passes the book's Go interceptor, which guards unary
    calls (both of ProductInfo's are); a wrong password gets its Unauthenticated "invalid
    credentials"."""
    product_id = credentials_rust_client(
        b, "basic", "basic-authentication", ("--password", "wrong"), "invalid credentials"
    )
    return f"admin:admin: added {product_id[:8]}…, got it back; wrong password: Unauthenticated \"invalid credentials\""


# token-based-authentication ------------------------------------------------------------------


@pair("ch06-token-based-authentication", GO_TO_RUST)
def token_go_client(b):
    """The book's Go client sends oauth.NewOauthAccess's `authorization: Bearer some-secret-token`
    over TLS and is served; with -token guessed ch06-server token refuses it with Unauthenticated."""
    product_id = credentials_go_client(
        b, "token", "token-based-authentication", "plain", ("-token", "guessed"),
        "invalid token: unknown token",
    )
    return f"some-secret-token: added {product_id[:8]}…, got it back; wrong token: Unauthenticated"


@pair("ch06-token-based-authentication", RUST_TO_GO)
def token_rust_client(b):
    """ch06-client token passes the book's Go ensureValidToken; a wrong token gets its
    Unauthenticated "invalid token"."""
    product_id = credentials_rust_client(
        b, "token", "token-based-authentication", ("--token", "guessed"), "invalid token"
    )
    return f"some-secret-token: added {product_id[:8]}…, got it back; wrong token: Unauthenticated \"invalid token\""
