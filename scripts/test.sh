#!/usr/bin/env bash
# `npm test [-- PATH...]`: prepare the machine (scripts/setup.sh), then run
# every check and report them all, even when an early one fails:
#   typecheck  tsc -b packages/core (also refreshes dist/ for the e2e tests;
#              tsc still emits when it finds type errors)
#   lint       eslint
#   imports    the import rules of .dependency-cruiser.cjs
#   tests      scripts/run-tests.mjs: unit tests concurrently, then
#              integration and e2e tests one file at a time
# PATHs, if given, narrow the test run to files at or under them; the
# checks always cover everything. The last line printed is
# `N passed, M failed`, where a failed typecheck, lint or imports check
# counts as one failure each; the exit status is non-zero when M > 0.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --no-build

failed_checks=()
echo "test: typecheck (tsc -b packages/core)" >&2
node_modules/.bin/tsc -b packages/core || failed_checks+=(--failed-check=typecheck)
echo "test: typecheck (tests and benchmarks)" >&2
node_modules/.bin/tsc -p test/tsconfig.json || failed_checks+=(--failed-check=typecheck-tests)
# The two halves of `npm run lint`, run separately so that one failing does
# not hide the other's findings.
echo "test: lint (eslint)" >&2
npm run --silent lint:code || failed_checks+=(--failed-check=lint)
echo "test: import rules (dependency-cruiser)" >&2
npm run --silent lint:imports || failed_checks+=(--failed-check=imports)

exec node scripts/run-tests.mjs "${failed_checks[@]}" "$@"
