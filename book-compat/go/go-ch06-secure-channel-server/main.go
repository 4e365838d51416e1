// The book's ch06/secure-channel/go/server: the ProductInfo server over one-way TLS.
//
// It loads the server's key pair, serves ProductInfo with
// grpc.Creds(credentials.NewServerTLSFromCert(&cert)) and keeps products in a map with
// time-based (v1) UUIDs; an unknown id is errors.New, so the code is Unknown. Like the book's
// server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the book's, shared by the ch06 to ch08 servers
//     (bookcompat/productinfo), with a mutex around its map; the key pair load and the
//     listen-and-serve tail are shared too (bookcompat/serve);
//   - the certificate folder is the flag -certs (default the book's path, ch06/secure-channel/certs,
//     relative to the book's repository root), holding server.crt and server.key. The book's
//     certificates are X.509 v1 with no SAN, which Go >= 1.15 rejects; the check passes the set our
//     ch06-gen-certs makes, with the same file names;
//   - the book's `const crtFile = filepath.Join(...)` does not compile: bookcompat/serve's
//     KeyPair joins the file names at run time;
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness;
//   - the stubs come from this workspace's proto, whose addProduct returns and getProduct takes
//     ecommerce.ProductID where the book's (V2) proto has google.protobuf.StringValue: the same
//     bytes on the wire.
package main

import (
	"flag"
	"path/filepath"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

var (
	addr  = flag.String("addr", ":50051", "address to listen on")
	certs = flag.String("certs", filepath.Join("ch06", "secure-channel", "certs"), "folder with server.crt and server.key")
)

func main() {
	flag.Parse()
	cert := serve.KeyPair(*certs)
	s := grpc.NewServer(
		// Enable TLS for all incoming connections.
		grpc.Creds(credentials.NewServerTLSFromCert(&cert)),
	)
	pb.RegisterProductInfoServer(s, &productinfo.Server{})
	// reflection.Register(s)
	serve.GRPC(s, *addr)
}
