// The book's ch02/productinfo/go/client: the ProductInfo client of chapter 2.
//
// It adds "Apple iPhone 11" and gets it back by the id the server gave, both calls under one
// context with a 1-second timeout, and logs "Product ID: <id> added successfully" and
// "Product: <product in text format>". A failed call ends it with log.Fatalf.
//
// Differs from the book: the -addr flag (default the book's localhost:50051), for the harness;
// the dial and the add-then-get calls are the shared ones of bookcompat/productinfo (the
// chapter 6 to 8 clients repeat this flow), called here with the chapter 2 product.
package main

import (
	"flag"
	"log"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"

	"google.golang.org/grpc"
)

var addr = flag.String("addr", "localhost:50051", "address of the server")

func main() {
	flag.Parse()
	conn, c := productinfo.Dial(*addr, grpc.WithInsecure())
	defer conn.Close()

	name := "Apple iPhone 11"
	description := "Meet Apple iPhone 11. All-new dual-camera system with Ultra Wide and Night mode."
	price := float32(699.00)
	product := productinfo.AddAndGet(c, &pb.Product{Name: name, Description: description, Price: price})
	log.Printf("Product: %v", product.String())
}
