// The book's ch05/keepalive/order-service/go/server: despite the name, a second timeout demo.
//
// The book's server sets no keepalive parameters at all (no keepalive.ServerParameters, no
// EnforcementPolicy), so grpc-go's defaults apply: the server sends no keepalive PINGs (only
// its flow-control BDP PINGs), and it counts a client's PING as a strike when it comes less
// than 5 minutes after the previous one during a call (2 hours without a call), answering the
// third strike with GOAWAY "too_many_pings". AddOrder logs "Sleeping for : 5 s", sleeps 5 s
// without looking at its context, then adds the order as the base does. The rest is the ch05
// base service (bookcompat/ordermgt); reflection is registered as in the book.
//
// Differs from the book: the -addr flag (default the book's :50051) and the
// "listening on <addr>" line, for the harness.
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
)

type server struct {
	*ordermgt.Server
}

// AddOrder sleeps 5 s, then adds the order.
func (s *server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	log.Println("Sleeping for : 5 s")
	time.Sleep(5 * time.Second)
	return s.Server.AddOrder(ctx, orderReq)
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, &server{ordermgt.New()})
}
