// The book's ch06/token-based-authentication/go/client: the ProductInfo client that sends an
// OAuth 2.0 bearer token over TLS.
//
// oauth.NewOauthAccess(&oauth2.Token{AccessToken: "some-secret-token"}) puts
// `authorization: Bearer some-secret-token` on every call and requires transport security. It
// trusts the server's certificate (NewClientTLSFromFile(server.crt, "localhost")), adds
// "Sumsung S10" (the book's typo) and gets it back with the V1 type pb.ProductID, both calls
// under one 1-second context, logging `Product ID: <id> added successfully` and
// `Product: <product>`.
//
// Differs from the book:
//   - -token (default the book's some-secret-token) replaces the hard-coded token, so the check
//     can show a wrong token refused;
//   - the certificate folder is the flag -certs (default the book's path, ../../certs, relative to
//     go/client), holding server.crt. The book's certificate is X.509 v1 with no SAN, which
//     Go >= 1.15 rejects (its README suggests GODEBUG=x509ignoreCN=0, gone in Go 1.17); the check
//     passes the set our ch06-gen-certs makes (the file names are the book's);
//   - -addr (default the book's localhost:50051) is for the harness;
//   - the dial and the add-then-get calls are the ones every ch06 client shares
//     (bookcompat/productinfo); the `Product: ` line stays here.
package main

import (
	"flag"
	"log"
	"path/filepath"

	"bookcompat/productinfo"

	"golang.org/x/oauth2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/oauth"
)

var (
	address  = flag.String("addr", "localhost:50051", "server address")
	certs    = flag.String("certs", filepath.Join("..", "..", "certs"), "folder with server.crt")
	token    = flag.String("token", "some-secret-token", "bearer token to send")
	hostname = "localhost"
)

func main() {
	flag.Parse()
	crtFile := filepath.Join(*certs, "server.crt")

	// Set up the credentials for the connection.
	perRPC := oauth.NewOauthAccess(fetchToken())
	creds, err := credentials.NewClientTLSFromFile(crtFile, hostname)
	if err != nil {
		log.Fatalf("failed to load credentials: %v", err)
	}
	opts := []grpc.DialOption{
		grpc.WithPerRPCCredentials(perRPC),
		// transport credentials.
		grpc.WithTransportCredentials(creds),
	}

	// Set up a connection to the server.
	conn, c := productinfo.Dial(*address, opts...)
	defer conn.Close()

	// Contact the server and print out its response.
	product := productinfo.AddAndGet(c, productinfo.GalaxyS10("Sumsung S10"))
	log.Printf("Product: %v", product)
}

func fetchToken() *oauth2.Token {
	return &oauth2.Token{
		AccessToken: *token,
	}
}
