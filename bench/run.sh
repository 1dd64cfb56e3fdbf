#!/usr/bin/env bash
# npm run bench [-- --full | --quick | --only cold,ec,...]: repl-pki against its peers and the node:crypto
# floors, all in one run, ratios against references measured in the same rounds (see README-peers.md).
# Results: bench/out/results-<stamp>.{txt,md}; the latest full run is kept in bench/results.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ -f $here/../dist/cli.cjs ]] || (cd "$here/.." && npm run build --silent)
exec bash "$here/run-peers.sh" --out "$here/out" "$@"
