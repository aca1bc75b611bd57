#!/usr/bin/env bash
# Load benchmark: `callsheet load` against the sandbox served by
# `callsheet sandbox` in its own process, the generator alone on CPU 0
# (taskset, GOMAXPROCS=1) and the sandbox on the other CPUs. It prints one
# line per case: requests a second, p50 and p99, CPU per request, peak RSS,
# dropped iterations, and beside it whichever of vegeta, hey and k6 are
# installed, run the same way (hey and vegeta in the same columns, timed
# by bench/measure). The "plain" rows are the floor: bench/plain,
# the same requests written by hand with net/http, in loops or paced as
# vegeta paces them; no generator built on net/http does the same work
# for less. callsheet and vegeta speak HTTP/2 to the sandbox,
# which offers it, and hey HTTP/1.1 unless -h2: the single endpoint runs
# both ways on both sides.
#
#   bench/load.sh                       # 10 s per case
#   BENCH_SECONDS=30 bench/load.sh      # longer cases
#   BENCH_ARRIVAL_SECONDS=60 bench/load.sh   # the 2,000 req/s case as the target states it
#
# Cases: the single endpoint (bench/single.yaml: GET /me with a shared
# token) at 10 and 50 users; the chain (bench/chain.yaml: token, /me,
# projects; three requests and five checks) at 10 users; the single
# endpoint at a constant 2,000 requests a second.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/sandbox.sh
. bench/stats.sh
. bench/build.sh

secs=${BENCH_SECONDS:-10}
arrival_secs=${BENCH_ARRIVAL_SECONDS:-$secs}
bench_workdir

build_release "$bin/callsheet" ./cmd/callsheet
build_release "$bin/plain" ./bench/plain
go build -o "$bin/measure" ./bench/measure

ncpu=$(nproc)
gen_cpu=0
srv_cpus=$([ "$ncpu" -gt 1 ] && echo "1-$((ncpu - 1))" || echo 0)
start_sandbox taskset -c "$srv_cpus"
vars=(--cacert "$cert" --var "base=$url" --var "client_id=$id" --var "client_secret=$secret" --var "company_id=$company")

# total prints a figure of the summary's "total" object (or of the summary
# itself for dropped and rps).
total() { awk -v k="\"$2\":" '/"total": \{/ {t = 1} t && $1 == k {gsub(/,/, "", $2); print $2; exit}' "$1"; }
top() { awk -v k="\"$2\":" '$1 == k {gsub(/,/, "", $2); print $2; exit}' "$1"; }
p() { awk -v k="\"$2\":" '/"percentiles": \{/ {t = 1} t && $1 == k {gsub(/,/, "", $2); print $2; exit}' "$1"; }

printf '%-34s %10s %9s %9s %12s %9s %8s\n' case "req/s" "p50 ms" "p99 ms" "CPU µs/req" "RSS MB" dropped
# run_case NAME ARGS... runs callsheet load on CPU 0 and prints its line.
run_case() {
  local name=$1
  shift
  local json="$bin/case-$RANDOM.json"
  local line
  line=$(GOMAXPROCS=1 taskset -c "$gen_cpu" "$bin/measure" -- "$bin/callsheet" load -q "$@" "${vars[@]}" --json "$json" 2>"$bin/err" || true)
  if [ ! -s "$json" ]; then
    echo "$name: no summary" >&2
    cat "$bin/err" >&2
    return
  fi
  local req cpu rss
  req=$(total "$json" requests)
  cpu=$(field cpu_seconds <<<"$line")
  rss=$(field peak_rss_kib <<<"$line")
  printf '%-34s %10.0f %9s %9s %12.1f %9.1f %8s\n' "callsheet $name" "$(top "$json" rps)" "$(p "$json" p50_ms)" "$(p "$json" p99_ms)" \
    "$(awk -v c="$cpu" -v r="$req" 'BEGIN {print c * 1e6 / r}')" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$(top "$json" dropped)"
  awk '/"warnings": \[\]/ {exit} /"warnings": \[/ {w = 1; next} w && /\]/ {exit} w {sub(/^ +/, "  warning: "); print}' "$json"
}

run_case "single, 10 VUs" bench/single.yaml --vus 10 --duration "${secs}s"
run_case "single, 50 VUs" bench/single.yaml --vus 50 --duration "${secs}s"
run_case "single, 10 VUs, --http1.1" bench/single.yaml --vus 10 --duration "${secs}s" --http1.1
run_case "single, 50 VUs, --http1.1" bench/single.yaml --vus 50 --duration "${secs}s" --http1.1
run_case "chain, 10 VUs" bench/chain.yaml --vus 10 --duration "${secs}s"
run_case "single, 2000/s" bench/single.yaml --rate 2000 --duration "${arrival_secs}s" --max-vus 200

# ms prints a latency in ms with three decimals, or - for none.
ms() { if [ "$1" = - ]; then echo -; else awk -v v="$1" 'BEGIN {printf "%.3f", v}'; fi; }

# ref_row NAME REQUESTS RPS P50_MS P99_MS MEASURE_LINE prints a reference
# tool's row in the table's columns (it drops nothing: "-"; a latency it
# does not measure is "-").
ref_row() {
  local cpu rss
  cpu=$(field cpu_seconds <<<"$6")
  rss=$(field peak_rss_kib <<<"$6")
  printf '%-34s %10.0f %9s %9s %12.1f %9.1f %8s\n' "$1" "$3" "$(ms "$4")" "$(ms "$5")" \
    "$(awk -v c="$cpu" -v r="$2" 'BEGIN {print c * 1e6 / r}')" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" -
}

# The floor: the same cases with net/http alone (bench/plain), which
# prints the requests it sent to stderr. They run before the token the
# other tools share is fetched: the chain's logins would revoke it.
plain_case() {
  local name=$1
  shift
  local line out
  line=$(GOMAXPROCS=1 taskset -c "$gen_cpu" "$bin/measure" -- "$bin/plain" "$@" \
    -cacert "$cert" -url "$url" -client-id "$id" -client-secret "$secret" -company "$company" 2>"$bin/plain.err" || true)
  out=$(cat "$bin/plain.err")
  if ! grep -q '^requests: ' <<<"$out"; then
    echo "plain, $name: $out" >&2
    return
  fi
  ref_row "plain, $name" "$(awk '{print $2}' <<<"$out")" "$(awk '{print $6}' <<<"$out")" - - "$line"
}
plain_case "single, 10 loops" -d "${secs}s" -c 10 -single
plain_case "single, 50 loops" -d "${secs}s" -c 50 -single
plain_case "single, 10 loops, HTTP/1.1" -d "${secs}s" -c 10 -single -http1.1
plain_case "single, 50 loops, HTTP/1.1" -d "${secs}s" -c 50 -single -http1.1
plain_case "chain, 10 loops" -d "${secs}s" -c 10
plain_case "single, 2000/s" -d "${arrival_secs}s" -rate 2000 -single

# The other tools, when installed: the same endpoint with the same token.
token=$(curl -s --cacert "$cert" -d grant_type=client_credentials -d "client_id=$id" -d "client_secret=$secret" "$url/oauth/token" |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
target="$url/rest/v1.0/me"
found=
if command -v hey >/dev/null; then
  found=1
  for run in "10 HTTP/1.1" "50 HTTP/1.1" "10 HTTP/2 -h2" "50 HTTP/2 -h2"; do
    read -r c proto h2 <<<"$run"
    line=$(GOMAXPROCS=1 taskset -c "$gen_cpu" "$bin/measure" -- sh -c "hey $h2 -z '${secs}s' -c '$c' \
      -H 'Authorization: Bearer $token' -H 'Procore-Company-Id: $company' '$target' >'$bin/hey.out'")
    out=$(cat "$bin/hey.out")
    ref_row "hey, $c workers, $proto" "$(awk '/\[200\]/ {print $2}' <<<"$out")" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '/ 50%% in/ {print $3 * 1000}' <<<"$out")" "$(awk '/ 99%% in/ {print $3 * 1000}' <<<"$out")" "$line"
  done
fi
if command -v vegeta >/dev/null; then
  found=1
  printf 'GET %s\nAuthorization: Bearer %s\nProcore-Company-Id: %s\n' "$target" "$token" "$company" >"$bin/targets"
  line=$(GOMAXPROCS=1 taskset -c "$gen_cpu" "$bin/measure" -- sh -c \
    "vegeta attack -insecure -targets '$bin/targets' -rate 2000 -duration '${arrival_secs}s' >'$bin/vegeta.bin'")
  report=$(vegeta report -type=json <"$bin/vegeta.bin")
  num() { grep -o "\"$1\":[0-9.e+]*" <<<"$report" | head -1 | cut -d: -f2; }
  ref_row "vegeta, 2000/s" "$(num requests)" "$(num throughput)" \
    "$(awk -v n="$(num 50th)" 'BEGIN {print n / 1e6}')" "$(awk -v n="$(num 99th)" 'BEGIN {print n / 1e6}')" "$line"
fi
if command -v k6 >/dev/null; then
  found=1
  cat >"$bin/k6.js" <<JS
import http from 'k6/http';
export default function () { http.get('$target', { headers: { Authorization: 'Bearer $token', 'Procore-Company-Id': '$company' } }); }
JS
  for v in 10 50; do
    echo "k6, $v VUs:"
    taskset -c "$gen_cpu" k6 run --insecure-skip-tls-verify -q --vus "$v" --duration "${secs}s" "$bin/k6.js" | grep -E 'http_reqs|http_req_duration'
  done
fi
[ -n "$found" ] || echo "(none of hey, vegeta and k6 is installed: nothing to compare with)"
