#!/usr/bin/env bash
# The Congress tempest plugin against a real stack on 127.0.0.1:
#   - the OpenStack test bed (tools/openstack-testbed.sh: real keystone,
#     nova, placement, glance, a neutron API), brought up unless it is up;
#   - congress as three processes (--api, --policy-engine, --datasources)
#     over RabbitMQ (a vhost of its own) with MariaDB (a database of its
#     own), keystone auth, registered in the test bed's catalog as service
#     type "policy" (root URL, port 1789), with one data source per cloud
#     service (DATASOURCES below: nova, neutronv2, neutronv2_qos);
#   - a tempest workspace (tempest init) whose tempest.conf points at it;
#   - tempest run --regex congress_tempest_tests.
# Then it stops what it started, by PID (the test bed only if it was down),
# and ends with the line "tempest: N passed, N failed, N skipped".
#
# Usage: tools/run-tempest.sh [extra "tempest run" arguments]
#        tools/run-tempest.sh --stop   # what a KEEP=1 run left up
#   e.g. tools/run-tempest.sh --regex congress_tempest_tests.tests.api
#
# Environment (all optional):
#   CONGRESS_TEMPEST_DIR     work dir: configs, logs, pids, the workspace
#                            (default /tmp/congress-tempest)
#   CONGRESS_TEMPEST_VENV    tempest's virtualenv, reused across runs
#                            (default $CONGRESS_TESTBED_CACHE/tempest-venv)
#   CONGRESS_TEMPEST_PORT    congress API port (default 1789)
#   CONGRESS_TEMPEST_POLL_TIME  poll interval of the data sources (5)
#   CONGRESS_TEMPEST_CONCURRENCY  tempest workers (default 2: the test
#                            bed's keystone is on MariaDB, so workers can
#                            make their dynamic credentials in parallel;
#                            on 2 cores the 55 tests took 178 s with 1,
#                            121 s with 2 and 79-119 s with 3 workers)
#   CONGRESS_TEMPEST_KEEP=1  leave congress and the test bed running at the
#                            end; `tools/run-tempest.sh --stop` (same
#                            CONGRESS_TEMPEST_DIR) stops them
#   CONGRESS_TESTBED_*       passed to tools/openstack-testbed.sh
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTBED=$TOP/tools/openstack-testbed.sh
WORK=${CONGRESS_TEMPEST_DIR:-/tmp/congress-tempest}
CACHE=${CONGRESS_TESTBED_CACHE:-/var/cache/congress-testbed}
VENV=${CONGRESS_TEMPEST_VENV:-$CACHE/tempest-venv}
PORT=${CONGRESS_TEMPEST_PORT:-1789}
POLL_TIME=${CONGRESS_TEMPEST_POLL_TIME:-5}
CONCURRENCY=${CONGRESS_TEMPEST_CONCURRENCY:-2}
BASE_PYTHON=${CONGRESS_TESTBED_PYTHON:-python3.11}
TEMPEST_REQ='tempest==47.0.0'
HOST=127.0.0.1
URL=http://$HOST:$PORT
TESTBED_DIR=${CONGRESS_TESTBED_DIR:-/tmp/congress-testbed}
# The bus and the database are this work dir's own.
SUFFIX=$(printf '%s' "$WORK" | cksum | cut -d' ' -f1)
VHOST=congress-tempest-$SUFFIX
DB_NAME=congress_tempest_$SUFFIX
MYSQL_HOST=${CONGRESS_TESTBED_MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${CONGRESS_TESTBED_MYSQL_PORT:-3306}
MYSQL_USER=${CONGRESS_TESTBED_MYSQL_USER:-root}
ROLES=(policy-engine datasources api)

T0=$SECONDS
STARTED_TESTBED=0
log() { printf '[run-tempest %4ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

wait_port() {  # host port seconds
    local deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}

# ------------------------------------------------------------- stopping

pid_of() {
    local f=$WORK/run/$1.pid pid
    [[ -f $f ]] || return 0
    pid=$(cat "$f")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# SIGTERM to the recorded process group of each role named, SIGKILL
# after 20 s.
stop_roles() {
    local role pid pids=() i
    for role in "$@"; do
        pid=$(pid_of "$role")
        if [[ -n $pid ]]; then
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
            pids+=("$pid")
        fi
        rm -f "$WORK/run/$role.pid"
    done
    for ((i = 0; i < 200 && ${#pids[@]} > 0; i++)); do
        local alive=()
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive+=("$pid")
        done
        pids=("${alive[@]+"${alive[@]}"}")
        ((${#pids[@]} > 0)) && sleep 0.1
    done
    for pid in "${pids[@]+"${pids[@]}"}"; do
        log "pid $pid still there after 20 s: SIGKILL"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    done
}

stop_congress() {
    stop_roles tempest "${ROLES[@]}" sampler
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ ${CONGRESS_TEMPEST_KEEP:-0} == 1 ]]; then
        # the sampler only serves this run's peak figure: never kept
        stop_roles sampler
        if ((STARTED_TESTBED)); then
            : >"$WORK/run/started-testbed"
        fi
        log "CONGRESS_TEMPEST_KEEP=1: leaving congress and the test bed up;" \
            "stop them with: CONGRESS_TEMPEST_DIR=$WORK $0 --stop"
        exit "$rc"
    fi
    log "stopping congress"
    stop_congress
    if ((STARTED_TESTBED)); then
        log "stopping the test bed (this run started it)"
        "$TESTBED" down >&2 || true
    fi
    exit "$rc"
}

# ----------------------------------------------------------- preparing

ensure_services() {
    if ! wait_port 127.0.0.1 5672 1; then
        log "starting RabbitMQ"
        rabbitmq-server -detached >/dev/null 2>&1 || true
    fi
    if ! wait_port "$MYSQL_HOST" "$MYSQL_PORT" 1; then
        log "starting MariaDB"
        start-stop-daemon --start --oknodo --background \
            --exec /usr/sbin/mariadbd >/dev/null 2>&1 || true
    fi
    wait_port 127.0.0.1 5672 120 || die "RabbitMQ is not answering"
    wait_port "$MYSQL_HOST" "$MYSQL_PORT" 120 || die "MariaDB is not answering"
    rabbitmqctl -q await_startup >/dev/null 2>&1 || true
}

# tempest 47 and this repository (the plugin's entry point, and the
# congress-server the stack runs) in one virtualenv, kept across runs.
ensure_venv() {
    if [[ ! -x $VENV/bin/tempest ]] ||
        ! "$VENV/bin/python" -c 'import tempest, sys; from importlib.metadata import version; sys.exit(version("tempest") != "47.0.0")' 2>/dev/null; then
        log "installing $TEMPEST_REQ into $VENV"
        rm -rf "$VENV"
        "$BASE_PYTHON" -m venv "$VENV" || die "cannot create $VENV"
        "$VENV/bin/pip" install -q "$TEMPEST_REQ" >"$WORK/log/venv-install.log" 2>&1 ||
            die "pip install $TEMPEST_REQ failed (log: $WORK/log/venv-install.log)"
    fi
    local where wanted
    where=$("$VENV/bin/python" -c 'import congress, os; print(os.path.dirname(os.path.dirname(os.path.abspath(congress.__file__))))' 2>/dev/null)
    # reinstalled when the checkout or what it requires changes
    wanted="$TOP $(cat "$TOP/requirements.txt" "$TOP/setup.cfg" | sha256sum)"
    if [[ $where != "$TOP" ]] ||
        [[ $(cat "$VENV/.congress-install" 2>/dev/null) != "$wanted" ]] ||
        ! "$VENV/bin/python" -c 'import pymysql' 2>/dev/null; then
        log "installing congress ($TOP) into $VENV"
        "$VENV/bin/pip" install -q -e "$TOP" PyMySQL >>"$WORK/log/venv-install.log" 2>&1 ||
            die "pip install -e $TOP failed (log: $WORK/log/venv-install.log)"
        echo "$wanted" >"$VENV/.congress-install"
    fi
    "$VENV/bin/python" -c 'import congress_tempest_tests.plugin' ||
        die "the tempest plugin does not import"
}

prepare_bus_and_db() {
    if ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qxF "$VHOST"; then
        if ! { rabbitmqctl -q add_vhost "$VHOST" &&
               rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'; } >/dev/null
        then
            die "cannot create RabbitMQ vhost $VHOST"
        fi
    fi
    mysql -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" -e \
        "DROP DATABASE IF EXISTS \`$DB_NAME\`; CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8;" ||
        die "cannot create database $DB_NAME"
}

write_congress_conf() {
    cat >"$WORK/etc/congress.conf" <<EOF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:5672/$VHOST
state_path = $WORK/state
debug = false
shutdown_timeout = 10

[api]
bind_host = $HOST
bind_port = $PORT
auth_strategy = keystone
api_paste_config = $TOP/etc/congress/api-paste.ini

[database]
connection = mysql+pymysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_PORT/$DB_NAME?charset=utf8mb4

[dse]
# one bus per work dir: runs side by side never share queues or locks
bus_id = tempest-$SUFFIX
heartbeat_interval = 2
service_down_time = 10

[execution]
enabled = true

[datasources]
# the defaults and the in-memory test driver the API tests use
enabled_drivers = fake,nova,neutronv2,neutronv2_qos,keystonev3,glancev2,cinder,doctor
encryption_key_file = $WORK/state/secret.key
default_poll_time = $POLL_TIME
manager_sync_interval = 1

[policy_engine]
policy_library_path = $TOP/etc/congress/library

[keystone_authtoken]
www_authenticate_uri = $OS_AUTH_URL
auth_url = $OS_AUTH_URL
auth_type = password
username = $TESTBED_SERVICE_USERNAME
password = $TESTBED_SERVICE_PASSWORD
project_name = $TESTBED_SERVICE_PROJECT_NAME
user_domain_name = $TESTBED_USER_DOMAIN_NAME
project_domain_name = $TESTBED_PROJECT_DOMAIN_NAME
region_name = $TESTBED_REGION
EOF
}

start_congress() {
    local role
    for role in "${ROLES[@]}"; do
        (
            exec setsid "$VENV/bin/congress-server" \
                --config-file "$WORK/etc/congress.conf" \
                --node-id "tempest-$role" "--$role" \
                --log-file "$WORK/log/congress-$role.log" \
                </dev/null >>"$WORK/log/congress-$role.out" 2>&1
        ) &
        echo $! >"$WORK/run/$role.pid"
        log "congress-server --$role: pid $!"
    done
    local deadline=$((SECONDS + 90)) code
    while :; do
        code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$URL/" || true)
        [[ $code == 200 ]] && break
        for role in "${ROLES[@]}"; do
            [[ -n $(pid_of "$role") ]] || {
                tail -n 30 "$WORK/log/congress-$role.log" "$WORK/log/congress-$role.out" >&2
                die "congress-server --$role died"
            }
        done
        ((SECONDS < deadline)) || die "the congress API is not answering on $URL"
        sleep 0.5
    done
    log "congress API answers on $URL"
}

# The deployment's data sources (one per cloud service: name = driver, as
# devstack names them), created through the API as admin, reading with the
# congress service user (admin in project service); each must initialize.
DATASOURCES=(nova neutronv2 neutronv2_qos cinder keystonev3 glancev2)

create_datasources() {
    "$VENV/bin/python" - "$URL" "$POLL_TIME" "${DATASOURCES[@]}" <<'PYEOF' || die "creating the data sources failed"
import os
import sys
import time

import requests

url, poll, names = sys.argv[1], sys.argv[2], sys.argv[3:]
env = os.environ
auth = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
    'name': env['TESTBED_ADMIN_USERNAME'],
    'password': env['TESTBED_ADMIN_PASSWORD'],
    'domain': {'name': env['TESTBED_USER_DOMAIN_NAME']}}}},
    'scope': {'project': {'name': env['TESTBED_ADMIN_PROJECT_NAME'],
                          'domain': {'name': env['TESTBED_PROJECT_DOMAIN_NAME']}}}}}
r = requests.post(env['OS_AUTH_URL'] + '/auth/tokens', json=auth, timeout=30)
r.raise_for_status()
headers = {'X-Auth-Token': r.headers['X-Subject-Token']}
config = {'auth_url': env['OS_AUTH_URL'],
          'username': env['TESTBED_SERVICE_USERNAME'],
          'password': env['TESTBED_SERVICE_PASSWORD'],
          'project_name': env['TESTBED_SERVICE_PROJECT_NAME'],
          'user_domain_name': env['TESTBED_USER_DOMAIN_NAME'],
          'project_domain_name': env['TESTBED_PROJECT_DOMAIN_NAME'],
          'region_name': env['TESTBED_REGION'],
          'poll_time': poll}
for name in names:
    body = {'name': name, 'driver': name,
            'description': 'the test bed %s' % name, 'config': config}
    r = requests.post(url + '/v1/data-sources', json=body, headers=headers,
                      timeout=30)
    if r.status_code not in (201, 409):
        sys.exit('POST /v1/data-sources (%s): %s %s'
                 % (name, r.status_code, r.text))
deadline = time.monotonic() + 120
for name in names:
    while True:
        r = requests.get(url + '/v1/data-sources/%s/status' % name,
                         headers=headers, timeout=30)
        if r.status_code == 200 and r.json().get('initialized') == 'True':
            print('%s data source initialized: %s' % (name, r.json()))
            break
        if time.monotonic() > deadline:
            sys.exit('the %s data source did not initialize: %s %s'
                     % (name, r.status_code, r.text))
        time.sleep(1)
PYEOF
}

write_tempest_conf() {
    local ws=$WORK/tempest
    rm -rf "$ws"
    "$VENV/bin/tempest" workspace remove --name "congress-$SUFFIX" >/dev/null 2>&1 || true
    "$VENV/bin/tempest" init --name "congress-$SUFFIX" "$ws" >>"$WORK/log/tempest-init.log" 2>&1 ||
        die "tempest init failed (log: $WORK/log/tempest-init.log)"
    cat >"$ws/etc/tempest.conf" <<EOF
[DEFAULT]
log_dir = $ws/logs
log_file = tempest.log
debug = true

[auth]
use_dynamic_credentials = true
create_isolated_networks = false
admin_username = $TESTBED_ADMIN_USERNAME
admin_password = $TESTBED_ADMIN_PASSWORD
admin_project_name = $TESTBED_ADMIN_PROJECT_NAME
admin_domain_name = $TESTBED_USER_DOMAIN_NAME

[identity]
uri_v3 = $OS_AUTH_URL
auth_version = v3
region = $TESTBED_REGION
admin_domain_scope = false

[identity-feature-enabled]
api_v2 = false

[compute]
image_ref = $TESTBED_IMAGE_ID
flavor_ref = $TESTBED_FLAVOR_ID
build_timeout = 120
build_interval = 1

[service_available]
congress = true
nova = true
glance = true
neutron = true
cinder = $CINDER_AVAILABLE
swift = false

[congress]
catalog_type = policy
endpoint_type = publicURL
region = $TESTBED_REGION
nova_datasource = nova
cinder_datasource = cinder
keystone_datasource = keystonev3
glance_datasource = glancev2
datasource_poll_time = $POLL_TIME
neutronv2_datasource = neutronv2
neutronv2_qos_datasource = neutronv2_qos
build_timeout = 120
build_interval = 1

[congress-feature-enabled]
execution = true
nova_driver = true
fake_driver = true
dry_run = true
library_policies = true
keystone_driver = true
glance_driver = true
doctor_driver = true
neutronv2_driver = true
neutronv2_qos_driver = true

[network]
public_network_id = $TESTBED_PUBLIC_NETWORK_ID
EOF
}

# ------------------------------------------------------------- memory

# Every second: the RSS of the whole stack (test bed services, congress,
# MariaDB, RabbitMQ, tempest), the peak kept in $WORK/peak-rss.
start_sampler() {
    (
        exec 8>&- 9>&-
        peak=0
        while :; do
            pgids=""
            for f in "$TESTBED_DIR"/run/*.pid "$WORK"/run/*.pid; do
                [[ -f $f && $f != */sampler.pid ]] && pgids+=" $(cat "$f")"
            done
            total=$(ps -e -o pgid=,rss=,comm= | awk -v g="$pgids" '
                BEGIN { n = split(g, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
                want[$1] || $3 ~ /^(mariadbd|beam\.smp|erl_child_setup|epmd)$/ { s += $2 }
                END { print int(s / 1024) }')
            if ((total > peak)); then
                peak=$total
                echo "$peak" >"$WORK/peak-rss"
            fi
            sleep 1
        done
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$WORK/run/sampler.pid"
}

# ---------------------------------------------------------------- main

mkdir -p "$WORK"/{etc,log,run,state}
if [[ ${1:-} == --stop ]]; then
    # what a CONGRESS_TEMPEST_KEEP=1 run left up
    stop_congress
    if [[ -f $WORK/run/started-testbed ]]; then
        CONGRESS_TESTBED_DIR=$TESTBED_DIR "$TESTBED" down >&2 || true
        rm -f "$WORK/run/started-testbed"
    fi
    log "stopped"
    exit 0
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
stop_congress   # leftovers of an earlier run in this work dir
rm -f "$WORK/peak-rss"

ensure_services
ensure_venv
log "tempest venv ready: $VENV"

if CONGRESS_TESTBED_DIR=$TESTBED_DIR "$TESTBED" status >/dev/null 2>&1 &&
    [[ -f $TESTBED_DIR/ready && $(cat "$TESTBED_DIR/mode" 2>/dev/null) == full ]]; then
    log "the test bed in $TESTBED_DIR is up: reusing it"
else
    STARTED_TESTBED=1
fi
export CONGRESS_TESTBED_DIR=$TESTBED_DIR
"$TESTBED" up --register-congress "$URL" >&2 || die "the test bed did not come up"
# shellcheck source=/dev/null
source "$TESTBED_DIR/testbed.env"
# cinder only when the bed runs it (CONGRESS_TESTBED_CINDER)
CINDER_AVAILABLE=false
if [[ ${TESTBED_CINDER:-0} == 1 ]]; then
    CINDER_AVAILABLE=true
else
    mapfile -t DATASOURCES < <(printf '%s\n' "${DATASOURCES[@]}" | grep -vx cinder)
fi
start_sampler

prepare_bus_and_db
write_congress_conf
"$VENV/bin/congress-db-manage" --config-file "$WORK/etc/congress.conf" upgrade head \
    >>"$WORK/log/db-manage.log" 2>&1 || die "congress-db-manage failed (log: $WORK/log/db-manage.log)"
start_congress
create_datasources >&2
write_tempest_conf
log "stack ready after $((SECONDS - T0)) s; running tempest"

cd "$WORK/tempest" || die "no workspace"
t_start=$SECONDS
# In a session of its own, so that the sampler counts it and a stop
# reaches all its workers.
: >"$WORK/log/tempest-run.log"
(exec setsid "$VENV/bin/tempest" run --regex congress_tempest_tests \
    --concurrency "$CONCURRENCY" "$@" </dev/null >"$WORK/log/tempest-run.log" 2>&1) &
tempest_pid=$!
echo "$tempest_pid" >"$WORK/run/tempest.pid"
tail -n +1 -f --pid="$tempest_pid" "$WORK/log/tempest-run.log"
wait "$tempest_pid"
rc=$?
rm -f "$WORK/run/tempest.pid"
t_run=$((SECONDS - t_start))

# The counts of stestr's "Totals" block (the last one in the output).
total_of() {
    sed -n "s/^ - $1: \([0-9]*\)\$/\1/p" "$WORK/log/tempest-run.log" | tail -n1
}
passed=$(total_of Passed)
failed=$(total_of Failed)
skipped=$(total_of Skipped)
unexpected=$(total_of 'Unexpected Success')
failed=$((${failed:-0} + ${unexpected:-0}))
passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
if ((rc != 0 && failed == 0)); then
    failed=1   # tempest failed before or beside any test
fi
if ((passed == 0 && failed == 0)); then
    log "tempest ran no test"
    failed=1
    rc=1
fi
log "tempest run: $((passed + failed + skipped)) tests in ${t_run} s;" \
    "whole script so far $((SECONDS - T0)) s;" \
    "peak RSS of the stack $(cat "$WORK/peak-rss" 2>/dev/null || echo '?') MiB"
echo "tempest: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
