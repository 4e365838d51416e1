// The book's ch06/secure-channel/go/client: the ProductInfo client over one-way TLS.
//
// It trusts the server's certificate (credentials.NewClientTLSFromFile(server.crt, "localhost")),
// then adds "Sumsung S10" (the book's typo) and gets it back, both calls under one 1-second
// context, logging `Product ID: <id> added successfully` and the book's misformatted
// `log.Printf("Product: ", ...)`, which Go prints as `Product: %!(EXTRA string=...)`.
//
// Differs from the book:
//   - the certificate folder is the flag -certs (default the book's path, ch06/secure-channel/certs,
//     relative to the book's repository root), holding server.crt. The book's certificate is
//     X.509 v1 with no SAN, which Go >= 1.15 rejects; the check passes the set our ch06-gen-certs
//     makes (the file names are the book's);
//   - the book's `const crtFile = filepath.Join(...)` does not compile: these are variables;
//   - -addr (default the book's localhost:50051) is for the harness;
//   - the dial and the add-then-get calls are the ones every ch06 client shares
//     (bookcompat/productinfo); the `Product: ` line stays here;
//   - the stubs come from this workspace's proto: getProduct takes pb.ProductID where the book's
//     (V2) proto has wrapper.StringValue; the same bytes on the wire.
package main

import (
	"flag"
	"log"
	"path/filepath"

	"bookcompat/productinfo"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

var (
	address  = flag.String("addr", "localhost:50051", "server address")
	certs    = flag.String("certs", filepath.Join("ch06", "secure-channel", "certs"), "folder with server.crt")
	hostname = "localhost"
)

func main() {
	flag.Parse()
	crtFile := filepath.Join(*certs, "server.crt")

	// Set up the credentials for the connection.
	creds, err := credentials.NewClientTLSFromFile(crtFile, hostname)
	if err != nil {
		log.Fatalf("failed to load credentials: %v", err)
	}
	opts := []grpc.DialOption{
		// transport credentials.
		grpc.WithTransportCredentials(creds),
	}

	// Set up a connection to the server.
	conn, c := productinfo.Dial(*address, opts...)
	defer conn.Close()

	// Contact the server and print out its response.
	product := productinfo.AddAndGet(c, productinfo.GalaxyS10("Sumsung S10"))
	log.Printf("Product: ", product.String())
}
