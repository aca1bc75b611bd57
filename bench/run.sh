#!/usr/bin/env bash
# Times callsheet as users run it against a plain net/http loop doing the
# same work: the chain of bench/chain.yaml (a client-credentials token, /me,
# the projects list; three requests and five checks), N times in a row.
#
#   bench/run.sh                  # N=300, 5 rounds
#   BENCH_N=3000 bench/run.sh     # chains per run
#   BENCH_ROUNDS=9 bench/run.sh   # rounds
#
# Both sides are whole processes of built binaries, their output to a pipe:
#   callsheet run bench/chain.yaml --iterations N --jobs 1 -q …
#   plain -n N …                  (bench/plain)
# against the sandbox served by `callsheet sandbox` in a third process.
# Each round runs A then B, the next B then A (pairs under the same load),
# and a round's ratio is callsheet's wall time over plain's. It prints each
# side's median wall and CPU time, requests per second and peak RSS, the
# start-up of one chain (N=1) and of `callsheet version` (beside two
# floors: a hello-world binary, bench/hello, and bench/deps, which links
# the libraries callsheet imports and does nothing), the round ratios,
# and last `ratio: X`, the median.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sandbox.sh
. bench/stats.sh
. bench/build.sh

n=${BENCH_N:-300}
rounds=${BENCH_ROUNDS:-5}
bench_workdir

build_release "$bin/callsheet" ./cmd/callsheet
build_release "$bin/plain" ./bench/plain
build_release "$bin/hello" ./bench/hello
build_release "$bin/deps" ./bench/deps
go build -o "$bin/measure" ./bench/measure

# The server: its own process, with a rate limit no run reaches.
start_sandbox

# side runs one side for count chains under measure and prints its line.
side() {
  local which=$1 count=$2
  case $which in
  callsheet)
    "$bin/measure" -- "$bin/callsheet" run bench/chain.yaml --iterations "$count" --jobs 1 -q \
      --cacert "$cert" --var "base=$url" --var "client_id=$id" --var "client_secret=$secret" --var "company_id=$company"
    ;;
  plain)
    "$bin/measure" -- "$bin/plain" -n "$count" -cacert "$cert" -url "$url" -client-id "$id" -client-secret "$secret" -company "$company"
    ;;
  esac
}



declare -A wall cpu rss
ratios=()
for ((i = 1; i <= rounds; i++)); do
  order=(callsheet plain)
  ((i % 2 == 0)) && order=(plain callsheet)
  declare -A t=()
  for which in "${order[@]}"; do
    line=$(side "$which" "$n")
    t[$which]=$(field wall_seconds <<<"$line")
    wall[$which]+="${t[$which]} "
    cpu[$which]+="$(field cpu_seconds <<<"$line") "
    rss[$which]+="$(field peak_rss_kib <<<"$line") "
  done
  ratios+=("$(awk -v c="${t[callsheet]}" -v p="${t[plain]}" 'BEGIN {printf "%.4f", c / p}')")
  unset t
done

# Start-up: one chain, and `callsheet version`, 21 runs each, paired.
declare -A one
version=""
hello=""
deps=""
for ((i = 0; i < 21; i++)); do
  for which in callsheet plain; do
    one[$which]+="$(side "$which" 1 | field wall_seconds) "
  done
  version+="$("$bin/measure" -- "$bin/callsheet" version | field wall_seconds) "
  hello+="$("$bin/measure" -- "$bin/hello" | field wall_seconds) "
  deps+="$("$bin/measure" -- "$bin/deps" | field wall_seconds) "
done

echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "N=$n chains of 3 requests, $rounds rounds, medians:"
for which in plain callsheet; do
  w=$(tr ' ' '\n' <<<"${wall[$which]}" | grep . | median)
  c=$(tr ' ' '\n' <<<"${cpu[$which]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$which]}" | grep . | median)
  awk -v s="$which" -v w="$w" -v c="$c" -v r="$r" -v n="$n" \
    'BEGIN {printf "%-9s %.3fs wall, %.3fs CPU, %.0f req/s, peak RSS %.1f MiB\n", s":", w, c, 3 * n / w, r / 1024}'
done
s1=$(tr ' ' '\n' <<<"${one[callsheet]}" | grep . | median)
p1=$(tr ' ' '\n' <<<"${one[plain]}" | grep . | median)
v=$(tr ' ' '\n' <<<"$version" | grep . | median)
h=$(tr ' ' '\n' <<<"$hello" | grep . | median)
d=$(tr ' ' '\n' <<<"$deps" | grep . | median)
awk -v s="$s1" -v p="$p1" 'BEGIN {printf "start-up, one chain: callsheet %.1f ms, plain %.1f ms, ratio %.2f\n", s * 1000, p * 1000, s / p}'
awk -v v="$v" -v h="$h" -v d="$d" 'BEGIN {printf "callsheet version: %.1f ms (floors: a hello-world Go binary %.1f ms; its libraries alone, bench/deps, %.1f ms)\n", v * 1000, h * 1000, d * 1000}'
echo "round ratios: $(printf '%.2f\n' "${ratios[@]}" | sort -n | paste -sd ' ')"
printf '%s\n' "${ratios[@]}" | median | awk '{printf "ratio: %.2f\n", $1}'
