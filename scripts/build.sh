#!/usr/bin/env bash
# Builds the wasm core and the glue into pkg/ (what the npm package ships),
# then the static, deployable gadget folder into dist/gadget/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --quiet --release --target wasm32-unknown-unknown
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --weak-refs --no-typescript --out-dir pkg \
  target/wasm32-unknown-unknown/release/makecall.wasm
# The optimisation and feature flags live in scripts/wasm-opt-flags, which
# bench/engine-share.mjs reads too for its build with names.
# shellcheck disable=SC2046
node_modules/.bin/wasm-opt $(cat scripts/wasm-opt-flags) --strip-debug --strip-producers \
  pkg/makecall_bg.wasm -o pkg/makecall_bg.wasm
node scripts/fast-strings.mjs pkg/makecall.js
node scripts/strip-comments.mjs pkg/makecall.js
if [ -f scripts/build-gadget.mjs ]; then node scripts/build-gadget.mjs; fi
printf '[build] pkg/makecall_bg.wasm: %s bytes (%s gzip)\n' \
  "$(wc -c < pkg/makecall_bg.wasm)" "$(gzip -9c pkg/makecall_bg.wasm | wc -c)"
