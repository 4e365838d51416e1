// The book's ch05/deadlines/order-service/go/server: the chapter 5 order service whose
// AddOrder stores the order, then works (sleeps) for 5 seconds. If the caller's deadline
// passed meanwhile it logs `RPC has reached deadline exceeded state : <err>` and returns the
// context's error; otherwise it answers `Order Added: <id>`. No interceptors.
//
// Differs from the book: the other methods are the shared ch05 base (bookcompat/ordermgt: a
// mutex around the map, the UpdateOrders log line prints its id); -addr flag (default :50051)
// and a `listening on <addr>` line once bound, for the harness.
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

// AddOrder takes 5 seconds, and gives up if the deadline passed meanwhile.
func (s *server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	s.Store(orderReq)

	sleepDuration := 5
	log.Println("Sleeping for :", sleepDuration, "s")
	time.Sleep(time.Duration(sleepDuration) * time.Second)

	if ctx.Err() == context.DeadlineExceeded {
		log.Printf("RPC has reached deadline exceeded state : %s", ctx.Err())
		return nil, ctx.Err()
	}

	return &wrappers.StringValue{Value: "Order Added: " + orderReq.Id}, nil
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, &server{ordermgt.New()})
}
