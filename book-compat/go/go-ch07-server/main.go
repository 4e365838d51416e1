// The book's ch07/grpc-prometheus/go/server: the ProductInfo server of chapter 7 with
// Prometheus metrics.
//
// The ProductInfo implementation is the book's ch06/ch07 Go one: a time-based (v1) UUID from
// google/uuid for each added product, and errors.New (status UNKNOWN) for an unknown id. The
// server's unary and stream calls go through go-grpc-prometheus's server interceptors, and
// AddProduct counts each product name in the custom counter
// product_mgt_server_handle_count{name}. Both live in one registry, served over HTTP on
// 0.0.0.0:9092 (every path, usually scraped at /metrics).
//
// Differs from the book: the ProductInfo implementation is the one the ch06 to ch08 servers
// share (bookcompat/productinfo, with a mutex around its map), which this server's AddProduct
// wraps with its counter and its INTERNAL status; the -addr flag (default the book's :50051)
// and the line "listening on <addr>" once bound, and the -metrics-addr flag (default the
// book's 0.0.0.0:9092) and the line "metrics on <addr>" once that is bound, for the harness
// (the metrics listener is bound before the gRPC one is served, so a port that is taken
// fails the start, as the book's log.Fatal does, rather than later); the proto's getProduct takes pb.ProductID where the book's
// V2 proto has google.protobuf.StringValue (the same bytes on the wire); the INTERNAL message
// for a failed UUID prints its error with a verb where the book's Errorf has none.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"

	pb "bookcompat/pb/ecommerce"
	"bookcompat/productinfo"
	"bookcompat/serve"

	grpc_prometheus "github.com/grpc-ecosystem/go-grpc-prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var (
	addr        = flag.String("addr", ":50051", "address to listen on")
	metricsAddr = flag.String("metrics-addr", "0.0.0.0:9092", "address of the Prometheus metrics HTTP server")
)

var (
	// Create a metrics registry.
	reg = prometheus.NewRegistry()

	// Create some standard server metrics.
	grpcMetrics = grpc_prometheus.NewServerMetrics()

	// Create a customized counter metric.
	customizedCounterMetric = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "product_mgt_server_handle_count",
		Help: "Total number of RPCs handled on the server.",
	}, []string{"name"})
)

func init() {
	// Register standard server metrics and customized metrics to registry.
	reg.MustRegister(grpcMetrics, customizedCounterMetric)
}

// server implements ecommerce.ProductInfo: the shared one, whose AddProduct also counts names.
type server struct {
	*productinfo.Server
}

// AddProduct counts the product's name, then stores it under a new UUID and answers the id.
func (s *server) AddProduct(ctx context.Context, in *pb.Product) (*pb.ProductID, error) {
	customizedCounterMetric.WithLabelValues(in.Name).Inc()
	id, err := s.Server.AddProduct(ctx, in)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "Error while generating Product ID: %v", err)
	}
	return id, status.New(codes.OK, "").Err()
}

func main() {
	flag.Parse()
	lis := serve.Listen(*addr)

	// Create a HTTP server for prometheus.
	httpServer := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), Addr: *metricsAddr}
	metricsLis, err := net.Listen("tcp", *metricsAddr)
	if err != nil {
		log.Fatal("Unable to start a http server.")
	}
	log.Printf("metrics on %s", metricsLis.Addr())

	// Create a gRPC Server with the metrics interceptors.
	grpcServer := grpc.NewServer(
		grpc.StreamInterceptor(grpcMetrics.StreamServerInterceptor()),
		grpc.UnaryInterceptor(grpcMetrics.UnaryServerInterceptor()),
	)
	pb.RegisterProductInfoServer(grpcServer, &server{&productinfo.Server{}})
	// Initialize all metrics.
	grpcMetrics.InitializeMetrics(grpcServer)

	// Start your http server for prometheus.
	go func() {
		if err := httpServer.Serve(metricsLis); err != nil {
			log.Fatal("Unable to start a http server.")
		}
	}()

	if err := grpcServer.Serve(lis); err != nil {
		log.Fatalf("failed to serve: %v", err)
	}
}
