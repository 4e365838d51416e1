// The book's ch05/metadata/order-service/go/client: sends metadata with its calls and reads
// what comes back. Every call carries `timestamp` (time.StampNano) and `kn: vn`; AddOrder and
// SearchOrders also carry the appended `k1: v1`, `k1: v2` and `k2: v3`. AddOrder(101) logs its
// reply and prints the `timestamp` and `location` values of the response header (log.Fatal when
// one is missing); SearchOrders("Google") logs the results and EOF; UpdateOrders sends the
// three updates with the first context only and logs the reply. No timeout.
//
// Differs from the book: `Update Orders Res : ` prints its value (the book's log.Printf has no
// verb for it, so Go prints `%!(EXTRA ...)`); a failed call ends the program with
// `<Method> failed: <err>` (log.Fatalf); -addr flag (default localhost:50051), for the harness.
// The dial, order 101 and the logged search are the ch05 clients' shared ones
// (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

func main() {
	address := flag.String("addr", "localhost:50051", "address of the order server")
	flag.Parse()

	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	// ****** Metadata : Creation ******
	md := metadata.Pairs(
		"timestamp", time.Now().Format(time.StampNano),
		"kn", "vn",
	)
	mdCtx := metadata.NewOutgoingContext(context.Background(), md)

	ctxA := metadata.AppendToOutgoingContext(mdCtx, "k1", "v1", "k1", "v2", "k2", "v3")

	// RPC using the context with new metadata.
	var header, trailer metadata.MD

	// Add Order
	res, err := client.AddOrder(ctxA, ordermgt.Order101(), grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		log.Fatalf("AddOrder failed: %v", err)
	}
	log.Print("AddOrder Response -> ", res.Value)

	// Reading the headers
	if t, ok := header["timestamp"]; ok {
		log.Printf("timestamp from header:\n")
		for i, e := range t {
			fmt.Printf(" %d. %s\n", i, e)
		}
	} else {
		log.Fatal("timestamp expected but doesn't exist in header")
	}
	if l, ok := header["location"]; ok {
		log.Printf("location from header:\n")
		for i, e := range l {
			fmt.Printf(" %d. %s\n", i, e)
		}
	} else {
		log.Fatal("location expected but doesn't exist in header")
	}

	// Search Order
	ordermgt.LogSearch(ctxA, client, "Google")

	// Update Orders
	updOrder1 := pb.Order{Id: "102", Items: []string{"Google Pixel 3A", "Google Pixel Book"}, Destination: "Mountain View, CA", Price: 1100.00}
	updOrder2 := pb.Order{Id: "103", Items: []string{"Apple Watch S4", "Mac Book Pro", "iPad Pro"}, Destination: "San Jose, CA", Price: 2800.00}
	updOrder3 := pb.Order{Id: "104", Items: []string{"Google Home Mini", "Google Nest Hub", "iPad Mini"}, Destination: "Mountain View, CA", Price: 2200.00}

	updateStream, err := client.UpdateOrders(mdCtx)
	if err != nil {
		log.Fatalf("UpdateOrders failed: %v", err)
	}
	for _, order := range []*pb.Order{&updOrder1, &updOrder2, &updOrder3} {
		if err := updateStream.Send(order); err != nil {
			log.Fatalf("%v.Send(%v) = %v", updateStream, order, err)
		}
	}
	updateRes, err := updateStream.CloseAndRecv()
	if err != nil {
		log.Fatalf("%v.CloseAndRecv() got error %v, want %v", updateStream, err, nil)
	}
	log.Printf("Update Orders Res : %s", updateRes)
}
