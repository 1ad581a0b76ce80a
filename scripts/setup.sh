#!/usr/bin/env bash
# Brings a Debian 12 machine (run as root) to the point where Skiff builds,
# starts and passes its tests: system packages, node_modules, the TypeScript
# build. Idempotent and quick when everything is already present: apt is only
# consulted for packages dpkg does not know as installed, `npm ci` only runs
# when node_modules does not match package-lock.json, and the build is
# incremental (`tsc -b`).
#
# Usage: scripts/setup.sh [--no-build]
#   --no-build  stop after installing; scripts/test.sh builds (typechecks)
#               itself so that a type error is reported beside the test
#               results instead of hiding them.
set -euo pipefail

# System packages Skiff needs at run and test time. Add new ones here.
#   etcd-server        the etcd store backend's tests start their own etcd
#   iptables           proxy/ applies service rules with iptables-restore
#   iproute2           network/ creates bridges, routes and namespaces
#   ca-certificates    TLS to registries and remote Slurm hosts
#   git                version stamps and examples
APT_PACKAGES=(
  etcd-server
  iptables
  iproute2
  ca-certificates
  git
)

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

say() { printf 'setup: %s\n' "$*" >&2; }

POLICY=/usr/sbin/policy-rc.d
POLICY_BACKUP=""

restore_policy() {
  if [ -n "$POLICY_BACKUP" ]; then
    cp -p "$POLICY_BACKUP" "$POLICY" && rm -f "$POLICY_BACKUP"
  else
    rm -f "$POLICY"
  fi
}

install_apt_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi
  if ! command -v apt-get >/dev/null; then
    say "missing system packages (${missing[*]}) and no apt-get: install them by hand"
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "missing system packages (${missing[*]}): run as root, or install them by hand"
    exit 1
  fi
  say "installing ${missing[*]}"

  # Debian starts a package's service on install (etcd-server would start a
  # system etcd on 127.0.0.1:2379). Our tests start their own etcd on random
  # ports, so forbid service starts while apt runs: invoke-rc.d and
  # deb-systemd-invoke ask /usr/sbin/policy-rc.d, and 101 means "not allowed".
  # Whatever policy was there before is put back afterwards.
  POLICY_BACKUP=""
  if [ -e "$POLICY" ]; then
    POLICY_BACKUP="$(mktemp)"
    cp -p "$POLICY" "$POLICY_BACKUP"
  fi
  trap restore_policy EXIT
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"

  export DEBIAN_FRONTEND=noninteractive
  # apt's progress is noise on success; show it when something went wrong.
  local log
  log="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "installing ${missing[*]} failed"
    exit 1
  fi
  rm -f "$log"

  restore_policy
  trap - EXIT
}

# node_modules is current when it was installed from this exact lockfile. The
# stamp lives inside node_modules so that deleting node_modules (or `npm ci`,
# which deletes it) invalidates it. Without a stamp, a tree that already
# matches the lockfile (every locked package present at its locked version,
# the native SQLite binding loadable by this node) is accepted as is, so an
# existing checkout is never reinstalled just to create the stamp.
STAMP=node_modules/.skiff-lock.sha256

lock_hash() {
  sha256sum package-lock.json | cut -d' ' -f1
}

tree_matches_lock() {
  node --input-type=module - <<'EOF'
import { readFileSync, existsSync, lstatSync } from "node:fs";
import { createRequire } from "node:module";
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (!path.startsWith("node_modules/")) continue; // root and workspace sources
  if (entry.optional) continue; // platform-specific binaries (esbuild, ...)
  if (entry.link) {
    if (!existsSync(path) || !lstatSync(path).isSymbolicLink()) process.exit(1);
    continue;
  }
  let installed;
  try {
    installed = JSON.parse(readFileSync(`${path}/package.json`, "utf8")).version;
  } catch {
    process.exit(1);
  }
  if (installed !== entry.version) process.exit(1);
}
// A binding built for another node ABI fails here, not at first use.
const require = createRequire(`${process.cwd()}/packages/core/package.json`);
try {
  new (require("better-sqlite3"))(":memory:").close();
} catch {
  process.exit(1);
}
EOF
}

install_node_modules() {
  local want
  want="$(lock_hash)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    return
  fi
  if [ -d node_modules ] && tree_matches_lock; then
    echo "$want" >"$STAMP"
    return
  fi
  # better-sqlite3 has no prebuilt binary reachable from here, so it compiles
  # from source (about 90 s); that is expected on a fresh machine.
  say "npm ci"
  npm ci --no-audit --no-fund
  echo "$want" >"$STAMP"
}

build() {
  say "tsc -b packages/core"
  node_modules/.bin/tsc -b packages/core
}

install_apt_packages
install_node_modules
if [ "${1:-}" != "--no-build" ]; then
  build
fi
say "ready ($ROOT)"
