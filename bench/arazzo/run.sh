#!/usr/bin/env bash
# Compares callsheet's Arazzo engine with Redocly's respect on the
# workflows under flows/ (see README.md). Installs @redocly/cli from npm
# into RESPECT_DIR (default ~/.cache/callsheet-respect) when it is missing,
# then prints the table. Not part of CI.
set -euo pipefail

dir=${RESPECT_DIR:-$HOME/.cache/callsheet-respect}
package="@redocly/cli@2.77.0"
if [ ! -f "$dir/.installed" ] || [ "$(cat "$dir/.installed")" != "$package" ]; then
  command -v npm >/dev/null 2>&1 || { echo "run.sh: npm is needed to install respect" >&2; exit 1; }
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --silent "$package" >&2
  echo "$package" > "$dir/.installed"
fi
cd "$(dirname "$0")/../.."
exec go run ./bench/arazzo -respect "$dir/node_modules/.bin/redocly" "$@"
