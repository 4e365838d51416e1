#!/usr/bin/env bash
# Builds the grpc C++ reference server (bench/cpp-reference/server.cc) from Debian's packages,
# without the network, so the bench can compare ch02-server and ch03-server with grpc C++:
#   bench/cpp-reference/build.sh            # prints the binary's path, and nothing else on stdout
#   "$(bench/cpp-reference/build.sh)" --addr 127.0.0.1:50051 [--no-call-logs]
# Installs its tools only when they are missing, builds under ${CARGO_TARGET_DIR:-target}
# (never in the source tree), and rebuilds only when a source is newer than the binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${CARGO_TARGET_DIR:-$root/target}/cpp-reference"
binary="$work/productinfo-cpp-server"

# The build's chatter goes to stderr: stdout carries the binary's path alone.
exec 3>&1 1>&2

missing=()
for package in g++ pkg-config libgrpc++-dev libprotobuf-dev protobuf-compiler \
    protobuf-compiler-grpc; do
    # `dpkg -s` also succeeds for a removed package whose config files remain.
    [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]] ||
        missing+=("$package")
done
if ((${#missing[@]})); then
    echo "cpp-reference: installing ${missing[*]}"
    # A fresh image may have no package lists yet.
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

sources=("$here/server.cc" "$root/proto/product_info.proto" "$root/proto/order_management.proto"
    "$here/build.sh")
stale=0
if [[ ! -x "$binary" ]]; then
    stale=1
else
    for source in "${sources[@]}"; do
        if [[ "$source" -nt "$binary" ]]; then stale=1; fi
    done
fi

if ((stale)); then
    echo "cpp-reference: building $binary"
    mkdir -p "$work/gen"
    protoc --proto_path="$root/proto" --cpp_out="$work/gen" --grpc_out="$work/gen" \
        --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" \
        product_info.proto order_management.proto
    # One translation unit per g++, two at a time: the generated grpc code is slow to compile.
    objects=()
    pids=()
    for source in "$here/server.cc" "$work"/gen/*.pb.cc; do
        object="$work/$(basename "${source%.cc}").o"
        objects+=("$object")
        # shellcheck disable=SC2046 # pkg-config's flags are meant to split into words
        g++ -O2 -std=c++17 -DNDEBUG -I"$work/gen" $(pkg-config --cflags grpc++ protobuf) \
            -c "$source" -o "$object" &
        pids+=($!)
        if ((${#pids[@]} == 2)); then
            wait "${pids[0]}"
            wait "${pids[1]}"
            pids=()
        fi
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    # shellcheck disable=SC2046
    g++ -O2 -o "$binary.tmp" "${objects[@]}" $(pkg-config --libs grpc++ protobuf) -lpthread
    mv "$binary.tmp" "$binary"
fi

echo "$binary" >&3
