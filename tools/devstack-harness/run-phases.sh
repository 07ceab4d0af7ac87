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
# WORKDIR/calls.log records the calls the plugin made. The order is
# stack.sh's: devstack's globals, with the variables already in the
# environment (ENABLED_SERVICES, CONGRESS_*, ...) winning as local.conf's
# do, then the file HARNESS_LOCALRC if given (sourced as localrc is: it
# may call disable_service), then the defaults of devstack's lib/* files,
# then the plugin's settings, then the phases, run in WORKDIR/devstack
# (devstack's checkout, stack.sh's working directory).
set -o errexit -o pipefail

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HARNESS_DIR/../.." && pwd)

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
CONGRESS_DIR=${CONGRESS_DIR:-$REPO_DIR}
CONGRESS_CONF_DIR=${CONGRESS_CONF_DIR:-$WORK/etc/congress}
harness_defaults "$WORK"
if [[ -n ${HARNESS_LOCALRC:-} ]]; then
    # shellcheck source=/dev/null
    source "$HARNESS_LOCALRC"
fi
harness_lib_defaults

# shellcheck source=/dev/null
source "$REPO_DIR/devstack/settings"

phases=("$@")
if [[ ${phases[*]} == all ]]; then
    phases=(stack:pre-install stack:install stack:post-config stack:extra
            stack:test-config unstack clean)
fi
for phase in "${phases[@]}"; do
    echo "[harness] plugin.sh ${phase//:/ }"
    _harness_record phase "$phase"
    if [[ $phase == stack:test-config ]] && is_service_enabled tempest; then
        harness_configure_tempest
    fi
    # shellcheck disable=SC2086,SC1090  # "stack install": two arguments
    source "$REPO_DIR/devstack/plugin.sh" ${phase//:/ }
    if [[ $phase == stack:test-config ]] && is_service_enabled tempest; then
        install_tempest_plugins
    fi
done
echo "[harness] done"
