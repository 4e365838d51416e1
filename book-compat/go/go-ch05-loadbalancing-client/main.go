// The book's ch05/loadbalancing/echo/go/client: a name resolver and client-side balancing.
//
// init() registers a resolver for the scheme "example" that turns the service name
// lb.example.grpc.io into the two backends, pushed once with cc.UpdateState; ResolveNow and
// Close do nothing. The client dials example:///lb.example.grpc.io twice: with the default
// pick_first, ten UnaryEcho calls (1 s timeout each) all reach the first backend; with
// round_robin, ten calls alternate between the two. Each reply is printed; an error is fatal
// ("could not greet: ..."). The first banner keeps the book's stale "helloworld.Greeter/SayHello".
//
// Differs from the book: the -backends flag (comma-separated, default the book's
// "localhost:50051,localhost:50052"), read by the resolver when it is built. grpc-go 1.33
// spellings: Build takes resolver.BuildOptions and ResolveNow resolver.ResolveNowOptions (the
// book's BuildOption/ResolveNowOption are gone), and round_robin is chosen with
// grpc.WithDefaultServiceConfig(`{"loadBalancingPolicy":"round_robin"}`), as the book's
// grpc.WithBalancerName("round_robin") is deprecated (still present in 1.33).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strings"
	"time"

	ecpb "bookcompat/pb/echo"

	"google.golang.org/grpc"
	"google.golang.org/grpc/resolver"
)

const (
	exampleScheme      = "example"
	exampleServiceName = "lb.example.grpc.io"
)

var addrs = []string{"localhost:50051", "localhost:50052"}

func callUnaryEcho(c ecpb.EchoClient, message string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r, err := c.UnaryEcho(ctx, &ecpb.EchoRequest{Message: message})
	if err != nil {
		log.Fatalf("could not greet: %v", err)
	}
	fmt.Println(r.Message)
}

func makeRPCs(cc *grpc.ClientConn, n int) {
	hwc := ecpb.NewEchoClient(cc)
	for i := 0; i < n; i++ {
		callUnaryEcho(hwc, "this is examples/load_balancing")
	}
}

func main() {
	backends := flag.String("backends", strings.Join(addrs, ","), "comma-separated backends of "+exampleServiceName)
	flag.Parse()
	addrs = strings.Split(*backends, ",")

	pickfirstConn, err := grpc.Dial(
		fmt.Sprintf("%s:///%s", exampleScheme, exampleServiceName),
		// grpc.WithBalancerName("pick_first"), // "pick_first" is the default, so this DialOption is not necessary.
		grpc.WithInsecure(),
	)
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer pickfirstConn.Close()

	log.Println("==== Calling helloworld.Greeter/SayHello with pick_first ====")
	makeRPCs(pickfirstConn, 10)

	// Make another ClientConn with round_robin policy.
	roundrobinConn, err := grpc.Dial(
		fmt.Sprintf("%s:///%s", exampleScheme, exampleServiceName),
		grpc.WithDefaultServiceConfig(`{"loadBalancingPolicy":"round_robin"}`), // This sets the initial balancing policy.
		grpc.WithInsecure(),
	)
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer roundrobinConn.Close()

	log.Println("==== Calling helloworld.Greeter/SayHello with round_robin ====")
	makeRPCs(roundrobinConn, 10)
}

// Following is an example name resolver implementation. Read the name
// resolution example to learn more about it.

type exampleResolverBuilder struct{}

func (*exampleResolverBuilder) Build(target resolver.Target, cc resolver.ClientConn, opts resolver.BuildOptions) (resolver.Resolver, error) {
	r := &exampleResolver{
		target: target,
		cc:     cc,
		addrsStore: map[string][]string{
			exampleServiceName: addrs,
		},
	}
	r.start()
	return r, nil
}
func (*exampleResolverBuilder) Scheme() string { return exampleScheme }

type exampleResolver struct {
	target     resolver.Target
	cc         resolver.ClientConn
	addrsStore map[string][]string
}

func (r *exampleResolver) start() {
	addrStrs := r.addrsStore[r.target.Endpoint]
	addrs := make([]resolver.Address, len(addrStrs))
	for i, s := range addrStrs {
		addrs[i] = resolver.Address{Addr: s}
	}
	r.cc.UpdateState(resolver.State{Addresses: addrs})
}
func (*exampleResolver) ResolveNow(o resolver.ResolveNowOptions) {}
func (*exampleResolver) Close()                                  {}

func init() {
	resolver.Register(&exampleResolverBuilder{})
}
