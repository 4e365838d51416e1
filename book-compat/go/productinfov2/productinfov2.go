// Package productinfov2 is the book's chapter 8 Go ProductInfo server: section 4's
// implementation (bookcompat/productinfo) spelled in the chapter 8 proto, where the id is a
// google.protobuf.StringValue. The book's grpc-gateway and server-reflection servers both
// carry it; here one copy serves both.
//
// It is a package of its own, not a wrapper of bookcompat/productinfo, because a binary that
// links both generated ProductInfo packages registers two descriptors named
// product_info.proto, and grpc-go's reflection would then describe chapter 2's.
//
// Kept as the book has it: time-based (v1) UUIDs, errors.New for an unknown id (code Unknown,
// HTTP 500 through the gateway), no log line per call. Changed: a mutex guards the map.
package productinfov2

import (
	"context"
	"errors"
	"sync"

	pb "bookcompat/pb/ch08/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
	"github.com/google/uuid"
)

// Server implements chapter 8's ecommerce.ProductInfo; its zero value is ready to use.
type Server struct {
	mu         sync.Mutex
	productMap map[string]*pb.Product
}

// AddProduct stores the product under a new time-based UUID and answers the id.
func (s *Server) AddProduct(ctx context.Context, in *pb.Product) (*wrappers.StringValue, error) {
	out, err := uuid.NewUUID()
	if err != nil {
		return nil, err
	}
	in.Id = out.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.productMap == nil {
		s.productMap = make(map[string]*pb.Product)
	}
	s.productMap[in.Id] = in
	return &wrappers.StringValue{Value: in.Id}, nil
}

// GetProduct answers the product stored under the id, or errors.New (code Unknown).
func (s *Server) GetProduct(ctx context.Context, in *wrappers.StringValue) (*pb.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if value, exists := s.productMap[in.Value]; exists {
		return value, nil
	}
	return nil, errors.New("Product does not exist for the ID" + in.Value)
}
