// The book's ch05/interceptors/order-service/go/client: an order client with a unary and a
// stream client interceptor. It adds order 101 and searches for "Google"; the unary
// interceptor logs the method and the reply, the stream one logs the method and every message
// sent and received with its Go type and the time.
//
// Active calls as in the book: AddOrder and SearchOrders (GetOrder, UpdateOrders and
// ProcessOrders are commented out there, so left out here).
// Differs from the book: -addr flag (default localhost:50051), for the harness; a failed call
// ends the program with `AddOrder failed: <err>` / `SearchOrders failed: <err>` (log.Fatalf).
// The dial, order 101 and the logged search are the ch05 clients' shared ones
// (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"bookcompat/ordermgt"

	"google.golang.org/grpc"
)

func orderUnaryClientInterceptor(ctx context.Context, method string, req, reply interface{}, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	// Pre-processor phase
	log.Println("Method : " + method)

	// Invoking the remote method
	err := invoker(ctx, method, req, reply, cc, opts...)

	// Post-processor phase
	log.Println(reply)
	return err
}

func clientStreamInterceptor(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	log.Println("======= [Client Interceptor] ", method)
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		return nil, err
	}
	return newWrappedStream(s), nil
}

type wrappedStream struct {
	grpc.ClientStream
}

func (w *wrappedStream) RecvMsg(m interface{}) error {
	log.Printf("====== [Client Stream Interceptor] Receive a message (Type: %T) at %v", m, time.Now().Format(time.RFC3339))
	return w.ClientStream.RecvMsg(m)
}

func (w *wrappedStream) SendMsg(m interface{}) error {
	log.Printf("====== [Client Stream Interceptor] Send a message (Type: %T) at %v", m, time.Now().Format(time.RFC3339))
	return w.ClientStream.SendMsg(m)
}

func newWrappedStream(s grpc.ClientStream) grpc.ClientStream {
	return &wrappedStream{s}
}

func main() {
	address := flag.String("addr", "localhost:50051", "address of the order server")
	flag.Parse()

	// Setting up a connection to the server.
	conn, client := ordermgt.Dial(*address, grpc.WithInsecure(),
		grpc.WithUnaryInterceptor(orderUnaryClientInterceptor),
		grpc.WithStreamInterceptor(clientStreamInterceptor))
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// Add Order
	res, err := client.AddOrder(ctx, ordermgt.Order101())
	if err != nil {
		log.Fatalf("AddOrder failed: %v", err)
	}
	log.Print("AddOrder Response -> ", res.Value)

	// Search Order
	ordermgt.LogSearch(ctx, client, "Google")
}
