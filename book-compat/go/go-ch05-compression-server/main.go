// The book's ch05/compression/order-service/go/server: the ch05 order service, which takes
// gzip-compressed requests.
//
// Importing grpc-go's gzip package registers the gzip codec for the whole process, so the
// server decodes requests sent with "grpc-encoding: gzip" (and compresses its replies to
// them). The service itself is the ch05 base (bookcompat/ordermgt), unchanged, as the book's
// compression server is the base copy; reflection is registered as in the book.
//
// Differs from the book: the -addr flag (default the book's :50051) and the
// "listening on <addr>" line, for the harness.
package main

import (
	"flag"

	"bookcompat/ordermgt"

	_ "google.golang.org/grpc/encoding/gzip" // Install the gzip compressor
)

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, ordermgt.New())
}
