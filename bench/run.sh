#!/usr/bin/env bash
# Benchmark the Procore chain: callsheet's runner against a plain
# net/http + encoding/json loop doing the same requests and checks, both
# against the sandbox served from a child process on loopback.
#
#   BENCH_N=300 bench/run.sh        # chains per run (default 300)
#   BENCH_ROUNDS=3 bench/run.sh     # runs of each program; the fastest counts
#
# Prints each program's best run (time, requests per second, peak RSS and
# heap of the client process), the start-up time of `callsheet validate`,
# and last `ratio: X`, callsheet's time over the plain loop's.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${BENCH_N:-300}
rounds=${BENCH_ROUNDS:-3}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

go build -o "$bin/plain" ./bench/plain
go build -o "$bin/callsheet" ./bench/callsheet
go build -o "$bin/cli" ./cmd/callsheet

declare -A best_time best_line
for ((i = 1; i <= rounds; i++)); do
  # Alternate, so that neither program always runs on a warmer machine.
  for prog in plain callsheet; do
    out=$(BENCH_N=$n "$bin/$prog")
    t=$(awk -F': ' -v k="${prog}_seconds" '$1 == k {print $2}' <<<"$out")
    if [[ -z ${best_time[$prog]:-} ]] || awk -v a="$t" -v b="${best_time[$prog]}" 'BEGIN {exit !(a < b)}'; then
      best_time[$prog]=$t
      best_line[$prog]=$(head -n 1 <<<"$out")
    fi
  done
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

echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH), $(nproc) CPUs, best of $rounds rounds"
echo "${best_line[plain]}"
echo "${best_line[callsheet]}"
awk -v us="$startup_us" 'BEGIN {printf "validate procore/first-call: %.1f ms (median of 21 runs)\n", us / 1000}'
awk -v c="${best_time[callsheet]}" -v p="${best_time[plain]}" 'BEGIN {printf "ratio: %.2f\n", c / p}'
