// OrderManagement for the grpc-go peer, doing what ch03-server (ch03-patterns) does rather than
// what the book's Go server does, so the bench times the same work: the book's sample orders
// 102 to 106 preloaded, searchOrders answering in id order, and processOrders shipping after
// exactly every 3 orders, destinations in the order they first appeared, and ending with
// NOT_FOUND on an unknown id (the book's Go map order is random, its batches are 3 then 4, and
// it ships an unknown id as an empty order).
package main

import (
	"context"
	"io"
	"log"
	"sort"
	"strings"
	"sync"

	pb "productinfo/ecommerce"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// How many orders processOrders gathers before it ships everything pending.
const batchSize = 3

type orderServer struct {
	// Checked before each per-call log line, so a silent server does not even format it.
	logCalls bool
	mu       sync.RWMutex
	// Stored orders are replaced, never changed in place, so they may be sent after unlocking.
	orders map[string]*pb.Order
}

func newOrderServer(logCalls bool) *orderServer {
	s := &orderServer{logCalls: logCalls, orders: make(map[string]*pb.Order)}
	for _, order := range bookOrders() {
		s.orders[order.Id] = order
	}
	return s
}

// The book's initSampleData(), chapter 3 values, as ch03-patterns' store.rs has them.
func bookOrders() []*pb.Order {
	return []*pb.Order{
		{Id: "102", Items: []string{"Google Pixel 3A", "Mac Book Pro"}, Destination: "Mountain View, CA", Price: 1800.00},
		{Id: "103", Items: []string{"Apple Watch S4"}, Destination: "San Jose, CA", Price: 400.00},
		{Id: "104", Items: []string{"Google Home Mini", "Google Nest Hub"}, Destination: "Mountain View, CA", Price: 400.00},
		{Id: "105", Items: []string{"Amazon Echo"}, Destination: "San Jose, CA", Price: 30.00},
		{Id: "106", Items: []string{"Amazon Echo", "Apple iPhone XS"}, Destination: "Mountain View, CA", Price: 300.00},
	}
}

func (s *orderServer) upsert(order *pb.Order) {
	s.mu.Lock()
	s.orders[order.Id] = order
	s.mu.Unlock()
}

func (s *orderServer) get(id string) (*pb.Order, bool) {
	s.mu.RLock()
	order, exists := s.orders[id]
	s.mu.RUnlock()
	return order, exists
}

func (s *orderServer) AddOrder(ctx context.Context, in *pb.Order) (*wrappers.StringValue, error) {
	if in.Id == "" {
		return nil, status.Error(codes.InvalidArgument, "Order id is empty")
	}
	s.upsert(in)
	if s.logCalls {
		log.Printf("Order Added. ID : %v", in.Id)
	}
	return &wrappers.StringValue{Value: "Order Added: " + in.Id}, nil
}

func (s *orderServer) GetOrder(ctx context.Context, in *wrappers.StringValue) (*pb.Order, error) {
	order, exists := s.get(in.Value)
	if !exists {
		return nil, status.Errorf(codes.NotFound, "Order does not exist: %v", in.Value)
	}
	return order, nil
}

func (s *orderServer) SearchOrders(query *wrappers.StringValue, stream pb.OrderManagement_SearchOrdersServer) error {
	for _, order := range s.matching(query.Value) {
		if err := stream.Send(order); err != nil {
			return err
		}
		if s.logCalls {
			log.Printf("Matching Order Found : %v", order.Id)
		}
	}
	return nil
}

// The orders with an item containing query, by id. Go maps have no order, so the matches are
// sorted, under the read lock so that they are one snapshot of the store.
func (s *orderServer) matching(query string) []*pb.Order {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var found []*pb.Order
	for _, order := range s.orders {
		for _, item := range order.Items {
			if strings.Contains(item, query) {
				found = append(found, order)
				break
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Id < found[j].Id })
	return found
}

func (s *orderServer) UpdateOrders(stream pb.OrderManagement_UpdateOrdersServer) error {
	var updated []string
	for {
		order, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&wrappers.StringValue{
				Value: "Orders processed Updated Order IDs : " + strings.Join(updated, ", "),
			})
		}
		if err != nil {
			return err
		}
		if order.Id == "" {
			return status.Errorf(codes.InvalidArgument,
				"Order id is empty; updated before it: [%s]", strings.Join(updated, ", "))
		}
		s.upsert(order)
		if s.logCalls {
			log.Printf("Order ID : %v - Updated", order.Id)
		}
		updated = append(updated, order.Id)
	}
}

// Reads ids and sends shipments from the one handler goroutine: Recv blocks only for the next
// id, so each batch goes out as soon as its third order arrives, while the client still sends.
func (s *orderServer) ProcessOrders(stream pb.OrderManagement_ProcessOrdersServer) error {
	var shipments shipments
	for {
		id, err := stream.Recv()
		if err == io.EOF {
			return s.ship(stream, shipments.flush())
		}
		if err != nil {
			return err
		}
		if s.logCalls {
			log.Printf("Reading Proc order : %v", id.Value)
		}
		order, exists := s.get(id.Value)
		if !exists {
			if err := s.ship(stream, shipments.flush()); err != nil {
				return err
			}
			return status.Errorf(codes.NotFound, "Order does not exist: %v", id.Value)
		}
		if err := s.ship(stream, shipments.add(order)); err != nil {
			return err
		}
	}
}

func (s *orderServer) ship(stream pb.OrderManagement_ProcessOrdersServer, ready []*pb.CombinedShipment) error {
	for _, shipment := range ready {
		if err := stream.Send(shipment); err != nil {
			return err
		}
		if s.logCalls {
			log.Printf("Shipping : %v -> %v", shipment.Id, len(shipment.OrdersList))
		}
	}
	return nil
}

// Orders waiting to ship, one combined shipment per destination, in the order the
// destinations first appeared (a slice, so the output is the same on every run).
type shipments struct {
	pending       []*pb.CombinedShipment
	ordersInBatch int
}

// Adds the order to its destination's shipment; returns everything pending when this order
// completes a batch, nothing otherwise.
func (b *shipments) add(order *pb.Order) []*pb.CombinedShipment {
	id := "cmb - " + order.Destination
	var shipment *pb.CombinedShipment
	for _, pending := range b.pending {
		if pending.Id == id {
			shipment = pending
			break
		}
	}
	if shipment == nil {
		shipment = &pb.CombinedShipment{Id: id, Status: "Processed!"}
		b.pending = append(b.pending, shipment)
	}
	shipment.OrdersList = append(shipment.OrdersList, order)
	b.ordersInBatch++
	if b.ordersInBatch == batchSize {
		return b.flush()
	}
	return nil
}

func (b *shipments) flush() []*pb.CombinedShipment {
	ready := b.pending
	b.pending = nil
	b.ordersInBatch = 0
	return ready
}
