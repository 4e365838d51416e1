// The book's ch05/cancellation/order-service/go/client: starts ProcessOrders with a
// cancellable context, sends ids 102, 103 and 104, receives shipments in a goroutine
// (`Combined shipment : <orders>`), and after one second cancels the context and logs
// `RPC Status : context canceled`. It then sends 101 (which fails, silently), half-closes and
// waits for the receiver, which ends with `Error Receiving messages rpc error: code = Canceled
// desc = context canceled`.
//
// Active calls as in the book: ProcessOrders only (AddOrder and GetOrder after the cancel are
// commented out there).
// Differs from the book: -addr flag (default localhost:50051), for the harness.
// The dial is the ch05 clients' shared one (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"time"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
)

func main() {
	address := flag.String("addr", "localhost:50051", "address of the order server")
	flag.Parse()

	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	ctx, cancel := context.WithCancel(context.Background())

	// Process Order : Bi-di streaming scenario
	streamProcOrder, err := client.ProcessOrders(ctx)
	if err != nil {
		log.Fatalf("%v.ProcessOrders(_) = _, %v", client, err)
	}
	for _, id := range []string{"102", "103", "104"} {
		if err := streamProcOrder.Send(&wrappers.StringValue{Value: id}); err != nil {
			log.Fatalf("%v.Send(%v) = %v", client, id, err)
		}
	}

	channel := make(chan bool, 1)
	go asncClientBidirectionalRPC(streamProcOrder, channel)
	time.Sleep(time.Millisecond * 1000)

	// Cancelling the RPC
	cancel()
	log.Printf("RPC Status : %s", ctx.Err())

	streamProcOrder.Send(&wrappers.StringValue{Value: "101"})
	streamProcOrder.CloseSend()

	<-channel
}

func asncClientBidirectionalRPC(streamProcOrder pb.OrderManagement_ProcessOrdersClient, c chan bool) {
	for {
		combinedShipment, errProcOrder := streamProcOrder.Recv()
		if errProcOrder != nil {
			log.Printf("Error Receiving messages %v", errProcOrder)
			break
		} else {
			if errProcOrder == io.EOF {
				break
			}
			log.Printf("Combined shipment : %s", combinedShipment.OrdersList)
		}
	}
	c <- true
}
