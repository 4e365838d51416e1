// A grpc-go ProductInfo server doing what the book's chapter 2 Go server does (a map of
// products, one log line per call), for comparing ch02-server with grpc-go on one machine.
// Unlike the book's, the map sits behind a lock (the book's is a data race) and `-addr`
// chooses the address; it logs its address as our servers do, so the bench finds the port.
//
// Built by build.sh from Debian's grpc-go (golang-google-grpc-dev, grpc-go 1.33.3).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	pb "productinfo/ecommerce"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type server struct {
	mu       sync.RWMutex
	products map[string]*pb.Product
}

func (s *server) AddProduct(ctx context.Context, in *pb.Product) (*pb.ProductID, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, status.Errorf(codes.Internal, "generating a product id: %v", err)
	}
	in.Id = hex.EncodeToString(id)
	s.mu.Lock()
	s.products[in.Id] = in
	s.mu.Unlock()
	log.Printf("Product %v : %v - Added.", in.Id, in.Name)
	return &pb.ProductID{Value: in.Id}, nil
}

func (s *server) GetProduct(ctx context.Context, in *pb.ProductID) (*pb.Product, error) {
	s.mu.RLock()
	product, exists := s.products[in.Value]
	s.mu.RUnlock()
	if !exists {
		return nil, status.Errorf(codes.NotFound, "Product does not exist: %v", in.Value)
	}
	log.Printf("Product %v : %v - Retrieved.", product.Id, product.Name)
	return product, nil
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &server{products: make(map[string]*pb.Product)})
	log.Printf("Server started, listening on %v", listener.Addr())
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		<-stop
		s.GracefulStop()
	}()
	if err := s.Serve(listener); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}
