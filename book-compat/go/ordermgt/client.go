package ordermgt

import (
	"context"
	"io"
	"log"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/serve"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
)

// Dial connects to addr with opts and returns the connection and an OrderManagement stub; it
// exits with "did not connect" if grpc.Dial fails.
func Dial(addr string, opts ...grpc.DialOption) (*grpc.ClientConn, pb.OrderManagementClient) {
	conn, err := grpc.Dial(addr, opts...)
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	return conn, pb.NewOrderManagementClient(conn)
}

// Order101 is the order the ch05 clients add: 101, an iPhone XS and a Mac Book Pro to San Jose.
func Order101() *pb.Order {
	return &pb.Order{Id: "101", Items: []string{"iPhone XS", "Mac Book Pro"}, Destination: "San Jose, CA", Price: 2300.00}
}

// AddOrderOrCode adds order 101 under ctx, as the ch05 timeout demos (deadlines, keepalive,
// multiplexing) do, and logs `AddOrder Response -> <reply>`, or on an error only its code:
// `Error Occured -> addOrder : , <code>:`.
func AddOrderOrCode(ctx context.Context, client pb.OrderManagementClient) {
	res, addErr := client.AddOrder(ctx, Order101())
	if addErr != nil {
		got := status.Code(addErr)
		log.Printf("Error Occured -> addOrder : , %v:", got)
	} else {
		log.Print("AddOrder Response -> ", res.Value)
	}
}

// LogSearch searches the orders for query and logs `Search Result : <order>` for each result,
// then `EOF`, as the interceptors and metadata clients do; a failed call ends the program
// (`SearchOrders failed: <err>`).
func LogSearch(ctx context.Context, client pb.OrderManagementClient, query string) {
	searchStream, err := client.SearchOrders(ctx, &wrappers.StringValue{Value: query})
	if err != nil {
		log.Fatalf("SearchOrders failed: %v", err)
	}
	for {
		searchOrder, err := searchStream.Recv()
		if err == io.EOF {
			log.Print("EOF")
			break
		}
		if err != nil {
			log.Fatalf("SearchOrders failed: %v", err)
		}
		log.Print("Search Result : ", searchOrder)
	}
}

// Serve registers impl and the reflection service on a new server made with opts, and serves it
// on addr (bookcompat/serve): the main of every ch05 order server but the multiplexing one.
func Serve(addr string, impl pb.OrderManagementServer, opts ...grpc.ServerOption) {
	s := grpc.NewServer(opts...)
	pb.RegisterOrderManagementServer(s, impl)
	// Register reflection service on gRPC server.
	reflection.Register(s)
	serve.GRPC(s, addr)
}
