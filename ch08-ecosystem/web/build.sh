#!/usr/bin/env bash
# Regenerates dist/bundle.js, the page's checked-in script, with nothing but npm: the exact
# versions of package-lock.json, TypeScript generated from ../../proto by buf and
# protoc-gen-es, then bundled by esbuild. Rebuild the Rust crate afterwards (it embeds the file).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund
npm run build
