// Package productinfo is the book's Go ProductInfo code of chapters 6 to 8: the server
// implementation (section 4's, which every ch06 and ch07 Go server carries; go-ch08-server
// carries its chapter 8 spelling) and the clients' add-then-get flow (chapter 2's, which every
// ch06 client and the ch07 client repeat with the Samsung Galaxy S10). The book copies both into each sample; here one copy serves
// them all, and each sample's main.go keeps what it is about: its credentials, interceptors,
// metrics or reflection, and its own `Product: ` log line.
//
// Kept as the book has it: time-based (v1) UUIDs from google/uuid, an unknown id answered with
// errors.New("Product does not exist for the ID" + id) (so the code is Unknown, HTTP 500
// through the gateway), no log line per call on the server. Changed: a mutex guards the map
// (the book's has a data race).
package productinfo

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	pb "bookcompat/pb/ecommerce"

	"github.com/google/uuid"
	"google.golang.org/grpc"
)

// Server implements ecommerce.ProductInfo; its zero value is ready to use.
type Server struct {
	mu         sync.Mutex
	productMap map[string]*pb.Product
}

// AddProduct stores the product under a new time-based UUID and answers the id. Its only
// error is uuid.NewUUID's, returned as it is.
func (s *Server) AddProduct(ctx context.Context, in *pb.Product) (*pb.ProductID, error) {
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
	return &pb.ProductID{Value: in.Id}, nil
}

// GetProduct answers the product stored under the id, or errors.New (code Unknown).
func (s *Server) GetProduct(ctx context.Context, in *pb.ProductID) (*pb.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	value, exists := s.productMap[in.Value]
	if exists {
		return value, nil
	}
	return nil, errors.New("Product does not exist for the ID" + in.Value)
}

// Dial connects to addr with opts and returns the connection and a ProductInfo stub; it exits
// with "did not connect" if grpc.Dial fails.
func Dial(addr string, opts ...grpc.DialOption) (*grpc.ClientConn, pb.ProductInfoClient) {
	conn, err := grpc.Dial(addr, opts...)
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	return conn, pb.NewProductInfoClient(conn)
}

// GalaxyS10 is the product the ch06 and ch07 clients add, under the name the sample spells
// ("Sumsung S10", the book's typo, in all but the mutual TLS client).
func GalaxyS10(name string) *pb.Product {
	return &pb.Product{
		Name:        name,
		Description: "Samsung Galaxy S10 is the latest smart phone, launched in February 2019",
		Price:       float32(700.0),
	}
}

// AddAndGet adds the product and gets it back by the id the server gave, both calls under one
// context with a 1-second timeout. It logs `Product ID: <id> added successfully` and returns
// the product, for the caller to log; a failed call ends the program ("Could not add product:
// <err>", "Could not get product: <err>").
func AddAndGet(c pb.ProductInfoClient, product *pb.Product) *pb.Product {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r, err := c.AddProduct(ctx, product)
	if err != nil {
		log.Fatalf("Could not add product: %v", err)
	}
	log.Printf("Product ID: %s added successfully", r.Value)

	got, err := c.GetProduct(ctx, &pb.ProductID{Value: r.Value})
	if err != nil {
		log.Fatalf("Could not get product: %v", err)
	}
	return got
}
