#!/usr/bin/env bash
# ch07-loadtest against h2load, same server, same request, same concurrency.
#
#   bench/ch07-loadtest.sh                   # 4 connections x 10 streams = 40 calls in flight, 200000 calls
#   CONNECTIONS=8 STREAMS=8 REQUESTS=500000 bench/ch07-loadtest.sh
#
# Needs h2load (Debian: apt-get install nghttp2-client). Starts ch02-server (per-call logging off) on a
# free loopback port, adds the book's product with ch02-client, then alternates two runs of each tool:
# h2load -c CONNECTIONS -m STREAMS and ch07-loadtest -c CONNECTIONS*STREAMS --connections CONNECTIONS.
# The getProduct request body is built as in bench/ch02-getproduct.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

connections=${CONNECTIONS:-4}
streams=${STREAMS:-10}
requests=${REQUESTS:-200000}

command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
cargo build --quiet --release --bin ch02-server --bin ch02-client --bin ch07-loadtest
target_dir=$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release"
work=$(mktemp -d)
RUST_LOG=warn,common=info "$bin/ch02-server" --addr 127.0.0.1:0 2>"$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
addr=""
for _ in $(seq 100); do
  addr=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$work/server.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "ch02-server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

id=$("$bin/ch02-client" --addr "$addr" | sed -n 's/^Product ID: \(.*\) added successfully$/\1/p')
python3 - "$id" >"$work/request.bin" <<'PY'
import struct, sys
value = sys.argv[1].encode()
message = b"\x0a" + bytes([len(value)]) + value  # field 1, wire type 2 (length-delimited)
sys.stdout.buffer.write(struct.pack(">BI", 0, len(message)) + message)
PY

for round in 1 2; do
  echo "== round $round: h2load -n $requests -c $connections -m $streams"
  h2load -n "$requests" -c "$connections" -m "$streams" -d "$work/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://$addr/ecommerce.ProductInfo/getProduct" | grep -E '^(finished in|status codes:)'
  echo "== round $round: ch07-loadtest -n $requests -c $((connections * streams)) --connections $connections"
  "$bin/ch07-loadtest" --addr "$addr" --method getProduct -n "$requests" \
    -c $((connections * streams)) --connections "$connections" | grep -E 'Requests/sec|\[OK\]'
done
