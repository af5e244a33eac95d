#!/usr/bin/env bash
# Runs every test ring in order; stops at the first failing ring.
# Expects scripts/setup.sh --test and scripts/build.sh to have run (npm test does both).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

ring() { printf '\n=== %s ===\n' "$*"; }

ring "lint: cargo fmt --check, clippy (host and wasm32), the fuzz targets build"
cargo fmt --all -- --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings
# The fuzz targets are their own workspace, run only by scripts/fuzz.sh: built
# here so that a change of the crate's API cannot leave them broken unseen.
(cd fuzz && cargo fmt -- --check && cargo check --quiet --locked --bins)

ring "host: cargo test"
cargo test --quiet

ring "boundary: cargo test --target wasm32-unknown-unknown (Node and headless Chromium)"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
cargo test --target wasm32-unknown-unknown

ring "types: tsc --noEmit on a usage file, and on every README snippet"
node_modules/.bin/tsc -p tests/types/tsconfig.json
node tests/types/readme-snippets.mjs

ring "js: node --test (API, transports, simulated workspace, packaging, real browser)"
# A private log per run: two runs on one machine (two checkouts, CI beside a
# developer) must not read each other's results.
NODE_LOG="$(mktemp -t makecall-node-test.XXXXXX)"
trap 'rm -f "$NODE_LOG"' EXIT
node --test --test-reporter=spec tests/js/ $( [ -d tests/e2e ] && echo tests/e2e/ ) 2>&1 | tee "$NODE_LOG" | grep -vE '^\s*$' | tail -n 400
grep -qE '^ℹ fail 0$' "$NODE_LOG"
