// The book's ch08/server-reflection/go/server: the ProductInfo server with server reflection.
//
// ProductInfo over plaintext plus reflection.Register(s), which serves
// grpc.reflection.v1alpha.ServerReflection (what the book's grpc_cli walkthrough talks to).
// Products live in a map with time-based (v1) UUIDs; an unknown id is errors.New, so the code
// is Unknown. Like the book's server it logs nothing per call.
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
