// The book's ch03/order-service/go/service: the OrderManagement server of chapter 3.
//
// It starts with the book's orders 102 to 106 (106 costs 300.00 here, as in ch03) and serves
// all four patterns as the book does: addOrder ("Order Added: <id>"), getOrder (NOT_FOUND for
// an unknown id), searchOrders (every order with an item containing the query, in Go's random
// map order), updateOrders ("Orders processed Updated Order IDs : 102, 103, 104, ", trailing
// separator included) and processOrders (shipments per destination, sent in random map order
// after the first 3 ids and then, because the batch marker restarts at 0, after every 4; the
// rest at the client's half-close). The log lines are the book's.
//
// Differs from the book: the -addr flag (default the book's :50051) and the line
// "listening on <addr>" once bound, for the harness; the NOT_FOUND message prints the id with a
// verb ("Order does not exist. : <id>") where the book's Errorf has none and prints
// "%!(EXTRA ...)". Kept: the unsynchronised map (the book's data race; one client at a time
// here).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/serve"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const orderBatchSize = 3

var addr = flag.String("addr", ":50051", "address to listen on")

var orderMap = make(map[string]pb.Order)

// server implements ecommerce.OrderManagement over the global orderMap.
type server struct{}

// AddOrder stores the order and answers "Order Added: <id>".
func (s *server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	log.Printf("Order Added. ID : %v", orderReq.Id)
	orderMap[orderReq.Id] = *orderReq
	return &wrappers.StringValue{Value: "Order Added: " + orderReq.Id}, nil
}

// GetOrder answers the order with this id, or NOT_FOUND.
func (s *server) GetOrder(ctx context.Context, orderId *wrappers.StringValue) (*pb.Order, error) {
	ord, exists := orderMap[orderId.Value]
	if exists {
		return &ord, status.New(codes.OK, "").Err()
	}
	return nil, status.Errorf(codes.NotFound, "Order does not exist. : %v", orderId.Value)
}

// SearchOrders streams each order that has an item containing the query.
func (s *server) SearchOrders(searchQuery *wrappers.StringValue, stream pb.OrderManagement_SearchOrdersServer) error {
	for key, order := range orderMap {
		log.Print(key, order)
		for _, itemStr := range order.Items {
			log.Print(itemStr)
			if strings.Contains(itemStr, searchQuery.Value) {
				// Send the matching order in a stream
				err := stream.Send(&order)
				if err != nil {
					return fmt.Errorf("error sending message to stream : %v", err)
				}
				log.Print("Matching Order Found : " + key)
				break
			}
		}
	}
	return nil
}

// UpdateOrders upserts each streamed order and, at the half-close, answers the ids it updated.
func (s *server) UpdateOrders(stream pb.OrderManagement_UpdateOrdersServer) error {
	ordersStr := "Updated Order IDs : "
	for {
		order, err := stream.Recv()
		if err == io.EOF {
			// Finished reading the order stream.
			return stream.SendAndClose(&wrappers.StringValue{Value: "Orders processed " + ordersStr})
		}
		if err != nil {
			return err
		}
		// Update order
		orderMap[order.Id] = *order
		log.Printf("Order ID : %s - %s", order.Id, "Updated")
		ordersStr += order.Id + ", "
	}
}

// ProcessOrders gathers the streamed ids into one shipment per destination and sends the
// shipments in batches.
func (s *server) ProcessOrders(stream pb.OrderManagement_ProcessOrdersServer) error {
	batchMarker := 1
	var combinedShipmentMap = make(map[string]pb.CombinedShipment)
	for {
		orderId, err := stream.Recv()
		log.Printf("Reading Proc order : %s", orderId)
		if err == io.EOF {
			// Client has sent all the messages: send the remaining shipments.
			log.Printf("EOF : %s", orderId)
			for _, shipment := range combinedShipmentMap {
				shipment := shipment
				if err := stream.Send(&shipment); err != nil {
					return err
				}
			}
			return nil
		}
		if err != nil {
			log.Println(err)
			return err
		}

		destination := orderMap[orderId.GetValue()].Destination
		shipment, found := combinedShipmentMap[destination]
		if found {
			ord := orderMap[orderId.GetValue()]
			shipment.OrdersList = append(shipment.OrdersList, &ord)
			combinedShipmentMap[destination] = shipment
		} else {
			comShip := pb.CombinedShipment{Id: "cmb - " + (orderMap[orderId.GetValue()].Destination), Status: "Processed!"}
			ord := orderMap[orderId.GetValue()]
			comShip.OrdersList = append(shipment.OrdersList, &ord)
			combinedShipmentMap[destination] = comShip
			log.Print(len(comShip.OrdersList), comShip.GetId())
		}

		if batchMarker == orderBatchSize {
			for _, comb := range combinedShipmentMap {
				comb := comb
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
	flag.Parse()
	initSampleData()
	s := grpc.NewServer()
	pb.RegisterOrderManagementServer(s, &server{})
	serve.GRPC(s, *addr)
}

func initSampleData() {
	orderMap["102"] = pb.Order{Id: "102", Items: []string{"Google Pixel 3A", "Mac Book Pro"}, Destination: "Mountain View, CA", Price: 1800.00}
	orderMap["103"] = pb.Order{Id: "103", Items: []string{"Apple Watch S4"}, Destination: "San Jose, CA", Price: 400.00}
	orderMap["104"] = pb.Order{Id: "104", Items: []string{"Google Home Mini", "Google Nest Hub"}, Destination: "Mountain View, CA", Price: 400.00}
	orderMap["105"] = pb.Order{Id: "105", Items: []string{"Amazon Echo"}, Destination: "San Jose, CA", Price: 30.00}
	orderMap["106"] = pb.Order{Id: "106", Items: []string{"Amazon Echo", "Apple iPhone XS"}, Destination: "Mountain View, CA", Price: 300.00}
}
