// The book's ch05/error-handling/order-service/go/server: the chapter 5 order service whose
// AddOrder rejects order id "-1": it logs `Order ID is invalid! -> Received Order ID -1` and
// fails with InvalidArgument "Invalid information received", carrying a
// google.rpc.BadRequest.FieldViolation (field "ID") in the status details, packed on its own
// (not in a BadRequest). Any other order is stored and answered `Order Added: <id>`.
//
// Differs from the book: the other methods, and AddOrder of a valid order, are the shared ch05
// base (bookcompat/ordermgt: a mutex around the map, the UpdateOrders log line prints its id);
// -addr flag (default :50051) and a `listening on <addr>` line once bound, for the harness.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
	epb "google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type server struct {
	*ordermgt.Server
}

// AddOrder rejects order id "-1" with a rich error; any other order is added.
func (s *server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	if orderReq.Id == "-1" {
		log.Printf("Order ID is invalid! -> Received Order ID %s", orderReq.Id)

		errorStatus := status.New(codes.InvalidArgument, "Invalid information received")
		ds, err := errorStatus.WithDetails(
			&epb.BadRequest_FieldViolation{
				Field:       "ID",
				Description: fmt.Sprintf("Order ID received is not valid %s : %s", orderReq.Id, orderReq.Description),
			},
		)
		if err != nil {
			return nil, errorStatus.Err()
		}

		return nil, ds.Err()
	}
	return s.Server.AddOrder(ctx, orderReq)
}

func main() {
	addr := flag.String("addr", ":50051", "address to listen on")
	flag.Parse()

	ordermgt.Serve(*addr, &server{ordermgt.New()})
}
