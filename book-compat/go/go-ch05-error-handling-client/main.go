// The book's ch05/error-handling/order-service/go/client: adds order "-1" with a 5-second
// timeout. On InvalidArgument it logs `Invalid Argument Error : InvalidArgument` and each
// status detail: a BadRequest.FieldViolation as `Request Field Invalid: <violation>`, anything
// else as `Unexpected error type: <detail>`. Other codes log `Unhandled error : <code>`.
//
// Active calls as in the book: AddOrder only.
// Differs from the book: -addr flag (default localhost:50051), for the harness.
// The dial is the ch05 clients' shared one (bookcompat/ordermgt).
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"bookcompat/ordermgt"
	pb "bookcompat/pb/ecommerce"

	epb "google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func main() {
	address := flag.String("addr", "localhost:50051", "address of the order server")
	flag.Parse()

	conn, client := ordermgt.Dial(*address, grpc.WithInsecure())
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// Add Order with an invalid id
	order1 := pb.Order{Id: "-1", Items: []string{"iPhone XS", "Mac Book Pro"}, Destination: "San Jose, CA", Price: 2300.00}
	res, addOrderError := client.AddOrder(ctx, &order1)

	if addOrderError != nil {
		errorCode := status.Code(addOrderError)
		if errorCode == codes.InvalidArgument {
			log.Printf("Invalid Argument Error : %s", errorCode)
			errorStatus := status.Convert(addOrderError)
			for _, d := range errorStatus.Details() {
				switch info := d.(type) {
				case *epb.BadRequest_FieldViolation:
					log.Printf("Request Field Invalid: %s", info)
				default:
					log.Printf("Unexpected error type: %s", info)
				}
			}
		} else {
			log.Printf("Unhandled error : %s ", errorCode)
		}
	} else {
		log.Print("AddOrder Response -> ", res.Value)
	}
}
