#!/usr/bin/env bash
# `npm start [-- ARGS]`: prepare the machine (scripts/setup.sh), then run a
# single-node cluster (`skiff server`) in the foreground. ARGS go to
# `skiff server` unchanged, e.g. `npm start -- --store etcd://127.0.0.1:2379`.
# Without --store the server uses the embedded SQLite store inside its data
# directory; without --data-dir that is the server's default, chosen in
# packages/core/src/bin/config.ts: /var/lib/skiff as root, ~/.skiff
# otherwise, or $SKIFF_DATA_DIR when set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec node packages/core/dist/bin/skiff.js server "$@"
