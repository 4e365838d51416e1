// The book's ch02/productinfo/go/server: the ProductInfo server of chapter 2.
//
// It keeps products in a map, gives each added product a random (v4) UUID from gofrs/uuid,
// logs "Product <id> : <name> - Added." and "... - Retrieved.", and answers an unknown id with
// NOT_FOUND "Product does not exist.".
//
// Differs from the book: the -addr flag (default the book's :50051) and the line
// "listening on <addr>" once bound, for the harness; the NOT_FOUND message prints the id with a
// verb ("Product does not exist. <id>") where the book's Errorf has none and prints
// "%!(EXTRA string=<id>)"; likewise the INTERNAL message for a failed UUID prints its error.
package main

import (
	"context"
	"flag"
	"log"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/serve"

	"github.com/gofrs/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var addr = flag.String("addr", ":50051", "address to listen on")

// server implements ecommerce.ProductInfo.
type server struct {
	productMap map[string]*pb.Product
}

// AddProduct stores the product under a new UUID and answers the id.
func (s *server) AddProduct(ctx context.Context, in *pb.Product) (*pb.ProductID, error) {
	out, err := uuid.NewV4()
	if err != nil {
		return nil, status.Errorf(codes.Internal, "Error while generating Product ID: %v", err)
	}
	in.Id = out.String()
	if s.productMap == nil {
		s.productMap = make(map[string]*pb.Product)
	}
	s.productMap[in.Id] = in
	log.Printf("Product %v : %v - Added.", in.Id, in.Name)
	return &pb.ProductID{Value: in.Id}, status.New(codes.OK, "").Err()
}

// GetProduct answers the product stored under the id, or NOT_FOUND.
func (s *server) GetProduct(ctx context.Context, in *pb.ProductID) (*pb.Product, error) {
	value, exists := s.productMap[in.Value]
	if exists {
		log.Printf("Product %v : %v - Retrieved.", value.Id, value.Name)
		return value, status.New(codes.OK, "").Err()
	}
	return nil, status.Errorf(codes.NotFound, "Product does not exist. %v", in.Value)
}

func main() {
	flag.Parse()
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &server{})
	serve.GRPC(s, *addr)
}
