#!/usr/bin/env bash
# Run devstack/plugin.sh phases the way stack.sh, unstack.sh and clean.sh
# do, with devstack's functions replaced by the stand-ins in
# tools/devstack-harness/functions.
#
# Usage: tools/devstack-harness/run-phases.sh WORKDIR PHASE...
#   PHASE: stack:pre-install stack:install stack:post-config stack:extra
#          stack:test-config unstack clean   (or "all": every one in order)
#
# Every path (DEST, /etc/congress, tempest.conf) lies under WORKDIR;
# WORKDIR/calls.log records the calls the plugin made. Variables already
# in the environment (ENABLED_SERVICES, CONGRESS_*, ...) win, as in
# local.conf.
set -o errexit -o pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(cd "$HARNESS_DIR/../.." && pwd)

if (($# < 2)); then
    sed -n '2,/^set /s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" | sed '$d' >&2
    exit 2
fi
WORK=$1
shift
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# shellcheck source=tools/devstack-harness/functions
source "$HARNESS_DIR/functions"
CONGRESS_DIR=${CONGRESS_DIR:-$TOP_DIR}
CONGRESS_CONF_DIR=${CONGRESS_CONF_DIR:-$WORK/etc/congress}
harness_defaults "$WORK"

# stack.sh sources every plugin's settings after local.conf.
# shellcheck source=/dev/null
source "$TOP_DIR/devstack/settings"

phases=("$@")
if [[ ${phases[*]} == all ]]; then
    phases=(stack:pre-install stack:install stack:post-config stack:extra
            stack:test-config unstack clean)
fi
for phase in "${phases[@]}"; do
    echo "[harness] plugin.sh ${phase//:/ }"
    _harness_record phase "$phase"
    # shellcheck disable=SC2086,SC1090  # "stack install": two arguments
    source "$TOP_DIR/devstack/plugin.sh" ${phase//:/ }
done
echo "[harness] done"
