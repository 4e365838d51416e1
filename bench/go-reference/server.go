// The grpc-go peer of ch02-server and ch03-server: the book's ProductInfo (chapter 2) and
// OrderManagement (chapter 3, in orders.go) doing exactly the work our servers do, so the bench
// compares grpc-go with tonic on one machine. Unlike the book's Go servers, the maps sit behind
// locks (the book's are data races), `-addr` chooses the address and `-no-call-logs` silences
// the per-call lines; it logs its address as our servers do, so the bench finds the port.
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

type productServer struct {
	// Checked before each per-call log line, so a silent server does not even format it.
	logCalls bool
	mu       sync.RWMutex
	products map[string]*pb.Product
}

func (s *productServer) AddProduct(ctx context.Context, in *pb.Product) (*pb.ProductID, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, status.Errorf(codes.Internal, "generating a product id: %v", err)
	}
	in.Id = hex.EncodeToString(id)
	s.mu.Lock()
	s.products[in.Id] = in
	s.mu.Unlock()
	if s.logCalls {
		log.Printf("Product %v : %v - Added.", in.Id, in.Name)
	}
	return &pb.ProductID{Value: in.Id}, nil
}

func (s *productServer) GetProduct(ctx context.Context, in *pb.ProductID) (*pb.Product, error) {
	s.mu.RLock()
	product, exists := s.products[in.Value]
	s.mu.RUnlock()
	if !exists {
		return nil, status.Errorf(codes.NotFound, "Product does not exist: %v", in.Value)
	}
	if s.logCalls {
		log.Printf("Product %v : %v - Retrieved.", product.Id, product.Name)
	}
	return product, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:50051", "address to listen on")
	noCallLogs := flag.Bool("no-call-logs", false, "log only the start line, nothing per call")
	flag.Parse()
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("failed to listen: %v", err)
	}
	s := grpc.NewServer()
	pb.RegisterProductInfoServer(s, &productServer{
		logCalls: !*noCallLogs,
		products: make(map[string]*pb.Product),
	})
	pb.RegisterOrderManagementServer(s, newOrderServer(!*noCallLogs))
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
