#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ (cargo-fuzz) for a given time each and
# prints executions and findings. Not part of `npm test` or CI.
#
#   scripts/fuzz.sh <seconds> [target...]     targets: validate parse numbering metadata (default: all)
#   FUZZ_RUNS=10000000 scripts/fuzz.sh 600    also stop each target after that many runs
#
# cargo-fuzz passes nightly-only rustc flags. With only a stable toolchain,
# RUSTC_BOOTSTRAP=1 lets stable accept them; set FUZZ_TOOLCHAIN=nightly to
# use a nightly toolchain instead. No sanitizer by default: the crate has no
# `unsafe`, and the targets are built with debug assertions and overflow
# checks, so an arithmetic overflow is a finding too. FUZZ_SANITIZER=address
# turns AddressSanitizer back on. Crashing inputs land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

SECONDS_EACH="${1:?usage: scripts/fuzz.sh <seconds> [target...]}"
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(validate parse numbering metadata)
SANITIZER="${FUZZ_SANITIZER:-none}"
RUNS=()
[ -n "${FUZZ_RUNS:-}" ] && RUNS=(-runs="$FUZZ_RUNS")

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "[fuzz] installing cargo-fuzz"
  cargo install cargo-fuzz
fi
CARGO=(cargo)
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
  CARGO=(cargo "+$FUZZ_TOOLCHAIN")
else
  export RUSTC_BOOTSTRAP=1
fi

# Seed corpora: the message fixtures for the parser, typical and hostile
# numbers (each behind a plan-selector byte) for the validator and, behind
# two plan-selector bytes, for the numbering engine; the metadata files
# themselves for the metadata reader.
mkdir -p fuzz/corpus/parse fuzz/corpus/validate fuzz/corpus/numbering fuzz/corpus/metadata
cp tests/fixtures/messages/*.json fuzz/corpus/parse/ 2>/dev/null || true
cp metadata/cc-*.bin fuzz/corpus/metadata/
j=0
for number in "020 7946 0000" "+44 (0) 20 7946 0000 ext. 123" "011 15 2345-6789" "0 15 21 98765 4321" \
  "+49 30 123456" "00 33 1 23 45 67 89" "919876543210" "+86 10 1234 5678" "+800 1234 5678" "112"; do
  for selector in '\x00\x00' '\x00\x05' '\x01\x40' '\x02\x11' '\x03\x7f'; do
    printf '%b%s' "$selector" "$number" > "fuzz/corpus/numbering/seed-$j-${selector//\\/}"
  done
  j=$((j + 1))
done
i=0
for number in "(608) 555-9000" "+1 608 555 9000" "9 608 555 9000" "011 44 20 7946 0000" \
  "08234567899" "*67 608 555 9000" "1-800-FLOWERS" "5024" "+44 20 7946 0000" \
  "٦٠٨٥٥٥٩٠٠٠" "６０８５５５９０００" $'\u202e0009555806'; do
  for plan in 0 1 2 3 4 5 6 7; do
    printf '%b%s' "\\x0$plan" "$number" > "fuzz/corpus/validate/seed-$i-$plan"
  done
  i=$((i + 1))
done

status=0
for target in "${TARGETS[@]}"; do
  log="fuzz/artifacts/$target.log"
  mkdir -p "fuzz/artifacts/$target"
  echo "[fuzz] $target for ${SECONDS_EACH}s (sanitizer: $SANITIZER)"
  set +e
  "${CARGO[@]}" fuzz run --sanitizer "$SANITIZER" "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" "${RUNS[@]}" -print_final_stats=1 -max_len=8192 -timeout=10 \
    >"$log" 2>&1
  rc=$?
  set -e
  elapsed="$(sed -n 's/^stat::elapsed_time_sec: *//p;s/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  crashes="$(find "fuzz/artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)"
  printf '[fuzz] %s: exit %s, %s executions in %ss, %s crash/oom/timeout artifacts, corpus %s files\n' \
    "$target" "$rc" "${execs:-?}" "${elapsed:-?}" "$crashes" \
    "$(find "fuzz/corpus/$target" -type f | wc -l)"
  [ "$rc" -ne 0 ] && { status=1; tail -n 30 "$log"; }
done
exit "$status"
