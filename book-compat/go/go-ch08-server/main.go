// The book's ch08/grpc-gateway/go/server and ch08/server-reflection/go/server, which are the
// same program: ProductInfo over plaintext plus reflection.Register(s), which serves
// grpc.reflection.v1alpha.ServerReflection (what the book's grpc_cli walkthrough talks to).
// The gateway pair puts it behind a gateway, the reflection pair asks it about itself.
//
// ProductInfo is section 4's implementation spelled in the chapter 8 proto
// (proto/ch08/product_info.proto), where the id is a google.protobuf.StringValue, as
// reflection shows: time-based (v1) UUIDs, errors.New for an unknown id (code Unknown, HTTP 500
// through the gateway), no log line per call. It is written out here rather than shared with
// bookcompat/productinfo because a binary that links both generated ProductInfo packages
// registers two descriptors named product_info.proto, and grpc-go's reflection would then
// describe chapter 2's.
//
// Differs from the book: one program for the book's two folders; a mutex around the map (the
// book's has a data race); -addr (default the book's :50051) and the log line
// `listening on <addr>` for the harness.
package main

import (
	"context"
	"errors"
	"flag"
	"sync"

	pb "bookcompat/pb/ch08/ecommerce"
	"bookcompat/serve"

	"github.com/golang/protobuf/ptypes/wrappers"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
)

var addr = flag.String("addr", ":50051", "address to listen on")

// server implements chapter 8's ecommerce.ProductInfo.
type server struct {
	mu         sync.Mutex
	productMap map[string]*pb.Product
}

// AddProduct stores the product under a new time-based UUID and answers the id.
func (s *server) AddProduct(ctx context.Context, in *pb.Product) (*wrappers.StringValue, error) {
	out, err := uuid.NewUUID()
	if err != nil {
		return nil, err
	}
	in.Id = out.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.productMap[in.Id] = in
	return &wrappers.StringValue{Value: in.Id}, nil
}

// GetProduct answers the product stored under the id, or errors.New (code Unknown).
func (s *server) GetProduct(ctx context.Context, in *wrappers.StringValue) (*pb.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value, exists := s.productMap[in.Value]; exists {
		return value, nil
	}
	return nil, errors.New("Product does not exist for the ID" + in.Value)
}

func main() {
	flag.Parse()
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &server{productMap: make(map[string]*pb.Product)})
	// Register reflection service on gRPC server.
	reflection.Register(s)
	serve.GRPC(s, *addr)
}
