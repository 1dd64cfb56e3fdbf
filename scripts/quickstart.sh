#!/usr/bin/env bash
# The main job on defaults (README "Quick start"): a CA in ./pki, one source and one replica certificate,
# the CRLs, and both bundles in ./bundles. Stops at the first error; never overwrites an existing CA.
set -euo pipefail
rp() { node "$(dirname "$0")/../bin/repl-pki.js" "$@"; }
rp init-ca
rp issue server source1 --host source1.example.com
rp issue replica replica1
rp crl
rp bundle source1 --out bundles
rp bundle replica1 --out bundles --source-host source1.example.com
rp list
