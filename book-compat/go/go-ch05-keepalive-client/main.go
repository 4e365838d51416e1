// The book's ch05/keepalive/order-service/go/client: despite the name, a second timeout demo.
//
// It sets no keepalive parameters (no keepalive.ClientParameters), so it never pings. It adds
// order 101 under a 1 s timeout; against the server's 5 s AddOrder it prints
// "Error Occured -> addOrder : , DeadlineExceeded:" (or "AddOrder Response -> <reply>" if the
// call succeeds).
//
// Differs from the book: the -addr flag (default the book's localhost:50051).
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
	address := flag.String("addr", "localhost:50051", "server address")
	flag.Parse()

	// Setting up a connection to the server.
	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	// Add Order
	ordermgt.AddOrderOrCode(ctx, client)
}
