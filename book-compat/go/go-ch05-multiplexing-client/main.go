// The book's ch05/multiplexing/order-service/go/client: one ClientConn, two stubs.
//
// It dials the server once and makes an OrderManagement stub and a Greeter stub on that one
// connection. AddOrder(101) under a 1 s timeout prints "AddOrder Response -> Order Added: 101"
// (or "Error Occured -> addOrder : , <code>:"); SayHello("gRPC Up and Running!") under its own
// 1 s timeout prints "Greeting:  Hello gRPC Up and Running!", and a failure is fatal.
//
// Differs from the book: the -addr flag (default the book's localhost:50051).
// The dial, and the AddOrder(101) that logs the reply or the error's code, are shared by the
// deadlines, keepalive and multiplexing clients (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"bookcompat/ordermgt"
	hwpb "bookcompat/pb/helloworld"

	"google.golang.org/grpc"
)

func main() {
	address := flag.String("addr", "localhost:50051", "server address")
	flag.Parse()

	// Setting up a connection to the server, passed to both stubs.
	conn, orderManagementClient := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	// Add Order
	ordermgt.AddOrderOrCode(ctx, orderManagementClient)

	helloClient := hwpb.NewGreeterClient(conn)

	hwcCtx, hwcCancel := context.WithTimeout(context.Background(), time.Second)
	defer hwcCancel()

	// Contact the server and print out its response.
	name := "gRPC Up and Running!"
	helloResponse, err := helloClient.SayHello(hwcCtx, &hwpb.HelloRequest{Name: name})
	if err != nil {
		log.Fatalf("could not greet: %v", err)
	}
	log.Println("Greeting: ", helloResponse.Message)
}
