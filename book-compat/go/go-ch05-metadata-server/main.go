// The book's ch05/metadata/order-service/go/server: the chapter 5 order service reading and
// sending metadata. AddOrder adds the order, prints the caller's `timestamp` metadata
// (`timestamp from metadata:`, `====> Metadata <n>. <value>`; no metadata at all is DataLoss
// "UnaryEcho: failed to get metadata") and sends the header `location: San Jose` with a
// `timestamp`. SearchOrders sends the header `location: MTV` with a `timestamp` before the
// orders, and a `timestamp` trailer at the end (deferred SetTrailer). Timestamps are Go's
// time.StampNano layout.
//
// Differs from the book: the other methods, and the storing and logging of AddOrder and the
// search of SearchOrders, are the shared ch05 base (bookcompat/ordermgt: a mutex around the
// map, the UpdateOrders log line prints its id); -addr flag (default :50051) and a
// `listening on <addr>` line once bound, for the harness.
package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

type server struct {
	*ordermgt.Server
}

// AddOrder adds the order, prints the caller's timestamp and answers with header metadata.
func (s *server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	reply, err := s.Server.AddOrder(ctx, orderReq)

	// ***** Reading Metadata from Client *****
	md, metadataAvailable := metadata.FromIncomingContext(ctx)
	if !metadataAvailable {
		return nil, status.Errorf(codes.DataLoss, "UnaryEcho: failed to get metadata")
	}
	if t, ok := md["timestamp"]; ok {
		fmt.Printf("timestamp from metadata:\n")
		for i, e := range t {
			fmt.Printf("====> Metadata %d. %s\n", i, e)
		}
	}

	// ***** Creating and sending Headers *****
	header := metadata.New(map[string]string{"location": "San Jose", "timestamp": time.Now().Format(time.StampNano)})
	grpc.SendHeader(ctx, header)

	return reply, err
}

// SearchOrders answers with header metadata first and a timestamp trailer at the end.
func (s *server) SearchOrders(searchQuery *wrappers.StringValue, stream pb.OrderManagement_SearchOrdersServer) error {
	defer func() {
		trailer := metadata.Pairs("timestamp", time.Now().Format(time.StampNano))
		stream.SetTrailer(trailer)
	}()

	header := metadata.New(map[string]string{"location": "MTV", "timestamp": time.Now().Format(time.StampNano)})
	stream.SendHeader(header)

	return s.Server.SearchOrders(searchQuery, stream)
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, &server{ordermgt.New()})
}
