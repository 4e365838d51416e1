// The book's ch05/compression/order-service/go/client: AddOrder with a gzip-compressed request.
//
// It adds order 101 under a 5 s timeout with grpc.UseCompressor(gzip.Name), so the request
// carries "grpc-encoding: gzip" and its message goes out compressed (flag 1), and prints
// "AddOrder Response -> Order Added: 101". The book's other calls are commented out there,
// and are left out here.
//
// Differs from the book: the -addr flag (default the book's localhost:50051).
// The dial and order 101 are the ch05 clients' shared ones (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"bookcompat/ordermgt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding/gzip"
)

func main() {
	address := flag.String("addr", "localhost:50051", "server address")
	flag.Parse()

	// Setting up a connection to the server.
	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// Add Order, compressed with gzip
	res, err := client.AddOrder(ctx, ordermgt.Order101(), grpc.UseCompressor(gzip.Name))
	if err != nil {
		log.Fatalf("could not add order: %v", err)
	}
	log.Print("AddOrder Response -> ", res.Value)
}
