// The book's ch08/server-reflection README walkthrough, which uses grpc_cli, done with
// grpc-go's own v1alpha reflection client (the book's repository has no reflection client
// program; grpc_cli is C++ and not available here).
//
// Over grpc.reflection.v1alpha.ServerReflection it does, and prints as grpc_cli does:
//   - `grpc_cli ls ADDR`: ListServices, one service name a line;
//   - `grpc_cli ls ADDR ecommerce.ProductInfo -l`: the file that holds the service
//     (FileContainingSymbol), printed as `filename: ...`, `package: ...;` and the service with
//     one `rpc name(input) returns (output) {}` line per method;
//   - `grpc_cli ls ADDR ecommerce.ProductInfo.addProduct -l`: that method's line alone;
//   - `grpc_cli type ADDR ecommerce.Product`: the message with its fields
//     (`string id = 1[json_name = "id"];`).
//
// Each step first prints the grpc_cli command it stands for, after `$ `.
//
// Differs from grpc_cli: method options (our proto's google.api.http rules) are not printed, as
// this client has no registry of option extensions: every method ends in `{}`. It is written
// for the harness, so -addr (default the book's localhost:50051) names the server.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/golang/protobuf/proto"
	descpb "github.com/golang/protobuf/protoc-gen-go/descriptor"
	"google.golang.org/grpc"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

var address = flag.String("addr", "localhost:50051", "server address")

// scalarNames are the .proto spellings of the field types that are not messages or enums.
var scalarNames = map[descpb.FieldDescriptorProto_Type]string{
	descpb.FieldDescriptorProto_TYPE_DOUBLE:   "double",
	descpb.FieldDescriptorProto_TYPE_FLOAT:    "float",
	descpb.FieldDescriptorProto_TYPE_INT64:    "int64",
	descpb.FieldDescriptorProto_TYPE_UINT64:   "uint64",
	descpb.FieldDescriptorProto_TYPE_INT32:    "int32",
	descpb.FieldDescriptorProto_TYPE_FIXED64:  "fixed64",
	descpb.FieldDescriptorProto_TYPE_FIXED32:  "fixed32",
	descpb.FieldDescriptorProto_TYPE_BOOL:     "bool",
	descpb.FieldDescriptorProto_TYPE_STRING:   "string",
	descpb.FieldDescriptorProto_TYPE_BYTES:    "bytes",
	descpb.FieldDescriptorProto_TYPE_UINT32:   "uint32",
	descpb.FieldDescriptorProto_TYPE_SFIXED32: "sfixed32",
	descpb.FieldDescriptorProto_TYPE_SFIXED64: "sfixed64",
	descpb.FieldDescriptorProto_TYPE_SINT32:   "sint32",
	descpb.FieldDescriptorProto_TYPE_SINT64:   "sint64",
}

// ask sends one request on a new reflection stream and returns the one answer.
func ask(client rpb.ServerReflectionClient, request *rpb.ServerReflectionRequest) *rpb.ServerReflectionResponse {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stream, err := client.ServerReflectionInfo(ctx)
	if err != nil {
		log.Fatalf("Could not open the reflection stream: %v", err)
	}
	if err := stream.Send(request); err != nil {
		log.Fatalf("Could not send the reflection request: %v", err)
	}
	response, err := stream.Recv()
	if err != nil {
		log.Fatalf("Could not receive the reflection response: %v", err)
	}
	stream.CloseSend()
	if e := response.GetErrorResponse(); e != nil {
		log.Fatalf("Reflection error %d: %s", e.ErrorCode, e.ErrorMessage)
	}
	return response
}

// fileContaining asks for the file that declares symbol and returns it (the server also sends
// the files it imports; the one whose package and declarations hold symbol is it).
func fileContaining(client rpb.ServerReflectionClient, symbol string) *descpb.FileDescriptorProto {
	response := ask(client, &rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: symbol},
	})
	for _, raw := range response.GetFileDescriptorResponse().GetFileDescriptorProto() {
		file := &descpb.FileDescriptorProto{}
		if err := proto.Unmarshal(raw, file); err != nil {
			log.Fatalf("Could not decode a file descriptor: %v", err)
		}
		if findService(file, symbol) != nil || findMessage(file, symbol) != nil {
			return file
		}
	}
	log.Fatalf("No file declares %s", symbol)
	return nil
}

func findService(file *descpb.FileDescriptorProto, symbol string) *descpb.ServiceDescriptorProto {
	for _, service := range file.GetService() {
		if file.GetPackage()+"."+service.GetName() == symbol {
			return service
		}
	}
	return nil
}

func findMessage(file *descpb.FileDescriptorProto, symbol string) *descpb.DescriptorProto {
	for _, message := range file.GetMessageType() {
		if file.GetPackage()+"."+message.GetName() == symbol {
			return message
		}
	}
	return nil
}

func methodLine(method *descpb.MethodDescriptorProto) string {
	return fmt.Sprintf("  rpc %s(%s) returns (%s) {}", method.GetName(),
		strings.TrimPrefix(method.GetInputType(), "."), strings.TrimPrefix(method.GetOutputType(), "."))
}

func fieldLine(field *descpb.FieldDescriptorProto) string {
	kind, scalar := scalarNames[field.GetType()]
	if !scalar {
		kind = strings.TrimPrefix(field.GetTypeName(), ".")
	}
	if field.GetLabel() == descpb.FieldDescriptorProto_LABEL_REPEATED {
		kind = "repeated " + kind
	}
	line := fmt.Sprintf("  %s %s = %d", kind, field.GetName(), field.GetNumber())
	if field.JsonName != nil {
		line += fmt.Sprintf("[json_name = %q]", field.GetJsonName())
	}
	return line + ";"
}

func main() {
	flag.Parse()
	conn, err := grpc.Dial(*address, grpc.WithInsecure())
	if err != nil {
		log.Fatalf("did not connect: %v", err)
	}
	defer conn.Close()
	client := rpb.NewServerReflectionClient(conn)

	fmt.Printf("$ grpc_cli ls %s\n", *address)
	services := ask(client, &rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: ""},
	})
	for _, service := range services.GetListServicesResponse().GetService() {
		fmt.Println(service.GetName())
	}

	const serviceName = "ecommerce.ProductInfo"
	fmt.Printf("$ grpc_cli ls %s %s -l\n", *address, serviceName)
	file := fileContaining(client, serviceName)
	service := findService(file, serviceName)
	fmt.Printf("filename: %s\n", file.GetName())
	fmt.Printf("package: %s;\n", file.GetPackage())
	fmt.Printf("service %s {\n", service.GetName())
	for _, method := range service.GetMethod() {
		fmt.Println(methodLine(method))
	}
	fmt.Println("}")

	fmt.Printf("$ grpc_cli ls %s %s.addProduct -l\n", *address, serviceName)
	for _, method := range service.GetMethod() {
		if method.GetName() == "addProduct" {
			fmt.Println(methodLine(method))
		}
	}

	const messageName = "ecommerce.Product"
	fmt.Printf("$ grpc_cli type %s %s\n", *address, messageName)
	message := findMessage(fileContaining(client, messageName), messageName)
	fmt.Printf("message %s {\n", message.GetName())
	for _, field := range message.GetField() {
		fmt.Println(fieldLine(field))
	}
	fmt.Println("}")
}
