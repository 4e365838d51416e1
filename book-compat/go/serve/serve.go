// Package serve is the listen-and-serve tail of the book's Go servers, and the ch06 servers'
// key pair: net.Listen on the address, log.Fatalf("failed to listen: %v") if that fails,
// s.Serve, log.Fatalf("failed to serve: %v") if that fails. The book repeats these lines at the
// end of every server's main; here one copy serves them all, together with the line
// `listening on <addr>` that the harness waits for (our addition, logged once the port is
// bound, so -addr 127.0.0.1:0 works).
package serve

import (
	"crypto/tls"
	"log"
	"net"
	"path/filepath"

	"google.golang.org/grpc"
)

// Listen binds addr and logs `listening on <bound addr>`; it exits if addr cannot be bound.
func Listen(addr string) net.Listener {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	log.Printf("listening on %s", lis.Addr())
	return lis
}

// GRPC listens on addr (see Listen) and serves s there; it exits if serving fails.
func GRPC(s *grpc.Server, addr string) {
	lis := Listen(addr)
	if err := s.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}

// KeyPair loads server.crt and server.key from the certificate folder, as every ch06 server's
// main does first; it exits with the book's "failed to load key pair" if they do not load.
func KeyPair(certs string) tls.Certificate {
	crtFile := filepath.Join(certs, "server.crt")
	keyFile := filepath.Join(certs, "server.key")
	cert, err := tls.LoadX509KeyPair(crtFile, keyFile)
	if err != nil {
		log.Fatalf("failed to load key pair: %s", err)
	}
	return cert
}
