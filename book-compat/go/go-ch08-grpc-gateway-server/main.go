// The book's ch08/grpc-gateway/go/server: the plain ProductInfo gRPC server behind the gateway.
//
// ProductInfo over plaintext with reflection.Register(s); products live in a map with
// time-based (v1) UUIDs; an unknown id is errors.New, so the code is Unknown (HTTP 500
// through the gateway). Like the book's server it logs nothing per call.
//
// Differs from the book:
//   - the ProductInfo implementation is the one both ch08 servers share
//     (bookcompat/productinfov2), with a mutex around its map; the listen-and-serve tail is
//     shared too (bookcompat/serve);
//   - -addr (default the book's :50051) and the log line `listening on <addr>` are for the harness.
//
// The stubs come from proto/ch08/product_info.proto, the book's chapter 8 proto: the id is a
// google.protobuf.StringValue, as reflection shows.
package main

import (
	"flag"

	pb "bookcompat/pb/ch08/ecommerce"
	"bookcompat/productinfov2"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
)

var addr = flag.String("addr", ":50051", "address to listen on")

func main() {
	flag.Parse()
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &productinfov2.Server{})
	// Register reflection service on gRPC server.
	reflection.Register(s)
	serve.GRPC(s, *addr)
}
