// The book's ch08/server-reflection/go/server: the ProductInfo server with server reflection.
//
// ProductInfo over plaintext plus reflection.Register(s), which serves
// grpc.reflection.v1alpha.ServerReflection (what the book's grpc_cli walkthrough talks to).
// Products live in a map with time-based (v1) UUIDs; an unknown id is errors.New, so the code
// is Unknown. Like the book's server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the book's, shared by the ch06 to ch08 servers
//     (bookcompat/productinfo), with a mutex around its map; the listen-and-serve tail is shared
//     too (bookcompat/serve);
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness;
//   - the stubs come from this workspace's proto, whose addProduct returns and getProduct takes
//     ecommerce.ProductID where the book's (V2) proto has google.protobuf.StringValue: the same
//     bytes on the wire, but reflection describes ProductID, and the descriptor file is our
//     product_info.proto (with its google.api.http options).
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
