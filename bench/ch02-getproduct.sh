#!/usr/bin/env bash
# Load test of ch02-server's getProduct with h2load, with per-call logging on and off.
#
# "Off" keeps the server's start and stop lines (logged by the common crate) and drops the per-call ones.
#
#   bench/ch02-getproduct.sh                 # -c 4 -m 10, 200000 requests per run
#   CONNECTIONS=16 STREAMS=10 REQUESTS=500000 bench/ch02-getproduct.sh
#
# Needs h2load (Debian: apt-get install nghttp2-client). It builds the release binaries, starts
# ch02-server on a free loopback port, adds the book's product with ch02-client, and sends the
# same getProduct request over and over: a gRPC request body is a 5-byte prefix (flag 0, then
# the message length as a big-endian u32) followed by the ProductID message.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

connections=${CONNECTIONS:-4}
streams=${STREAMS:-10}
requests=${REQUESTS:-200000}

command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
cargo build --quiet --release --bin ch02-server --bin ch02-client
target_dir=$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release"
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

run() {
  local label=$1 rust_log=$2
  RUST_LOG=$rust_log "$bin/ch02-server" --addr 127.0.0.1:0 2>"$work/server.log" &
  server=$!
  local addr=""
  for _ in $(seq 100); do
    addr=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$work/server.log")
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "ch02-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

  local id
  id=$("$bin/ch02-client" --addr "$addr" | sed -n 's/^Product ID: \(.*\) added successfully$/\1/p')
  python3 - "$id" >"$work/request.bin" <<'PY'
import struct, sys
value = sys.argv[1].encode()
message = b"\x0a" + bytes([len(value)]) + value  # field 1, wire type 2 (length-delimited)
sys.stdout.buffer.write(struct.pack(">BI", 0, len(message)) + message)
PY

  echo "== getProduct, $label: h2load -c $connections -m $streams -n $requests"
  h2load -n "$requests" -c "$connections" -m "$streams" -d "$work/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://$addr/ecommerce.ProductInfo/getProduct" \
    | grep -E '^(finished in|requests:|status codes:|time for request:)'
  kill -TERM "$server"
  wait "$server" || true
}

run "per-call logging on (default)" info
run "per-call logging off (RUST_LOG=warn,common=info)" warn,common=info
