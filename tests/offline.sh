#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command with no network but loopback: in a network namespace of its
# own (unshare(1): as root, else through a user namespace), where 127.0.0.1
# is the only address there is. A test run this way proves that it needs
# nothing beyond the machine itself.
#
#   offline.sh -- CMD [ARGS…]
#
# Where no namespace can be made (no privilege, user namespaces disabled, no
# ip(8)), CMD runs with the machine's network and a TAP comment says so.
set -eu

[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: $0 -- CMD [ARGS…]" >&2; exit 99; }

if [ "${BGPT_OFFLINE:-}" = inside ]; then
  ip link set lo up
  exec "$@"
fi

if command -v unshare >/dev/null && command -v ip >/dev/null; then
  for flags in -n -rn; do
    if unshare $flags true 2>/dev/null; then
      BGPT_OFFLINE=inside exec unshare $flags "$0" -- "$@"
    fi
  done
fi

echo "# offline.sh: no network namespace can be made here: running with the machine's network"
exec "$@"
