// The book's ch06/mutual-tls-channel/go/client: the ProductInfo client over mutual TLS.
//
// It shows its own certificate (client.crt, client.key) and trusts the CA (ca.crt), with
// ServerName "localhost", then adds "Samsung S10" and gets it back, both calls under one
// 1-second context, logging `Product ID: <id> added successfully` and `Product: <product>`.
//
// Differs from the book:
//   - the certificate folder is the flag -certs (default the book's path,
//     ch06/mutual-tls-channel/certs, relative to the book's repository root), holding client.crt,
//     client.key and ca.crt. The book's set is X.509 v1 with no SAN and expired; the check passes
//     the set our ch06-gen-certs makes, with the same file names;
//   - -no-client-cert (default false) leaves the client certificate out, to show the server
//     refusing such a client;
//   - -addr (default the book's localhost:50051) is for the harness;
//   - the dial and the add-then-get calls are the ones every ch06 client shares
//     (bookcompat/productinfo); the `Product: ` line stays here;
//   - the stubs come from this workspace's proto: getProduct takes pb.ProductID where the book's
//     (V2) proto has wrapper.StringValue; the same bytes on the wire.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"io/ioutil"
	"log"
	"path/filepath"

	"bookcompat/productinfo"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

var (
	address      = flag.String("addr", "localhost:50051", "server address")
	certs        = flag.String("certs", filepath.Join("ch06", "mutual-tls-channel", "certs"), "folder with client.crt, client.key and ca.crt")
	noClientCert = flag.Bool("no-client-cert", false, "do not show the client certificate")
	hostname     = "localhost"
)

func main() {
	flag.Parse()
	crtFile := filepath.Join(*certs, "client.crt")
	keyFile := filepath.Join(*certs, "client.key")
	caFile := filepath.Join(*certs, "ca.crt")

	// Load the client certificates from disk
	certificate, err := tls.LoadX509KeyPair(crtFile, keyFile)
	if err != nil {
		log.Fatalf("could not load client key pair: %s", err)
	}

	// Create a certificate pool from the certificate authority
	certPool := x509.NewCertPool()
	ca, err := ioutil.ReadFile(caFile)
	if err != nil {
		log.Fatalf("could not read ca certificate: %s", err)
	}

	// Append the certificates from the CA
	if ok := certPool.AppendCertsFromPEM(ca); !ok {
		log.Fatalf("failed to append ca certs")
	}

	certificates := []tls.Certificate{certificate}
	if *noClientCert {
		certificates = nil
	}
	opts := []grpc.DialOption{
		// transport credentials.
		grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{
			ServerName:   hostname, // NOTE: this is required!
			Certificates: certificates,
			RootCAs:      certPool,
		})),
	}

	// Set up a connection to the server.
	conn, c := productinfo.Dial(*address, opts...)
	defer conn.Close()

	// Contact the server and print out its response.
	product := productinfo.AddAndGet(c, productinfo.GalaxyS10("Samsung S10"))
	log.Printf("Product: %s", product.String())
}
