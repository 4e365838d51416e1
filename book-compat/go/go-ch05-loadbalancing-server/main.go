// The book's ch05/loadbalancing/echo/go/server: two echo backends in one process.
//
// It starts a gRPC server on each address (the book's :50051 and :50052), each in its own
// goroutine, each logging "serving on <addr>". UnaryEcho answers "<message> (from <addr>)",
// e.g. "this is examples/load_balancing (from :50051)", so a client sees which backend
// answered; the three streaming methods answer Unimplemented "not implemented".
//
// Differs from the book: the -addrs flag (a comma-separated list, default the book's
// ":50051,:50052") and a "listening on <addr>" line per backend, for the harness. An address
// with port 0 is named by the port it got (e.g. "127.0.0.1:40123") in "serving on" and in
// the replies, where the book names the address it was given.
package main

import (
	"context"
	"flag"
	"log"
	"strings"
	"sync"

	ecpb "bookcompat/pb/echo"
	"bookcompat/serve"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

type ecServer struct {
	addr string
}

func (s *ecServer) UnaryEcho(ctx context.Context, req *ecpb.EchoRequest) (*ecpb.EchoResponse, error) {
	return &ecpb.EchoResponse{Message: req.Message + " (from " + s.addr + ")"}, nil
}
func (s *ecServer) ServerStreamingEcho(*ecpb.EchoRequest, ecpb.Echo_ServerStreamingEchoServer) error {
	return status.Errorf(codes.Unimplemented, "not implemented")
}
func (s *ecServer) ClientStreamingEcho(ecpb.Echo_ClientStreamingEchoServer) error {
	return status.Errorf(codes.Unimplemented, "not implemented")
}
func (s *ecServer) BidirectionalStreamingEcho(ecpb.Echo_BidirectionalStreamingEchoServer) error {
	return status.Errorf(codes.Unimplemented, "not implemented")
}

func startServer(addr string) {
	lis := serve.Listen(addr)
	if strings.HasSuffix(addr, ":0") {
		addr = lis.Addr().String()
	}
	s := grpc.NewServer()
	ecpb.RegisterEchoServer(s, &ecServer{addr: addr})
	log.Printf("serving on %s\n", addr)
	if err := s.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}

func main() {
	addrsFlag := flag.String("addrs", ":50051,:50052", "comma-separated addresses of the backends")
	flag.Parse()
	addrs := strings.Split(*addrsFlag, ",")

	var wg sync.WaitGroup
	for _, addr := range addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			startServer(addr)
		}(addr)
	}
	wg.Wait()
}
