// The book's ch06/mutual-tls-channel/go/server: the ProductInfo server over mutual TLS.
//
// It loads the server's key pair and a pool holding the CA's certificate, and serves
// ProductInfo with credentials.NewTLS(&tls.Config{ClientAuth: tls.RequireAndVerifyClientCert,
// ...}): a client without a certificate signed by that CA never gets past the handshake.
// Products live in a map with time-based (v1) UUIDs; an unknown id is errors.New, so the code
// is Unknown. Like the book's server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the book's, shared by the ch06 to ch08 servers
//     (bookcompat/productinfo), with a mutex around its map; the key pair load and the
//     listen-and-serve tail are shared too (bookcompat/serve);
//   - the certificate folder is the flag -certs (default the book's path,
//     ch06/mutual-tls-channel/certs, relative to the book's repository root), holding server.crt,
//     server.key and ca.crt. The book's set is X.509 v1 with no SAN and expired; the check passes
//     the set our ch06-gen-certs makes, with the same file names;
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness;
//   - the stubs come from this workspace's proto, whose addProduct returns and getProduct takes
//     ecommerce.ProductID where the book's (V2) proto has google.protobuf.StringValue: the same
//     bytes on the wire.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"io/ioutil"
	"log"
	"path/filepath"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

var (
	addr  = flag.String("addr", ":50051", "address to listen on")
	certs = flag.String("certs", filepath.Join("ch06", "mutual-tls-channel", "certs"), "folder with server.crt, server.key and ca.crt")
)

func main() {
	flag.Parse()
	certificate := serve.KeyPair(*certs)
	caFile := filepath.Join(*certs, "ca.crt")

	// Create a certificate pool from the certificate authority
	certPool := x509.NewCertPool()
	ca, err := ioutil.ReadFile(caFile)
	if err != nil {
		log.Fatalf("could not read ca certificate: %s", err)
	}

	// Append the client certificates from the CA
	if ok := certPool.AppendCertsFromPEM(ca); !ok {
		log.Fatalf("failed to append client certs")
	}

	s := grpc.NewServer(
		// Enable TLS for all incoming connections.
		grpc.Creds( // Create the TLS credentials
			credentials.NewTLS(&tls.Config{
				ClientAuth:   tls.RequireAndVerifyClientCert,
				Certificates: []tls.Certificate{certificate},
				ClientCAs:    certPool,
			},
			)),
	)
	pb.RegisterProductInfoServer(s, &productinfo.Server{})
	serve.GRPC(s, *addr)
}
