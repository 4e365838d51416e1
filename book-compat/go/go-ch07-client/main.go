// The book's ch07/grpc-prometheus/go/client: the ProductInfo client of chapter 7 with
// Prometheus client metrics.
//
// Its unary calls go through go-grpc-prometheus's client interceptor, whose series
// (grpc_client_started_total, grpc_client_handled_total, ...) are served over HTTP on
// 0.0.0.0:9094. Forever, it adds "Sumsung S10" (the book's typo) and gets it back, both calls
// under one 1-second context, logging "Product ID: <id> added successfully" and
// "Product: <product>", then sleeps 3 seconds.
//
// Differs from the book: the -addr flag (default the book's localhost:50051), the
// -metrics-addr flag (default the book's 0.0.0.0:9094) and the -rounds flag (0, the default,
// loops forever as the book does; N stops after N rounds, without the last pause), for the
// harness; the dial and each round's add-then-get are the ones the ch06 clients share
// (bookcompat/productinfo), which makes and cancels each round's context; GetProduct takes
// pb.ProductID where the book's V2 proto has google.protobuf.StringValue (the same bytes on
// the wire); the product log line prints the product with a verb ("Product: %v") where the
// book's Printf has none and prints "%!(EXTRA ...)".
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"bookcompat/productinfo"

	grpc_prometheus "github.com/grpc-ecosystem/go-grpc-prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
)

var (
	addr        = flag.String("addr", "localhost:50051", "address of the server")
	metricsAddr = flag.String("metrics-addr", "0.0.0.0:9094", "address of the Prometheus metrics HTTP server")
	rounds      = flag.Int("rounds", 0, "stop after this many rounds (0: loop forever, as the book's client)")
)

func main() {
	flag.Parse()

	// Create a metrics registry.
	reg := prometheus.NewRegistry()
	// Create some standard client metrics.
	grpcMetrics := grpc_prometheus.NewClientMetrics()
	// Register client metrics to registry.
	reg.MustRegister(grpcMetrics)

	// Set up a connection to the server with the metrics interceptor.
	conn, c := productinfo.Dial(*addr,
		grpc.WithUnaryInterceptor(grpcMetrics.UnaryClientInterceptor()),
		grpc.WithInsecure(),
	)
	defer conn.Close()

	// Create a HTTP server for prometheus.
	httpServer := &http.Server{Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), Addr: *metricsAddr}
	// Start your http server for prometheus.
	go func() {
		if err := httpServer.ListenAndServe(); err != nil {
			log.Fatal("Unable to start a http server.")
		}
	}()

	for round := 1; ; round++ {
		// Contact the server and print out its response.
		product := productinfo.AddAndGet(c, productinfo.GalaxyS10("Sumsung S10"))
		log.Printf("Product: %v", product.String())
		if *rounds > 0 && round >= *rounds {
			return
		}
		time.Sleep(3 * time.Second)
	}
}
