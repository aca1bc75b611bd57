# Sourced by the bench scripts: builds binaries as the README's Install
# section builds callsheet, so that the benchmarks time what users run.
#
#   build_release DIR/NAME ./PACKAGE
#
# A release build is static (CGO_ENABLED=0: the pure-Go DNS resolver, no
# dynamic loader or libc at start-up) and leaves out urfave/cli's
# manual-page generator (the tag urfave_cli_no_docs; `callsheet man` has
# its own). bench/plain is built the same way, so both sides of a ratio
# start up alike.
build_release() {
  CGO_ENABLED=0 go build -tags urfave_cli_no_docs -o "$1" "$2"
}
