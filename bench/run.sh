#!/usr/bin/env bash
# Benchmark the Procore chain: callsheet's runner against a plain
# net/http + encoding/json loop doing the same requests and checks, both
# against the sandbox served from a child process on loopback.
#
#   BENCH_N=300 bench/run.sh        # chains per run (default 300)
#   BENCH_ROUNDS=5 bench/run.sh     # rounds, each running both programs
#
# Prints each program's best run (time, requests per second, client CPU,
# peak RSS and heap of the client process), the start-up time of
# `callsheet validate`, each round's ratio, and last `ratio: X`: the median
# over the rounds of callsheet's time over the plain loop's in the same
# round (pairing runs keeps other load on the machine out of the ratio).
set -euo pipefail
cd "$(dirname "$0")/.."

n=${BENCH_N:-300}
rounds=${BENCH_ROUNDS:-5}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

go build -o "$bin/plain" ./bench/plain
go build -o "$bin/callsheet" ./bench/callsheet
go build -o "$bin/cli" ./cmd/callsheet

declare -A best_time best_line
ratios=()
for ((i = 1; i <= rounds; i++)); do
  # Each round runs both programs back to back, in alternating order, so
  # that a round's ratio compares runs made under the same machine load.
  order=(plain callsheet)
  ((i % 2 == 0)) && order=(callsheet plain)
  declare -A t=()
  for prog in "${order[@]}"; do
    out=$(BENCH_N=$n "$bin/$prog")
    t[$prog]=$(awk -F': ' -v k="${prog}_seconds" '$1 == k {print $2}' <<<"$out")
    if [[ -z ${best_time[$prog]:-} ]] || awk -v a="${t[$prog]}" -v b="${best_time[$prog]}" 'BEGIN {exit !(a < b)}'; then
      best_time[$prog]=${t[$prog]}
      best_line[$prog]=$(head -n 1 <<<"$out")
    fi
  done
  ratios+=("$(awk -v c="${t[callsheet]}" -v p="${t[plain]}" 'BEGIN {printf "%.4f", c / p}')")
  unset t
done

# Start-up: the median of 21 runs of `callsheet validate` on the bundled
# collection, the whole process from exec to exit.
times=()
for ((i = 0; i < 21; i++)); do
  t0=$(date +%s%N)
  "$bin/cli" validate procore/first-call >/dev/null
  t1=$(date +%s%N)
  times+=($(((t1 - t0) / 1000)))
done
startup_us=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 11p)

echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH), $(nproc) CPUs, $rounds rounds; best run of each:"
echo "${best_line[plain]}"
echo "${best_line[callsheet]}"
awk -v us="$startup_us" 'BEGIN {printf "validate procore/first-call: %.1f ms (median of 21 runs)\n", us / 1000}'
echo "round ratios: $(printf '%.2f\n' "${ratios[@]}" | sort -n | paste -sd ' ')"
printf '%s\n' "${ratios[@]}" | sort -n | awk '{r[NR] = $1} END {m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "ratio: %.2f\n", m}'
