#!/usr/bin/env bash
# `npm test [-- PATH...]`: prepare the machine (scripts/setup.sh, which also
# typechecks through the build), lint (eslint, then the import rules of
# .dependency-cruiser.cjs), then run the tests (scripts/run-tests.mjs: unit
# tests concurrently, then integration and e2e tests one file at a time).
# PATHs, if given, narrow the test run to files at or under them; setup and
# lint always cover everything. The last line printed is `N passed, M failed`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
echo "test: lint" >&2
npm run --silent lint
exec node scripts/run-tests.mjs "$@"
