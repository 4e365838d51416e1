#!/usr/bin/env bash
# Builds the grpc-go reference server from Debian's packages, without the network:
#   apt-get install golang-go golang-google-grpc-dev golang-goprotobuf-dev protobuf-compiler
#   bench/go-reference/build.sh            # prints the binary's path
#   cargo run --release --bin bench -- --go-server "$(bench/go-reference/build.sh)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${CARGO_TARGET_DIR:-$root/target}/go-reference"
mkdir -p "$work/src/productinfo/ecommerce"
protoc --proto_path="$root/proto" --go_out=plugins=grpc:"$work/src/productinfo/ecommerce" \
    --go_opt=paths=source_relative \
    --go_opt=Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations \
    product_info.proto
cp "$here/server.go" "$work/src/productinfo/"
cd "$work/src/productinfo"
GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOFLAGS= GOCACHE="$work/cache" \
    go build -o "$work/productinfo-go-server" .
echo "$work/productinfo-go-server"
