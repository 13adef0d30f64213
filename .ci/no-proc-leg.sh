#!/usr/bin/env bash
# The second CI leg: the suites of lock, probe, registry, heartbeat and browser-mcp again with /proc
# hidden, as on a platform without it (macOS, Windows): in a private mount namespace, an empty tmpfs
# is mounted over /proc, so every fallback path (kill(pid, 0) liveness, no start times, holders
# unknown) is the one that runs. Tests of Linux-only features that need /proc check for it and skip,
# saying why; everything else must pass here too. Needs root and util-linux's unshare; browser-mcp's
# tests need its build (`pnpm build`, which `pnpm test` runs first in the main leg).
# Output ends with vitest's summary line `tests: N passed, N failed[, N skipped]`; exit status is vitest's.
set -uo pipefail
cd "$(dirname "$0")/.."

suites=(packages/lock packages/probe packages/registry packages/heartbeat apps/browser-mcp)

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "no-proc leg: needs root and unshare to hide /proc, and CI=true: failing" >&2
    echo "tests: 0 passed, 1 failed"
    exit 1
  fi
  echo "no-proc leg: skipped (needs root and util-linux's unshare to hide /proc)" >&2
  echo "tests: 0 passed, 0 failed, 1 skipped"
  exit 0
fi

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private sh -c '
  mount -t tmpfs -o mode=0555 none /proc || exit 1
  if [ -e /proc/self/stat ]; then echo "no-proc leg: /proc is still visible" >&2; exit 1; fi
  echo "no-proc leg: /proc hidden (empty tmpfs); running: $*" >&2
  exec node_modules/.bin/vitest run "$@"
' no-proc-leg "${suites[@]}"
