// The book's ch05/deadlines/order-service/go/client: adds order 101 with a deadline 2 seconds
// away. Against the book's server (5 seconds of work) it logs
// `Error Occured -> addOrder : , DeadlineExceeded:`; on success `AddOrder Response -> ...`.
//
// Active calls as in the book: AddOrder only (the rest is commented out there).
// Differs from the book: -addr flag (default localhost:50051), for the harness.
// The dial, and the AddOrder(101) that logs the reply or the error's code, are shared by the
// deadlines, keepalive and multiplexing clients (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"time"

	"bookcompat/ordermgt"

	"google.golang.org/grpc"
)

func main() {
	address := flag.String("addr", "localhost:50051", "address of the order server")
	flag.Parse()

	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	clientDeadline := time.Now().Add(time.Duration(2 * time.Second))
	ctx, cancel := context.WithDeadline(context.Background(), clientDeadline)
	defer cancel()

	// Add Order
	ordermgt.AddOrderOrCode(ctx, client)
}
