// The book's ch08/grpc-gateway/go/client: the grpc-gateway reverse proxy, REST/JSON in front of
// the ProductInfo gRPC server.
//
// runtime.NewServeMux() with the handlers generated from the proto's google.api.http options
// (POST /v1/product -> addProduct, body "*"; GET /v1/product/{value} -> getProduct), dialing the
// gRPC server with grpc.WithInsecure(), served over HTTP.
//
// Differs from the book:
//   - -grpc-addr (default the book's localhost:50051) and -addr (default the book's :8081)
//     replace the fixed endpoint and port;
//   - http.ListenAndServe(addr, mux) is net.Listen then http.Serve, so that the bound address can
//     be logged (`listening on <addr>`) for the harness.
//
// The handlers come from this workspace's proto/ch08/product_info.proto, the book's gateway
// proto: addProduct returns a google.protobuf.StringValue, so POST /v1/product answers the
// bare JSON string "<id>", as the book shows.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"

	gw "bookcompat/pb/ch08/ecommerce"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/grpc"
)

var (
	grpcServerEndpoint = flag.String("grpc-addr", "localhost:50051", "gRPC server endpoint")
	httpAddr           = flag.String("addr", ":8081", "address to serve HTTP on")
)

func main() {
	flag.Parse()
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	mux := runtime.NewServeMux()
	opts := []grpc.DialOption{grpc.WithInsecure()}
	err := gw.RegisterProductInfoHandlerFromEndpoint(ctx, mux, *grpcServerEndpoint, opts)
	if err != nil {
		log.Fatalf("Fail to register gRPC service endpoint: %v", err)
		return
	}

	lis, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.Fatalf("Could not setup HTTP endpoint: %v", err)
	}
	log.Printf("listening on %s", lis.Addr())
	if err := http.Serve(lis, mux); err != nil {
		log.Fatalf("Could not setup HTTP endpoint: %v", err)
	}
}
