#!/usr/bin/env bash
# Times one long file against the same work through --iterations: a file
# of COPIES copies of bench/chain.yaml's three steps (default 3,334: 10,002
# steps, each copy capturing its own secret token), run once, against
# bench/chain.yaml run with --iterations COPIES. Both are whole processes
# of the built binary, --jobs 1, output to a pipe, against the sandbox in
# its own process, paired A B A B. It prints each side's median wall and
# CPU time and peak RSS, and last `ratio: X`, the long file's median wall
# time over the iterations'.
#
#   bench/long.sh                       # 3,334 copies, 3 rounds
#   BENCH_COPIES=1000 BENCH_ROUNDS=5 bench/long.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sandbox.sh
. bench/stats.sh
. bench/build.sh

copies=${BENCH_COPIES:-3334}
rounds=${BENCH_ROUNDS:-3}
bench_workdir

build_release "$bin/callsheet" ./cmd/callsheet
go build -o "$bin/measure" ./bench/measure

# The long file: the chain's steps COPIES times, each copy's names and
# token numbered, so that every copy captures a secret of its own.
awk -v n="$copies" '
  /^steps:/ { steps = 1; next }
  steps { body = body $0 "\n" }
  END {
    print "name: long"
    print "secrets: [client_secret]"
    print "steps:"
    for (i = 0; i < n; i++) {
      s = body
      gsub(/name: token/, "name: token" i, s)
      gsub(/name: me/, "name: me" i, s)
      gsub(/name: projects/, "name: projects" i, s)
      gsub(/token: \{/, "token" i ": {", s)
      gsub(/\{\{ token \}\}/, "{{ token" i " }}", s)
      printf "%s", s
    }
  }' bench/chain.yaml >"$bin/long.yaml"

start_sandbox
vars=(--cacert "$cert" --var "base=$url" --var "client_id=$id" --var "client_secret=$secret" --var "company_id=$company")


declare -A wall cpu rss
for ((i = 1; i <= rounds; i++)); do
  for which in long iterations; do
    if [ "$which" = long ]; then
      line=$("$bin/measure" -- "$bin/callsheet" run "$bin/long.yaml" --jobs 1 -q "${vars[@]}")
    else
      line=$("$bin/measure" -- "$bin/callsheet" run bench/chain.yaml --iterations "$copies" --jobs 1 -q "${vars[@]}")
    fi
    wall[$which]+="$(field wall_seconds <<<"$line") "
    cpu[$which]+="$(field cpu_seconds <<<"$line") "
    rss[$which]+="$(field peak_rss_kib <<<"$line") "
  done
done

echo "go: $(go env GOVERSION), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$copies copies of the chain ($((3 * copies)) requests), $rounds rounds, medians:"
for which in iterations long; do
  w=$(tr ' ' '\n' <<<"${wall[$which]}" | grep . | median)
  c=$(tr ' ' '\n' <<<"${cpu[$which]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$which]}" | grep . | median)
  awk -v s="$which" -v w="$w" -v c="$c" -v r="$r" 'BEGIN {printf "%-11s %.3fs wall, %.3fs CPU, peak RSS %.1f MiB\n", s":", w, c, r / 1024}'
done
lw=$(tr ' ' '\n' <<<"${wall[long]}" | grep . | median)
iw=$(tr ' ' '\n' <<<"${wall[iterations]}" | grep . | median)
awk -v l="$lw" -v i="$iw" 'BEGIN {printf "ratio: %.2f\n", l / i}'
