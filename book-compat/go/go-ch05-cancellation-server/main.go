// The book's ch05/cancellation/order-service/go/server: the chapter 5 order service whose
// ProcessOrders checks, before each Recv, whether the client cancelled the stream; if so it
// logs ` Context Cacelled for this stream: -> <err>` and
// `Stopped processing any more order of this stream!` and returns the context's error.
// GetOrder logs `Get Order :  <id>`.
//
// Kept as the book has it: ProcessOrders has no check for a non-EOF Recv error, so on a cancel
// it processes one empty (nil) id, then stops at the next context check; the batching
// off-by-one and Go's random map order of the base.
// Differs from the book: the other methods are the shared ch05 base (bookcompat/ordermgt: a
// mutex around the map, the UpdateOrders log line prints its id); -addr flag (default :50051)
// and a `listening on <addr>` line once bound, for the harness.
package main

import (
	"context"
	"flag"
	"io"
	"log"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
)

const orderBatchSize = 3

type server struct {
	*ordermgt.Server
}

// GetOrder logs the id it is asked for, then answers as the base does.
func (s *server) GetOrder(ctx context.Context, orderId *wrappers.StringValue) (*pb.Order, error) {
	log.Println("Get Order : ", orderId.Value)
	return s.Server.GetOrder(ctx, orderId)
}

// ProcessOrders is the base's bidirectional batching, stopping when the client cancels.
func (s *server) ProcessOrders(stream pb.OrderManagement_ProcessOrdersServer) error {
	batchMarker := 1
	var combinedShipmentMap = make(map[string]pb.CombinedShipment)
	for {
		// You can determine whether the current RPC is cancelled by the other party.
		if stream.Context().Err() == context.Canceled {
			log.Printf(" Context Cacelled for this stream: -> %s", stream.Context().Err())
			log.Printf("Stopped processing any more order of this stream!")
			return stream.Context().Err()
		}

		orderId, err := stream.Recv()
		if err == io.EOF {
			// Client has sent all the messages
			// Send remaining shipments
			log.Printf("EOF for  %s", orderId)
			for _, shipment := range combinedShipmentMap {
				shipment := shipment
				stream.Send(&shipment)
			}
			return nil
		}

		log.Printf("Reading Proc order ... %s", orderId.GetValue())
		ordermgt.ProcessOne(s.Lookup(orderId.GetValue()), combinedShipmentMap)

		if batchMarker == orderBatchSize {
			// Stream combined orders to the client in batches
			for _, comb := range combinedShipmentMap {
				comb := comb
				// Send combined shipment to the client
				log.Printf("Shipping : %v -> %v", comb.Id, len(comb.OrdersList))
				if err := stream.Send(&comb); err != nil {
					return err
				}
			}
			batchMarker = 0
			combinedShipmentMap = make(map[string]pb.CombinedShipment)
		} else {
			batchMarker++
		}
	}
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, &server{ordermgt.New()})
}
