#!/usr/bin/env bash
# The test suite, from nothing on a fresh Debian machine with Python 3:
# starts RabbitMQ, MariaDB and PostgreSQL if they are down, brings up the
# real OpenStack test bed (keystone + nova on loopback), runs flake8, the
# sample and docs checks, the unit and functional tests and the tempest
# plugin against congress and the test bed, and ends with a line
# "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

passed=0
failed=0
failures=()  # what failed, named again just above the last line
log() { printf '==> %s\n' "$*"; }

wait_port() {  # host port seconds
    local deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        (echo >"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 1
    done
    return 1
}

start_services() {
    if ! wait_port 127.0.0.1 5672 1; then
        log "starting RabbitMQ"
        rabbitmq-server -detached || true
    fi
    if ! wait_port 127.0.0.1 3306 1; then
        log "starting MariaDB"
        start-stop-daemon --start --oknodo --background \
            --exec /usr/sbin/mariadbd || true
    fi
    if ! wait_port 127.0.0.1 5432 1; then
        log "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect \
            "$(ls /etc/postgresql)" main start || true
    fi
    wait_port 127.0.0.1 5672 60 || log "RabbitMQ is not answering"
    wait_port 127.0.0.1 3306 60 || log "MariaDB is not answering"
    wait_port 127.0.0.1 5432 60 || log "PostgreSQL is not answering"
}

# One check that is not a stestr run counts as one test.
check() {  # name command...
    local name=$1
    shift
    log "$name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("check: $name")
        log "FAILED: $name"
    fi
}

# The number of the newest stestr run in .stestr (-1 when there is none:
# the first run is 0).
newest_run() {
    local n
    n=$(find .stestr -maxdepth 1 -name '[0-9]*' -printf '%f\n' 2>/dev/null |
        grep -E '^[0-9]+$' | sort -n | tail -n 1)
    echo "${n:--1}"
}

# Add the counts of the stestr run made since run number $2 (the newest
# before it started): a run that did not happen (tests that cannot even be
# imported) fails, never counts an earlier run's results.
count_stestr() {  # name newest-run-before
    local summary p f
    if [ "$(newest_run)" -le "$2" ]; then
        failed=$((failed + 1))
        failures+=("$1: the tests did not run")
        log "FAILED: the $1 tests did not run"
        return
    fi
    summary=$(.tox/shared/bin/stestr last 2>/dev/null | tail -n 40)
    p=$(sed -n 's/^ - Passed: \([0-9]*\)$/\1/p' <<<"$summary")
    f=$(sed -n 's/^ - Failed: \([0-9]*\)$/\1/p' <<<"$summary")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ -z "$p" ]; then
        failed=$((failed + 1))
        failures+=("$1: the tests did not run")
        log "FAILED: the $1 tests did not run"
    fi
    local id
    while read -r id; do
        [ -n "$id" ] && failures+=("$1: $id")
    done < <(.tox/shared/bin/stestr failing --list 2>/dev/null)
}

# The checked-in sample is what its generator writes now.
sample_is_current() {  # generator generator-config sample
    local fresh
    fresh=$(mktemp)
    ".tox/shared/bin/$1" --config-file "$2" --output-file "$fresh" &&
        diff -u "$3" "$fresh"
}

start_services
command -v shellcheck >/dev/null || {
    apt-get update -qq && apt-get install -y -qq shellcheck
} >/dev/null 2>&1 ||
    log "shellcheck could not be installed; the devstack plugin test skips it"

if [ ! -x .venv-tools/bin/tox ]; then
    log "installing tox"
    python3 -m venv .venv-tools && .venv-tools/bin/pip install -q tox
fi
tox=.venv-tools/bin/tox

log "preparing the test environment"
"$tox" -e py3 --notest -q || failed=$((failed + 1))

check "flake8" "$tox" -e pep8 -q
check "congress.conf.sample is current" sample_is_current \
    oslo-config-generator etc/congress/congress-config-generator.conf \
    etc/congress/congress.conf.sample
check "policy.yaml.sample is current" sample_is_current \
    oslopolicy-sample-generator etc/congress/congress-policy-generator.conf \
    etc/congress/policy.yaml.sample
check "docs build without warnings" "$tox" -e docs -q
check "release notes build without warnings" "$tox" -e releasenotes -q

log "unit tests"
before=$(newest_run)
"$tox" -e py3 -q
count_stestr unit "$before"

testbed_started=
if [ -x tools/openstack-testbed.sh ]; then
    if tools/openstack-testbed.sh status >/dev/null 2>&1; then
        log "the OpenStack test bed is already up; leaving it up"
    else
        log "bringing up the OpenStack test bed"
        tools/openstack-testbed.sh up ||
            log "the test bed did not come up; tests that need it will fail"
        testbed_started=1
    fi
fi

log "functional tests"
before=$(newest_run)
"$tox" -e functional -q
count_stestr functional "$before"

log "tempest: congress_tempest_tests against congress and the test bed"
tempest_log=$(mktemp)
tools/run-tempest.sh >"$tempest_log" 2>&1
cat "$tempest_log"
tempest_line=$(grep '^tempest: ' "$tempest_log" | tail -n 1)
tempest_passed=$(sed -n 's/^tempest: \([0-9]*\) passed, .*/\1/p' \
    <<<"$tempest_line")
tempest_failed=$(sed -n 's/^tempest: [0-9]* passed, \([0-9]*\) failed.*/\1/p' \
    <<<"$tempest_line")
passed=$((passed + ${tempest_passed:-0}))
failed=$((failed + ${tempest_failed:-1}))
while read -r id; do
    failures+=("tempest: $id")
done < <(sed -n 's/^{[0-9]*} \(.*\) \.\.\. FAILED$/\1/p' "$tempest_log")
if [ "${tempest_failed:-1}" -ne 0 ] && ! grep -q '^tempest: ' "$tempest_log"; then
    failures+=("tempest: the run did not end with its count")
fi

if [ -n "$testbed_started" ]; then
    tools/openstack-testbed.sh down || true
fi
# the keystone the API tests start for themselves (api/base.py)
CONGRESS_TESTBED_DIR=/tmp/congress-testbed-api \
    CONGRESS_TESTBED_PORT_OFFSET=200 tools/openstack-testbed.sh down \
    >/dev/null 2>&1 || true

for f in "${failures[@]}"; do
    echo "FAILED $f"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
