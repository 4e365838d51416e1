#!/usr/bin/env bash
# Builds the grpc-go peer (ProductInfo and OrderManagement) from Debian's packages, so the bench
# can compare ch02-server and ch03-server with grpc-go without the network:
#   bench/go-reference/build.sh            # prints the binary's path, and only that, on stdout
#   cargo run --release --bin bench -- --go-server "$(bench/go-reference/build.sh)"
# It installs the Debian packages it needs when they are missing, builds outside the source tree
# (in ${CARGO_TARGET_DIR:-<repo>/target}/go-reference/) and does nothing when the binary is newer
# than its sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${CARGO_TARGET_DIR:-$root/target}/go-reference"
bin="$work/productinfo-go-server"
protos=(product_info.proto order_management.proto)

missing=()
for pkg in golang-go golang-google-grpc-dev golang-goprotobuf-dev protobuf-compiler; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] ||
        missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "go-reference: installing ${missing[*]}" >&2
    # A fresh image may have no package lists yet.
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

up_to_date() {
    [[ -x "$bin" ]] || return 1
    local source
    for source in "$here"/*.go "$here/build.sh" "${protos[@]/#/$root/proto/}"; do
        [[ "$source" -nt "$bin" ]] && return 1
    done
    return 0
}

if ! up_to_date; then
    echo "go-reference: building $bin" >&2
    # From scratch, so a Go file removed here does not linger in the build.
    rm -rf "$work/src/productinfo"
    mkdir -p "$work/src/productinfo/ecommerce"
    # Debian's protoc-gen-go (1.3.5) still has the grpc plugin; the protos have no go_package, so
    # their Go package comes from the output directory and wrappers.proto is mapped to the
    # golang/protobuf copy Debian ships.
    protoc --proto_path="$root/proto" --go_out=plugins=grpc:"$work/src/productinfo/ecommerce" \
        --go_opt=paths=source_relative \
        --go_opt=Mgoogle/protobuf/wrappers.proto=github.com/golang/protobuf/ptypes/wrappers \
        "${protos[@]}" >&2
    cp "$here"/*.go "$work/src/productinfo/"
    cd "$work/src/productinfo"
    GO111MODULE=off GOPATH="$work:/usr/share/gocode" GOFLAGS= GOCACHE="$work/cache" \
        go build -o "$bin.tmp" . >&2
    mv "$bin.tmp" "$bin"
fi
echo "$bin"
