// Package ordermgt is the book's chapter 5 order service, the copy every ch05 Go server starts
// from (the book's base is ch05/compression/order-service/go/server/main.go). A sample embeds
// Server and overrides the one method its section is about, as the book's copies differ from
// the base in one or two methods. Serve is the main those servers share (register, reflection,
// listen, serve), and the client side has what the ch05 clients repeat: Dial, the order 101
// they add, the timeout demos' AddOrder that logs the reply or the error's code, and the
// logged search. The book repeats all of these in each sample's folder; here one copy serves
// them all.
//
// Kept as the book has it: the ch05 sample data (order 106 costs 30.00), an unknown id answered
// with an empty Order and no error, the batching off-by-one of processOrders (a first shipment
// after 3 ids, then after every 4), and Go's random map order in searchOrders and in each batch.
// Changed: a mutex guards the map (the book's has a data race), and the misformatted
// `log.Printf("Order ID ", id, ": Updated")` prints its id.
package ordermgt

import (
	"context"
	"io"
	"log"
	"strings"
	"sync"

	pb "bookcompat/pb/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
)

const orderBatchSize = 3

// Server holds the orders, preloaded with the book's five.
type Server struct {
	mu       sync.Mutex
	orderMap map[string]pb.Order
}

// New returns a server with the book's sample orders 102 to 106.
func New() *Server {
	s := &Server{orderMap: make(map[string]pb.Order)}
	for _, o := range []pb.Order{
		{Id: "102", Items: []string{"Google Pixel 3A", "Mac Book Pro"}, Destination: "Mountain View, CA", Price: 1800.00},
		{Id: "103", Items: []string{"Apple Watch S4"}, Destination: "San Jose, CA", Price: 400.00},
		{Id: "104", Items: []string{"Google Home Mini", "Google Nest Hub"}, Destination: "Mountain View, CA", Price: 400.00},
		{Id: "105", Items: []string{"Amazon Echo"}, Destination: "San Jose, CA", Price: 30.00},
		{Id: "106", Items: []string{"Amazon Echo", "Apple iPhone XS"}, Destination: "Mountain View, CA", Price: 30.00},
	} {
		s.orderMap[o.Id] = o
	}
	return s
}

// Store saves an order, as every sample's AddOrder does before its own work.
func (s *Server) Store(order *pb.Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orderMap[order.Id] = *order
}

// Lookup returns the order with this id, or an empty one.
func (s *Server) Lookup(id string) pb.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orderMap[id]
}

// AddOrder stores the order and answers "Order Added: <id>".
func (s *Server) AddOrder(ctx context.Context, orderReq *pb.Order) (*wrappers.StringValue, error) {
	s.Store(orderReq)
	log.Println("Order : ", orderReq.Id, " -> Added")
	return &wrappers.StringValue{Value: "Order Added: " + orderReq.Id}, nil
}

// GetOrder answers the order, or an empty one for an unknown id.
func (s *Server) GetOrder(ctx context.Context, orderId *wrappers.StringValue) (*pb.Order, error) {
	order := s.Lookup(orderId.Value)
	return &order, nil
}

// SearchOrders streams every order with an item containing the query, in map order.
func (s *Server) SearchOrders(searchQuery *wrappers.StringValue, stream pb.OrderManagement_SearchOrdersServer) error {
	s.mu.Lock()
	var matches []pb.Order
	for key, order := range s.orderMap {
		for _, itemStr := range order.Items {
			if strings.Contains(itemStr, searchQuery.Value) {
				log.Print("Matching Order Found : "+key, " -> Writing Order to the stream ... ")
				matches = append(matches, order)
				break
			}
		}
	}
	s.mu.Unlock()
	for i := range matches {
		stream.Send(&matches[i])
	}
	return nil
}

// UpdateOrders upserts every order of the stream and answers the ids it updated.
func (s *Server) UpdateOrders(stream pb.OrderManagement_UpdateOrdersServer) error {
	ordersStr := "Updated Order IDs : "
	for {
		order, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&wrappers.StringValue{Value: "Orders processed " + ordersStr})
		}
		if err != nil {
			return err
		}
		s.Store(order)
		log.Printf("Order ID %s : Updated", order.Id)
		ordersStr += order.Id + ", "
	}
}

// ProcessOrders groups the ids it reads into shipments by destination and sends them in
// batches, with the book's batching off-by-one.
func (s *Server) ProcessOrders(stream pb.OrderManagement_ProcessOrdersServer) error {
	batchMarker := 1
	combinedShipmentMap := make(map[string]pb.CombinedShipment)
	for {
		orderId, err := stream.Recv()
		if err == io.EOF {
			log.Printf("EOF  %s", orderId)
			for _, shipment := range combinedShipmentMap {
				shipment := shipment
				stream.Send(&shipment)
			}
			return nil
		}
		if err != nil {
			return err
		}
		log.Printf("Reading Proc order ... %s", orderId.GetValue())
		ProcessOne(s.Lookup(orderId.GetValue()), combinedShipmentMap)
		if batchMarker == orderBatchSize {
			for _, comb := range combinedShipmentMap {
				comb := comb
				log.Printf("Shipping : %v -> %v", comb.Id, len(comb.OrdersList))
				if err := stream.Send(&comb); err != nil {
					return err
				}
			}
			batchMarker = 0
			for key := range combinedShipmentMap {
				delete(combinedShipmentMap, key)
			}
		} else {
			batchMarker++
		}
	}
}

// ProcessOne adds an order to the shipment for its destination, making the shipment first.
func ProcessOne(order pb.Order, shipments map[string]pb.CombinedShipment) {
	dest := order.Destination
	shipment, found := shipments[dest]
	if !found {
		shipment = pb.CombinedShipment{Id: "cmb - " + dest, Status: "Processed!"}
	}
	shipment.OrdersList = append(shipment.OrdersList, &order)
	shipments[dest] = shipment
}
