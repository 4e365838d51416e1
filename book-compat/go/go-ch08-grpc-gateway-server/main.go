// The book's ch08/grpc-gateway/go/server: the plain ProductInfo gRPC server behind the gateway.
//
// ProductInfo over plaintext with reflection.Register(s); products live in a map with
// time-based (v1) UUIDs; an unknown id is errors.New, so the code is Unknown (HTTP 500
// through the gateway). Like the book's server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the book's, shared by the ch06 to ch08 servers
//     (bookcompat/productinfo), with a mutex around its map; the listen-and-serve tail is shared
//     too (bookcompat/serve);
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness;
//   - the stubs come from this workspace's proto, whose addProduct returns and getProduct takes
//     ecommerce.ProductID where the book's gateway proto has google.protobuf.StringValue: the
//     same bytes on the wire, but reflection describes ProductID.
package main

import (
	"flag"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
)

var addr = flag.String("addr", ":50051", "address to listen on")

func main() {
	flag.Parse()
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &productinfo.Server{})
	// Register reflection service on gRPC server.
	reflection.Register(s)
	serve.GRPC(s, *addr)
}
