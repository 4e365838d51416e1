// The book's ch06/token-based-authentication/go/server: the ProductInfo server over TLS that
// wants an OAuth 2.0 bearer token on every unary call.
//
// It serves ProductInfo (the V1 types, pb.ProductID, as on the book's master branch) over TLS
// with grpc.UnaryInterceptor(ensureValidToken): no incoming metadata is InvalidArgument
// "missing metadata"; an authorization header other than "Bearer some-secret-token" is
// Unauthenticated "invalid token". Only unary calls are guarded (ProductInfo has no others).
// Products live in a map with time-based (v1) UUIDs; an unknown id is errors.New, so the code
// is Unknown. Like the book's server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the book's, shared by the ch06 to ch08 servers
//     (bookcompat/productinfo), with a mutex around its map; the key pair load and the
//     listen-and-serve tail are shared too (bookcompat/serve);
//   - the certificate folder is the flag -certs (default the book's path, ../../certs, relative to
//     go/server), holding server.crt and server.key. The book's certificates are X.509 v1 with no
//     SAN, which Go >= 1.15 rejects (its README suggests GODEBUG=x509ignoreCN=0, gone in Go 1.17);
//     the check passes the set our ch06-gen-certs makes, with the same file names;
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness.
package main

import (
	"context"
	"flag"
	"path/filepath"
	"strings"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

var (
	addr  = flag.String("addr", ":50051", "address to listen on")
	certs = flag.String("certs", filepath.Join("..", "..", "certs"), "folder with server.crt and server.key")

	errMissingMetadata = status.Errorf(codes.InvalidArgument, "missing metadata")
	errInvalidToken    = status.Errorf(codes.Unauthenticated, "invalid token")
)

func main() {
	flag.Parse()
	cert := serve.KeyPair(*certs)
	s := grpc.NewServer(
		// Enable TLS for all incoming connections.
		grpc.Creds(credentials.NewServerTLSFromCert(&cert)),

		grpc.UnaryInterceptor(ensureValidToken),
	)
	pb.RegisterProductInfoServer(s, &productinfo.Server{})
	serve.GRPC(s, *addr)
}

// valid validates the authorization.
func valid(authorization []string) bool {
	if len(authorization) < 1 {
		return false
	}
	token := strings.TrimPrefix(authorization[0], "Bearer ")
	// Perform the token validation here. For the sake of this example, the code
	// here forgoes any of the usual OAuth2 token validation and instead checks
	// for a token matching an arbitrary string.
	return token == "some-secret-token"
}

// ensureValidToken ensures a valid token exists within a request's metadata. If
// the token is missing or invalid, the interceptor blocks execution of the
// handler and returns an error. Otherwise, the interceptor invokes the unary
// handler.
func ensureValidToken(ctx context.Context, req interface{}, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (interface{}, error) {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok {
		return nil, errMissingMetadata
	}
	// The keys within metadata.MD are normalized to lowercase.
	// See: https://godoc.org/google.golang.org/grpc/metadata#New
	if !valid(md["authorization"]) {
		return nil, errInvalidToken
	}
	// Continue execution of handler after ensuring a valid token.
	return handler(ctx, req)
}
