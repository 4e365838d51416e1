// The book's ch05/multiplexing/order-service/go/server: one gRPC server that serves two
// services, the ch05 OrderManagement and grpc-go's helloworld.Greeter, on one port.
//
// SayHello logs "Greeter Service - SayHello RPC" and answers "Hello <name>"; AddOrder logs
// "Order Management Service - AddOrder RPC" and then does what the base does. The rest is the
// ch05 base service (bookcompat/ordermgt), and reflection is registered as in the book.
//
// Differs from the book: the -addr flag (default the book's :50051) and the
// "listening on <addr>" line, for the harness.
package main

import (
	"context"
	"flag"
	"log"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"
	hello_pb "bookcompat/pb/helloworld"
	"bookcompat/serve"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
)

type orderServer struct {
	*ordermgt.Server
}

// AddOrder says which service the call reached, then adds the order as the base does.
func (s *orderServer) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	log.Println("Order Management Service - AddOrder RPC")
	return s.Server.AddOrder(ctx, orderReq)
}

type helloServer struct{}

// SayHello answers "Hello <name>".
func (s *helloServer) SayHello(ctx context.Context, in *hello_pb.HelloRequest) (*hello_pb.HelloReply, error) {
	log.Println("Greeter Service - SayHello RPC")
	return &hello_pb.HelloReply{Message: "Hello " + in.Name}, nil
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	grpcServer := grpc.NewServer()

	// Register Order Management service on gRPC orderMgtServer
	orderMgtServer := &orderServer{ordermgt.New()}
	pb.RegisterOrderManagementServer(grpcServer, orderMgtServer)

	// Register Greeter Service on gRPC orderMgtServer
	hello_pb.RegisterGreeterServer(grpcServer, &helloServer{})

	// Register reflection service on gRPC server.
	reflection.Register(grpcServer)
	serve.GRPC(grpcServer, *addr)
}
