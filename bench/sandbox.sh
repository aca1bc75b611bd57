# Sourced by the bench scripts: their scratch folder, and `callsheet
# sandbox` ($bin/callsheet) in its own process, with what a run needs read
# from its banner.
#
#   bench_workdir               # sets bin to a new folder; on exit, the
#                               # sandbox is stopped and the folder removed
#   start_sandbox [PREFIX...]   # PREFIX runs the sandbox (e.g. taskset -c 1)
#
# It sets sandbox_pid (for the caller's cleanup), url, cert, id, secret and
# company, and exits when the banner does not come.
start_sandbox() {
  "$@" "$bin/callsheet" sandbox --addr 127.0.0.1:0 --rate-limit 1000000000 >"$bin/sandbox.out" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 100); do
    grep -q '^  certificate' "$bin/sandbox.out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/^sandbox: serving the Procore sandbox at //p' "$bin/sandbox.out")
  cert=$(awk '$1 == "certificate" {print $2}' "$bin/sandbox.out")
  id=$(awk '$1 == "client" && $2 == "id" {print $3}' "$bin/sandbox.out")
  secret=$(awk '$1 == "client" && $2 == "secret" {print $3}' "$bin/sandbox.out")
  company=$(awk '$1 == "company" && $2 == "id" {print $3}' "$bin/sandbox.out")
  [ -n "$url" ] && [ -n "$cert" ] || { cat "$bin/sandbox.out" >&2; exit 1; }
}

bench_workdir() {
  bin=$(mktemp -d)
  sandbox_pid=
  trap bench_cleanup EXIT
}

bench_cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  rm -rf "$bin"
}
