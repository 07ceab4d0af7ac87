#!/usr/bin/env bash
# A real OpenStack control plane on 127.0.0.1 for Congress's functional and
# tempest tests: keystone, placement, glance, a neutron API (no agents),
# nova (api, conductor, scheduler, compute with the fake virt driver) and
# cinder (api, scheduler, volume with cinder's fake volume driver).
#
# Usage:
#   tools/openstack-testbed.sh up [--keystone-only] [--register-congress URL]
#   tools/openstack-testbed.sh down
#   tools/openstack-testbed.sh status
#   tools/openstack-testbed.sh smoke        # boot/pause/unpause/delete
#   tools/openstack-testbed.sh register-congress URL
#   tools/openstack-testbed.sh install      # only build the venvs
#
# Environment (all optional):
#   CONGRESS_TESTBED_CACHE   venvs and schema templates
#                            (default /var/cache/congress-testbed)
#   CONGRESS_TESTBED_DIR     state: configs, SQLite DBs, logs, pids
#                            (default /tmp/congress-testbed)
#   CONGRESS_TESTBED_PORT_OFFSET  added to every default port (default 0)
#   CONGRESS_TESTBED_{KEYSTONE,PLACEMENT,GLANCE,NEUTRON,NOVA,CINDER}_PORT
#                            (defaults 5000 8778 9292 9696 8774 8776 + offset)
#   CONGRESS_TESTBED_CINDER  1 (default): cinder in the full stack; 0: none
#   CONGRESS_TESTBED_ADMIN_PASSWORD, CONGRESS_TESTBED_MEMBER_PASSWORD,
#   CONGRESS_TESTBED_SERVICE_PASSWORD    test passwords (fixed defaults)
#   CONGRESS_TESTBED_CONGRESS_URL  same as --register-congress URL
#   CONGRESS_TESTBED_TRANSPORT_URL rabbit URL (default: a vhost of its own,
#                            made with rabbitmqctl, on guest@127.0.0.1:5672)
#   CONGRESS_TESTBED_PYTHON  interpreter for the venvs (default python3.11)
#   CONGRESS_TESTBED_DB      mysql (default: keystone, nova, placement and
#                            neutron on MariaDB root@127.0.0.1:3306, started
#                            if down; SQLite if there is none) or sqlite
#   CONGRESS_TESTBED_MYSQL_{HOST,PORT,USER}
#   CONGRESS_TESTBED_STOP_TIMEOUT  seconds between SIGTERM and SIGKILL (10)
#
# After `up`, $CONGRESS_TESTBED_DIR/testbed.env (shell) and testbed.json
# describe the stack: URLs, credentials, image and flavor ids, and the
# python of the venv that has novaclient and openstackclient.

set -euo pipefail

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
TOOLS_DIR=$(dirname "$SCRIPT_PATH")
LIB_DIR=$TOOLS_DIR/testbed

CACHE=${CONGRESS_TESTBED_CACHE:-/var/cache/congress-testbed}
DIR=${CONGRESS_TESTBED_DIR:-/tmp/congress-testbed}
HOST=127.0.0.1
OFFSET=${CONGRESS_TESTBED_PORT_OFFSET:-0}
KEYSTONE_PORT=${CONGRESS_TESTBED_KEYSTONE_PORT:-$((5000 + OFFSET))}
PLACEMENT_PORT=${CONGRESS_TESTBED_PLACEMENT_PORT:-$((8778 + OFFSET))}
GLANCE_PORT=${CONGRESS_TESTBED_GLANCE_PORT:-$((9292 + OFFSET))}
NEUTRON_PORT=${CONGRESS_TESTBED_NEUTRON_PORT:-$((9696 + OFFSET))}
NOVA_PORT=${CONGRESS_TESTBED_NOVA_PORT:-$((8774 + OFFSET))}
CINDER_PORT=${CONGRESS_TESTBED_CINDER_PORT:-$((8776 + OFFSET))}
CINDER=${CONGRESS_TESTBED_CINDER:-1}
ADMIN_PASSWORD=${CONGRESS_TESTBED_ADMIN_PASSWORD:-testbed-admin-secret}
MEMBER_PASSWORD=${CONGRESS_TESTBED_MEMBER_PASSWORD:-testbed-member-secret}
SERVICE_PASSWORD=${CONGRESS_TESTBED_SERVICE_PASSWORD:-testbed-congress-secret}
REGION=RegionOne
# Each state dir gets its own RabbitMQ vhost: two testbeds on one broker
# would otherwise share queues ("conductor", "compute.HOST", ...) and
# answer each other's RPC calls.
RABBIT_VHOST=${CONGRESS_TESTBED_RABBIT_VHOST:-congress-testbed-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)}
TRANSPORT_URL=${CONGRESS_TESTBED_TRANSPORT_URL:-rabbit://guest:guest@127.0.0.1:5672/$RABBIT_VHOST}
BASE_PYTHON=${CONGRESS_TESTBED_PYTHON:-python3.11}
DB_BACKEND=${CONGRESS_TESTBED_DB:-mysql}
MYSQL_HOST=${CONGRESS_TESTBED_MYSQL_HOST:-127.0.0.1}
MYSQL_PORT=${CONGRESS_TESTBED_MYSQL_PORT:-3306}
MYSQL_USER=${CONGRESS_TESTBED_MYSQL_USER:-root}
# Keystone is on MariaDB so that tempest's workers can create their
# dynamic credentials (projects, users, role assignments) in parallel:
# on SQLite concurrent writers fail with "database is locked".  Neutron and
# glance are there for the same reason (parallel tests create networks,
# ports and images: glance on SQLite answered 500s).
MYSQL_DBS="keystone nova_api nova_cell0 nova_cell1 placement neutron glance cinder"
# Database names are prefixed per state dir, like the RabbitMQ vhost.
DB_PREFIX=ctb$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)_
STOP_TIMEOUT=${CONGRESS_TESTBED_STOP_TIMEOUT:-10}
COMPUTE_HOST=congress-testbed-compute

NOVA_VENV=$CACHE/venv-nova
NEUTRON_VENV=$CACHE/venv-neutron
CINDER_VENV=$CACHE/venv-cinder
NOVA_REQS=(
    'nova==34.0.0'
    'openstack-placement==16.0.0'
    'keystone==30.0.0'
    'glance==33.0.0'
    'python-novaclient==18.13.1'
    'python-openstackclient==10.5.0'
    'keystonemiddleware==13.0.1'
    'oslo.messaging==18.3.1'
    'SQLAlchemy==2.1.9'
    'cheroot==11.1.2'
    'PyMySQL==1.2.4'
)
NEUTRON_REQS=(
    'neutron==29.0.0'
    'pymysql==1.2.4'
    'cheroot==11.1.2'
)
# Cinder of the same series as nova 34 / keystone 30 / glance 33 (2026.2),
# in a venv of its own like neutron's: its pins are not nova's.
CINDER_REQS=(
    'cinder==29.0.0'
    'PyMySQL==1.2.4'
    'cheroot==11.1.2'
    # the fake volume driver lives in cinder.tests, which imports fixtures
    'fixtures==4.3.2'
)
CINDER_HOST=congress-testbed-volume
CINDER_SERVICES=(cinder-api cinder-scheduler cinder-volume)

# Services in start order; `down` stops them in reverse.
ALL_SERVICES=(keystone placement glance neutron nova-api
              nova-conductor nova-scheduler nova-compute
              "${CINDER_SERVICES[@]}")

T0=$EPOCHREALTIME

elapsed() {
    awk -v a="$EPOCHREALTIME" -v b="$T0" 'BEGIN { printf "%.1f", a - b }'
}

log() {
    printf '[testbed %6ss] %s\n' "$(elapsed)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

check_dir_sane() {
    case "$DIR" in
        ''|/|/tmp|/tmp/|/var|/root|/home|/usr|/etc)
            die "refusing to use CONGRESS_TESTBED_DIR=$DIR";;
    esac
}

# ---------------------------------------------------------------- install

# Build (or reuse) one venv.  A stamp file holding the requirement list
# marks a finished install: same list, no work.
ensure_venv() {
    local venv=$1
    shift
    local want stamp=$venv/.testbed-stamp
    want=$(printf '%s\n' "$BASE_PYTHON" "$@")
    if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$want" ]]
    then
        return 0
    fi
    local t_start
    t_start=$(date +%s)
    log "installing $(basename "$venv") (${*})"
    command -v "$BASE_PYTHON" >/dev/null ||
        die "$BASE_PYTHON not found (set CONGRESS_TESTBED_PYTHON)"
    if [[ ! -x $venv/bin/python ]]; then
        rm -rf "$venv"
        "$BASE_PYTHON" -m venv "$venv"
    fi
    local pip_log
    pip_log=$CACHE/$(basename "$venv")-install.log
    if ! { "$venv/bin/pip" install --upgrade pip &&
           "$venv/bin/pip" install "$@"; } >"$pip_log" 2>&1; then
        grep -v 'is ignored: it is neither' "$pip_log" | tail -n 30 >&2
        die "pip install into $venv failed (log: $pip_log)"
    fi
    printf '%s\n' "$want" >"$stamp"
    log "installed $(basename "$venv") in $(($(date +%s) - t_start)) s"
}

install_venvs() {
    local mode=$1
    mkdir -p "$CACHE"
    # One installer at a time, whatever the number of test processes.
    exec 8>"$CACHE/.install.lock"
    flock 8
    # The two venvs install in parallel (pip waits on the network much
    # of the time).
    local pids=() p rc=0
    ensure_venv "$NOVA_VENV" "${NOVA_REQS[@]}" &
    pids+=($!)
    if [[ $mode == full ]]; then
        ensure_venv "$NEUTRON_VENV" "${NEUTRON_REQS[@]}" &
        pids+=($!)
    fi
    if [[ $mode == full && $CINDER == 1 ]]; then
        ensure_venv "$CINDER_VENV" "${CINDER_REQS[@]}" &
        pids+=($!)
    fi
    for p in "${pids[@]}"; do
        wait "$p" || rc=1
    done
    ((rc == 0)) || die "installing the venvs failed"
    flock -u 8
    exec 8>&-
}

# -------------------------------------------------------------- processes

pid_file() {
    echo "$DIR/run/$1.pid"
}

# Print the pid of a service if its pid file names a live process that is
# ours (its command line mentions our state dir); else nothing.
live_pid() {
    local f pid
    f=$(pid_file "$1")
    [[ -f $f ]] || return 0
    pid=$(cat "$f" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    [[ -r /proc/$pid/cmdline ]] || return 0
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$DIR/"; then
        echo "$pid"
    fi
}

# start_service NAME CMD...: run in its own session (so its children,
# e.g. nova's worker processes, share its process group) with output to
# $DIR/log/NAME.log, and record the pid.
start_service() {
    local name=$1
    shift
    (
        cd "$DIR"
        # Our lock files must not outlive this script in the services.
        exec 8>&- 9>&-
        exec setsid "$@" </dev/null >>"$DIR/log/$name.log" 2>&1
    ) &
    echo $! >"$(pid_file "$name")"
}

start_wsgi() {
    local name=$1 venv=$2 port=$3 app=$4
    shift 4
    start_service "$name" env "$@" "$venv/bin/python" "$LIB_DIR/wsgi_serve.py" \
        --name "$name" --app "$app" --host "$HOST" --port "$port" \
        --testbed "$DIR/" ${EXTRA_WSGI_ARGS:+"$EXTRA_WSGI_ARGS"}
}

# Stop every service we recorded: SIGTERM to its process group, SIGKILL
# after STOP_TIMEOUT seconds.
stop_all() {
    local i name pid pids=() waited=0
    for ((i = ${#ALL_SERVICES[@]} - 1; i >= 0; i--)); do
        name=${ALL_SERVICES[i]}
        pid=$(live_pid "$name")
        if [[ -n $pid ]]; then
            log "stopping $name (pid $pid)"
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null ||
                true
            pids+=("$pid")
        fi
        rm -f "$(pid_file "$name")"
    done
    while ((${#pids[@]} > 0)); do
        local alive=()
        for pid in "${pids[@]}"; do
            if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null
            then
                alive+=("$pid")
            fi
        done
        pids=("${alive[@]+"${alive[@]}"}")
        ((${#pids[@]} > 0)) || break
        if ((waited >= STOP_TIMEOUT * 10)); then
            for pid in "${pids[@]}"; do
                log "pid $pid still there after ${STOP_TIMEOUT}s: SIGKILL"
                kill -KILL -- "-$pid" 2>/dev/null ||
                    kill -KILL "$pid" 2>/dev/null || true
            done
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    rm -f "$DIR/ready"
}

# Wait until URL answers HTTP (any status) while service NAME lives.
wait_http() {
    local name=$1 url=$2 timeout=${3:-120} start code
    start=$(date +%s)
    while :; do
        code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true)
        if [[ $code != 000 && -n $code ]]; then
            log "$name answers on $url (HTTP $code)"
            return 0
        fi
        if [[ -z $(live_pid "$name") ]]; then
            tail -n 40 "$DIR/log/$name.log" >&2 || true
            die "$name died (log: $DIR/log/$name.log)"
        fi
        if (($(date +%s) - start > timeout)); then
            tail -n 40 "$DIR/log/$name.log" >&2 || true
            die "$name not answering on $url after ${timeout}s"
        fi
        sleep 0.2
    done
}

port_free() {
    ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

ensure_rabbit() {
    local host port rest
    rest=${TRANSPORT_URL#*@}
    host=${rest%%:*}
    port=${rest#*:}
    port=${port%%/*}
    if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
        start_rabbit "$host" "$port"
    fi
    if [[ -z ${CONGRESS_TESTBED_TRANSPORT_URL:-} ]] &&
        ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qxF "$RABBIT_VHOST"
    then
        if ! { rabbitmqctl -q add_vhost "$RABBIT_VHOST" &&
               rabbitmqctl -q set_permissions -p "$RABBIT_VHOST" guest \
                   '.*' '.*' '.*'; } >/dev/null; then
            die "could not create RabbitMQ vhost $RABBIT_VHOST"
        fi
        log "RabbitMQ vhost $RABBIT_VHOST created"
    fi
}

start_rabbit() {
    local host=$1 port=$2
    if [[ $host != 127.0.0.1 && $host != localhost ]] ||
        ! command -v rabbitmq-server >/dev/null; then
        die "RabbitMQ not reachable at $host:$port"
    fi
    log "RabbitMQ is down: starting it (rabbitmq-server -detached)"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    local i
    for ((i = 0; i < 600; i++)); do
        if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
            rabbitmqctl -q await_startup >/dev/null 2>&1 || true
            log "RabbitMQ is up"
            return 0
        fi
        sleep 0.2
    done
    die "RabbitMQ did not come up on $host:$port"
}

# ---------------------------------------------------------------- configs

# The databases of MYSQL_DBS are on MariaDB: on SQLite, parallel
# server builds (or tempest workers creating credentials) fail with
# "database is locked" (a deferred transaction cannot take the write lock
# another process holds, and SQLite answers at once instead of waiting).
# The other services stay on SQLite, in WAL mode (set when the schema is
# built) with a busy timeout.
db_url() {
    if [[ $DB_BACKEND == mysql && " $MYSQL_DBS " == *" $1 "* ]]; then
        echo "mysql+pymysql://$MYSQL_USER@$MYSQL_HOST:$MYSQL_PORT/$DB_PREFIX$1?charset=utf8mb4"
    else
        echo "sqlite:///$DIR/db/$1.sqlite?timeout=60"
    fi
}

mysql_cmd() {
    mysql -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" "$@"
}

# (Re)create the MariaDB databases named, empty.
mysql_recreate() {
    local db sql=
    for db in "$@"; do
        sql+="DROP DATABASE IF EXISTS \`$DB_PREFIX$db\`;"
        sql+="CREATE DATABASE \`$DB_PREFIX$db\` CHARACTER SET utf8;"
    done
    mysql_cmd -e "$sql"
}

# Dump the databases named (with their DROP/CREATE) to file $1.
mysql_dump() {
    local out=$1
    shift
    local dbs=() db
    for db in "$@"; do
        dbs+=("$DB_PREFIX$db")
    done
    mkdir -p "$(dirname "$out")"
    mysqldump -h "$MYSQL_HOST" -P "$MYSQL_PORT" -u "$MYSQL_USER" \
        --add-drop-database --databases "${dbs[@]}" >"$out"
}

ensure_mariadb() {
    if (exec 3<>"/dev/tcp/$MYSQL_HOST/$MYSQL_PORT") 2>/dev/null; then
        return 0
    fi
    if [[ $MYSQL_HOST == 127.0.0.1 && -x /usr/sbin/mariadbd ]] &&
        command -v start-stop-daemon >/dev/null; then
        log "MariaDB is down: starting it"
        start-stop-daemon --start --oknodo --background \
            --exec /usr/sbin/mariadbd >/dev/null 2>&1 || true
        local i
        for ((i = 0; i < 300; i++)); do
            if mysql_cmd -e 'SELECT 1' >/dev/null 2>&1; then
                log "MariaDB is up"
                return 0
            fi
            sleep 0.2
        done
    fi
    if [[ -n ${CONGRESS_TESTBED_DB:-} ]]; then
        die "MariaDB not reachable at $MYSQL_HOST:$MYSQL_PORT"
    fi
    log "WARNING: no MariaDB: $MYSQL_DBS on SQLite" \
        "(parallel server builds may fail with 'database is locked')"
    DB_BACKEND=sqlite
}

# Switch the SQLite files named to WAL (persistent in the file).
wal_mode() {
    "$NOVA_VENV/bin/python" - "$@" <<'PYEOF'
import sqlite3
import sys

for path in sys.argv[1:]:
    conn = sqlite3.connect(path)
    mode = conn.execute('PRAGMA journal_mode=WAL').fetchone()[0]
    conn.close()
    if mode != 'wal':
        sys.exit('could not set WAL on %s: %s' % (path, mode))
PYEOF
}

ks_url() {
    echo "http://$HOST:$KEYSTONE_PORT/v3"
}

authtoken_section() {
    cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $(ks_url)
auth_url = $(ks_url)
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = admin
password = $ADMIN_PASSWORD
region_name = $REGION
service_token_roles_required = true
EOF
}

# Credentials for the [placement], [neutron], [service_user] ... sections.
client_auth() {
    cat <<EOF
auth_type = password
auth_url = $(ks_url)
project_domain_name = Default
user_domain_name = Default
project_name = service
username = admin
password = $ADMIN_PASSWORD
region_name = $REGION
EOF
}

write_configs() {
    local mode=$1
    mkdir -p "$DIR"/{etc/keystone,etc/placement,etc/glance,etc/neutron} \
        "$DIR"/{etc/nova,db,log,run,keystone/fernet,keystone/cred} \
        "$DIR"/{glance/images,glance/staging,glance/tasks,glance/cache} \
        "$DIR"/{nova/state,nova/instances,nova/lock,neutron/lock}

    cat >"$DIR/etc/keystone/keystone.conf" <<EOF
[DEFAULT]
debug = false
[database]
connection = $(db_url keystone)
[token]
provider = fernet
expiration = 86400
[fernet_tokens]
key_repository = $DIR/keystone/fernet
[credential]
key_repository = $DIR/keystone/cred
[identity]
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memory
EOF
    [[ $mode == full ]] || return 0

    cat >"$DIR/etc/placement/placement.conf" <<EOF
[DEFAULT]
debug = false
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement)
$(authtoken_section)
EOF

    cp "$NOVA_VENV/etc/glance/glance-api-paste.ini" "$DIR/etc/glance/"
    cat >"$DIR/etc/glance/glance-api.conf" <<EOF
[DEFAULT]
debug = false
enabled_backends = fs:file
worker_self_reference_url = http://$HOST:$GLANCE_PORT
image_cache_dir = $DIR/glance/cache
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DIR/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $DIR/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $DIR/glance/tasks
[database]
connection = $(db_url glance)
[paste_deploy]
flavor = keystone
config_file = $DIR/etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $DIR/glance/cache
$(authtoken_section)
EOF

    cp "$NEUTRON_VENV/etc/neutron/api-paste.ini" "$DIR/etc/neutron/"
    # Neutron API server only: no agents, no OVS/OVN.  It holds real API
    # objects (networks, subnets, ports, routers, floating IPs, security
    # groups, QoS policies); ports stay unbound (nobody binds them), which
    # is all the API needs.  What each setting is for:
    # - service_plugins: router (routers, gateways, floating IPs; no L3
    #   agent schedules them), port_forwarding (floating IP port
    #   forwardings; nova's port queries ask for this extension's fields),
    #   qos (QoS policies and rules; ports' qos_policy_id).
    # - [ml2] type_drivers: vxlan for project (tenant) networks, vlan with
    #   a range on physnet1 for admin provider networks, flat for the
    #   external network "public" that provision.py creates (flat allows
    #   one network per physical network).
    # - [ml2] tenant_network_types = vxlan: a project user's network gets a
    #   VNI from [ml2_type_vxlan] vni_ranges (without it: 503 "No project
    #   network is available").
    # - [ml2] mechanism_drivers = openvswitch: no port is bound without its
    #   agent (ports stay vif_type unbound), but loading it registers
    #   neutron's OVS QoS driver.  Without any QoS driver the QoS plugin
    #   refuses every rule of a policy bound to a port (QosRuleNotSupported:
    #   its driver manager finds no driver supporting the rule type).
    # - [ml2] extension_drivers: port_security (port_security_enabled on
    #   networks and ports), qos (qos_policy_id on networks and ports).
    # - [securitygroup] enable_security_group: security groups and their
    #   rules on ports (the default, written down because tests rely on it).
    # - notify_nova_on_port_*_changes = false: no nova callbacks for ports
    #   nobody plugs.
    cat >"$DIR/etc/neutron/neutron.conf" <<EOF
[DEFAULT]
debug = false
core_plugin = ml2
service_plugins = router,port_forwarding,qos
auth_strategy = keystone
transport_url = $TRANSPORT_URL
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
api_paste_config = $DIR/etc/neutron/api-paste.ini
state_path = $DIR/neutron
[database]
connection = $(db_url neutron)
[oslo_concurrency]
lock_path = $DIR/neutron/lock
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = port_security,qos
[ml2_type_flat]
flat_networks = public
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
[nova]
$(client_auth)
$(authtoken_section)
EOF

    cp "$NOVA_VENV/etc/nova/api-paste.ini" "$DIR/etc/nova/"
    cat >"$DIR/etc/nova/nova.conf" <<EOF
[DEFAULT]
debug = false
host = $COMPUTE_HOST
my_ip = $HOST
state_path = $DIR/nova/state
instances_path = $DIR/nova/instances
compute_driver = fake.FakeDriverWithoutFakeNodes
transport_url = $TRANSPORT_URL
allow_resize_to_same_host = true
[wsgi]
api_paste_config = $DIR/etc/nova/api-paste.ini
[api]
auth_strategy = keystone
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova_cell1)
[conductor]
workers = 1
[scheduler]
workers = 1
[oslo_notifications]
driver = noop
[vnc]
enabled = false
[oslo_concurrency]
lock_path = $DIR/nova/lock
[quota]
instances = 1000
cores = 1000
ram = 10000000
[service_user]
send_service_user_token = true
$(client_auth)
[placement]
$(client_auth)
[neutron]
$(client_auth)
[glance]
region_name = $REGION
$(nova_cinder_section)
$(authtoken_section)
EOF
    [[ $CINDER != 1 ]] || write_cinder_config
}

# ----------------------------------------------------------------- cinder
#
# No LVM or NFS backend can run on this machine's kernel (no device-mapper
# driver, no nfs filesystem), so cinder-volume runs cinder's own fake
# driver (it ships in the cinder wheel): volumes and snapshots go through
# the real API, scheduler, volume manager and their state machines and end
# `available`; attachments (nova's attach, os-attach) are recorded by the
# real attachment API; no data is ever stored. It plays the part nova's
# fake virt driver plays for servers.

# nova's [cinder] section (nothing when the bed has no cinder).
nova_cinder_section() {
    [[ $CINDER == 1 ]] || return 0
    cat <<EOF
[cinder]
catalog_info = volumev3:cinderv3:publicURL
os_region_name = $REGION
$(client_auth)
EOF
}

write_cinder_config() {
    mkdir -p "$DIR"/etc/cinder "$DIR"/cinder/{state,lock}
    cp "$CINDER_VENV/etc/cinder/api-paste.ini" "$DIR/etc/cinder/"
    cat >"$DIR/etc/cinder/cinder.conf" <<EOF
[DEFAULT]
debug = false
host = $CINDER_HOST
my_ip = $HOST
state_path = $DIR/cinder/state
transport_url = $TRANSPORT_URL
auth_strategy = keystone
api_paste_config = $DIR/etc/cinder/api-paste.ini
enabled_backends = fake
glance_api_servers = http://$HOST:$GLANCE_PORT
[backend_defaults]
target_helper = fake
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
[database]
connection = $(db_url cinder)
[oslo_concurrency]
lock_path = $DIR/cinder/lock
[coordination]
backend_url = file://$DIR/cinder/lock
[oslo_messaging_notifications]
driver = noop
[nova]
interface = public
$(client_auth)
$(authtoken_section)
EOF
}

# ---------------------------------------------------------------- schemas

# Schemas are built once per set of configs and versions, then copied:
# $CACHE/templates/<component>-<hash>/ holds the files below $DIR.
template_key() {
    local component=$1
    shift
    {
        cat "$SCRIPT_PATH" "$LIB_DIR/neutron_schema.py"
        cat "$NOVA_VENV/.testbed-stamp"
        echo "$DB_BACKEND $DB_PREFIX"
        [[ ! -f $NEUTRON_VENV/.testbed-stamp ]] ||
            cat "$NEUTRON_VENV/.testbed-stamp"
        [[ $component != cinder ]] || cat "$CINDER_VENV/.testbed-stamp"
        cat "$@"
    } | sha256sum | cut -c1-16 | sed "s/^/$component-/"
}

# build_schema COMPONENT "FILES BELOW DIR" CONFIG... -- COMMAND...
build_schema() {
    local component=$1 files=$2
    shift 2
    local configs=()
    while [[ $1 != -- ]]; do
        configs+=("$1")
        shift
    done
    shift
    local key tdir
    key=$(template_key "$component" "${configs[@]}")
    tdir=$CACHE/templates/$key
    local f
    if [[ -f $tdir/.complete ]]; then
        (cd "$tdir" && cp -a -- . "$DIR/")
        rm -f "$DIR/.complete"
        for f in $files; do
            # MariaDB dumps carry their own DROP/CREATE DATABASE.
            if [[ $f == *.sql ]] && ! mysql_cmd <"$DIR/$f"; then
                log "$component: restoring $f into MariaDB failed"
                return 1
            fi
        done
        log "$component schema from template $key"
        return 0
    fi
    local t_start
    t_start=$(date +%s)
    local dbs=()
    for f in $files; do
        [[ $f != *.sqlite ]] || dbs+=("$DIR/$f")
    done
    if ! { "$@" && wal_mode "${dbs[@]+"${dbs[@]}"}"; } \
            >>"$DIR/log/$component-schema.log" 2>&1; then
        tail -n 30 "$DIR/log/$component-schema.log" >&2
        log "$component schema failed (log: $DIR/log/$component-schema.log)"
        return 1
    fi
    rm -rf "$tdir.tmp"
    mkdir -p "$tdir.tmp"
    for f in $files; do
        mkdir -p "$tdir.tmp/$(dirname "$f")"
        cp -a "$DIR/$f" "$tdir.tmp/$f"
    done
    touch "$tdir.tmp/.complete"
    rm -rf "$tdir"
    mv "$tdir.tmp" "$tdir"
    log "$component schema built in $(($(date +%s) - t_start)) s"
}

keystone_schema_cmds() {
    local km=$NOVA_VENV/bin/keystone-manage
    local conf=$DIR/etc/keystone/keystone.conf
    local user group
    user=$(id -un)
    group=$(id -gn)
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate keystone || return 1
    fi
    "$km" --config-file "$conf" db_sync &&
    "$km" --config-file "$conf" fernet_setup \
        --keystone-user "$user" --keystone-group "$group" &&
    "$km" --config-file "$conf" credential_setup \
        --keystone-user "$user" --keystone-group "$group" &&
    "$km" --config-file "$conf" bootstrap \
        --bootstrap-password "$ADMIN_PASSWORD" \
        --bootstrap-username admin --bootstrap-project-name admin \
        --bootstrap-role-name admin --bootstrap-service-name keystone \
        --bootstrap-region-id "$REGION" \
        --bootstrap-admin-url "$(ks_url)" \
        --bootstrap-internal-url "$(ks_url)" \
        --bootstrap-public-url "$(ks_url)" || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/keystone.sql" keystone
    fi
}

nova_schema_cmds() {
    local nm=$NOVA_VENV/bin/nova-manage
    local conf=$DIR/etc/nova/nova.conf
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate nova_api nova_cell0 nova_cell1 || return 1
    fi
    "$nm" --config-file "$conf" api_db sync &&
    "$nm" --config-file "$conf" cell_v2 map_cell0 \
        --database_connection "$(db_url nova_cell0)" &&
    "$nm" --config-file "$conf" cell_v2 create_cell --name cell1 &&
    "$nm" --config-file "$conf" db sync || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/nova.sql" nova_api nova_cell0 nova_cell1
    fi
}

placement_schema_cmds() {
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate placement || return 1
    fi
    "$NOVA_VENV/bin/placement-manage" \
        --config-file "$DIR/etc/placement/placement.conf" db sync || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/placement.sql" placement
    fi
}

glance_schema_cmds() {
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate glance || return 1
    fi
    "$NOVA_VENV/bin/glance-manage" \
        --config-file "$DIR/etc/glance/glance-api.conf" db_sync || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/glance.sql" glance
    fi
}

cinder_schema_cmds() {
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate cinder || return 1
    fi
    "$CINDER_VENV/bin/cinder-manage" \
        --config-file "$DIR/etc/cinder/cinder.conf" db sync || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/cinder.sql" cinder
    fi
}

neutron_schema_cmds() {
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_recreate neutron || return 1
    fi
    "$NEUTRON_VENV/bin/python" "$LIB_DIR/neutron_schema.py" \
        "$(db_url neutron)" &&
    "$NEUTRON_VENV/bin/neutron-db-manage" \
        --config-file "$DIR/etc/neutron/neutron.conf" stamp heads || return 1
    if [[ $DB_BACKEND == mysql ]]; then
        mysql_dump "$DIR/mysql/neutron.sql" neutron
    fi
}

# Start the schema jobs in the background: KEYSTONE_SCHEMA_PID and
# SCHEMA_PIDS (the others) for wait_schemas.
KEYSTONE_SCHEMA_PID=
SCHEMA_PIDS=()
build_schemas() {
    local mode=$1
    local pids=()
    local keystone_files="db/keystone.sqlite keystone"
    [[ $DB_BACKEND != mysql ]] || keystone_files="mysql/keystone.sql keystone"
    build_schema keystone "$keystone_files" \
        "$DIR/etc/keystone/keystone.conf" -- keystone_schema_cmds &
    KEYSTONE_SCHEMA_PID=$!
    if [[ $mode == full ]]; then
        local nova_files="db/nova_api.sqlite db/nova_cell0.sqlite"
        nova_files+=" db/nova_cell1.sqlite"
        local placement_files=db/placement.sqlite
        local neutron_files=db/neutron.sqlite
        local glance_files=db/glance.sqlite
        if [[ $DB_BACKEND == mysql ]]; then
            glance_files=mysql/glance.sql
            nova_files=mysql/nova.sql
            placement_files=mysql/placement.sql
            neutron_files=mysql/neutron.sql
        fi
        build_schema nova "$nova_files" \
            "$DIR/etc/nova/nova.conf" -- nova_schema_cmds &
        pids+=($!)
        build_schema placement "$placement_files" \
            "$DIR/etc/placement/placement.conf" -- placement_schema_cmds &
        pids+=($!)
        build_schema glance "$glance_files" \
            "$DIR/etc/glance/glance-api.conf" -- glance_schema_cmds &
        pids+=($!)
        build_schema neutron "$neutron_files" \
            "$DIR/etc/neutron/neutron.conf" -- neutron_schema_cmds &
        pids+=($!)
    fi
    if [[ $mode == full && $CINDER == 1 ]]; then
        local cinder_files=db/cinder.sqlite
        [[ $DB_BACKEND != mysql ]] || cinder_files=mysql/cinder.sql
        build_schema cinder "$cinder_files" \
            "$DIR/etc/cinder/cinder.conf" -- cinder_schema_cmds &
        pids+=($!)
    fi
    SCHEMA_PIDS=("${pids[@]+"${pids[@]}"}")
}

wait_schemas() {
    local p rc=0
    for p in "$@"; do
        wait "$p" || rc=1
    done
    ((rc == 0)) || die "building the schemas failed"
}

# --------------------------------------------------------------- provision

provision() {
    TESTBED_DIR=$DIR \
    TESTBED_HOST=$HOST \
    TESTBED_REGION=$REGION \
    TESTBED_KEYSTONE_PORT=$KEYSTONE_PORT \
    TESTBED_PLACEMENT_PORT=$PLACEMENT_PORT \
    TESTBED_GLANCE_PORT=$GLANCE_PORT \
    TESTBED_NEUTRON_PORT=$NEUTRON_PORT \
    TESTBED_NOVA_PORT=$NOVA_PORT \
    TESTBED_CINDER_PORT=$CINDER_PORT \
    TESTBED_CINDER=$CINDER \
    TESTBED_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    TESTBED_MEMBER_PASSWORD=$MEMBER_PASSWORD \
    TESTBED_SERVICE_PASSWORD=$SERVICE_PASSWORD \
    TESTBED_PYTHON=$NOVA_VENV/bin/python \
    TESTBED_COMPUTE_HOST=$COMPUTE_HOST \
        "$NOVA_VENV/bin/python" "$LIB_DIR/provision.py" "$@"
}

# ---------------------------------------------------------------- actions

services_for() {
    local name
    if [[ $1 == full ]]; then
        for name in "${ALL_SERVICES[@]}"; do
            [[ $CINDER == 1 || $name != cinder-* ]] && echo "$name"
        done
    else
        echo keystone
    fi
}

# 0 when the testbed in $DIR is up in a mode that covers $1.
is_up() {
    local want=$1 mode name
    [[ -f $DIR/ready && -f $DIR/mode ]] || return 1
    mode=$(cat "$DIR/mode")
    if [[ $want == full && $mode != full ]]; then
        return 1
    fi
    for name in $(services_for "$mode"); do
        [[ -n $(live_pid "$name") ]] || return 1
    done
    curl -s -o /dev/null -m 5 "$(ks_url)" || return 1
}

up_failed() {
    local rc=$?
    trap - EXIT
    if [[ -d $DIR/run ]]; then
        log "up failed: stopping what was started; logs in $DIR/log"
        stop_all
    fi
    exit "$rc"
}

cmd_up() {
    local mode=full congress_url=${CONGRESS_TESTBED_CONGRESS_URL:-}
    while (($# > 0)); do
        case $1 in
            --keystone-only) mode=keystone-only;;
            --register-congress)
                (($# >= 2)) || die "--register-congress needs a URL"
                congress_url=$2
                shift;;
            --register-congress=*) congress_url=${1#*=};;
            *) die "unknown option for up: $1";;
        esac
        shift
    done
    check_dir_sane
    mkdir -p "$(dirname "$DIR")"
    # One `up` at a time for this state dir.
    exec 9>"$DIR.lock"
    flock 9

    if is_up "$mode"; then
        log "testbed already up ($(cat "$DIR/mode")) in $DIR"
        if [[ -n $congress_url ]]; then
            provision register-congress "$congress_url"
            provision write-env
        fi
        cmd_status
        return 0
    fi

    install_venvs "$mode"
    log "packages ready"

    # A failed `up` leaves no half-started stack behind (logs stay).
    trap up_failed EXIT

    # Leftovers: stop what our pid files still name, then lay $DIR anew.
    if [[ -d $DIR ]]; then
        stop_all
        rm -rf "$DIR"
    fi
    local name port
    for port in $KEYSTONE_PORT $( [[ $mode == full ]] &&
            echo "$PLACEMENT_PORT $GLANCE_PORT $NEUTRON_PORT $NOVA_PORT") \
            $( [[ $mode == full && $CINDER == 1 ]] && echo "$CINDER_PORT"); do
        port_free "$port" ||
            die "port $HOST:$port is taken by another process"
    done
    [[ $DB_BACKEND != mysql ]] || ensure_mariadb
    if [[ $mode == full ]]; then
        ensure_rabbit
    fi

    write_configs "$mode"
    echo "$mode" >"$DIR/mode"
    build_schemas "$mode"
    wait_schemas "$KEYSTONE_SCHEMA_PID"
    # Keystone starts while the other schemas are still being built; the
    # other APIs load in parallel with it (none needs keystone until its
    # first request).
    start_wsgi keystone "$NOVA_VENV" "$KEYSTONE_PORT" \
        keystone.wsgi.api:application \
        "OS_KEYSTONE_CONFIG_FILES=$DIR/etc/keystone/keystone.conf"
    wait_schemas "${SCHEMA_PIDS[@]+"${SCHEMA_PIDS[@]}"}"
    log "schemas ready"
    if [[ $mode == full ]]; then
        start_wsgi placement "$NOVA_VENV" "$PLACEMENT_PORT" \
            placement.wsgi.api:application \
            "OS_PLACEMENT_CONFIG_DIR=$DIR/etc/placement"
        start_wsgi glance "$NOVA_VENV" "$GLANCE_PORT" \
            glance.wsgi.api:application \
            "OS_GLANCE_CONFIG_DIR=$DIR/etc/glance"
        EXTRA_WSGI_ARGS=--configure-mappers start_wsgi neutron \
            "$NEUTRON_VENV" "$NEUTRON_PORT" neutron.wsgi.api:application \
            "OS_NEUTRON_CONFIG_DIR=$DIR/etc/neutron" \
            "OS_NEUTRON_CONFIG_FILES=neutron.conf"
        start_wsgi nova-api "$NOVA_VENV" "$NOVA_PORT" \
            nova.wsgi.osapi_compute:application \
            "OS_NOVA_CONFIG_DIR=$DIR/etc/nova"
    fi
    if [[ $mode == full && $CINDER == 1 ]]; then
        EXTRA_WSGI_ARGS=--app-config-file=$DIR/etc/cinder/cinder.conf \
            start_wsgi cinder-api "$CINDER_VENV" "$CINDER_PORT" \
            cinder.wsgi.api:application
    fi
    wait_http keystone "$(ks_url)" 60
    provision keystone "$mode"
    log "keystone users, projects and catalog ready"

    if [[ $mode == full ]]; then
        # The scheduler exits on a 401: start the services only now that
        # the catalog and the service users are in.
        for name in nova-conductor nova-scheduler nova-compute; do
            start_service "$name" "$NOVA_VENV/bin/$name" \
                --config-file "$DIR/etc/nova/nova.conf"
        done
        if [[ $CINDER == 1 ]]; then
            for name in cinder-scheduler cinder-volume; do
                start_service "$name" "$CINDER_VENV/bin/$name" \
                    --config-file "$DIR/etc/cinder/cinder.conf"
            done
        fi
        wait_http placement "http://$HOST:$PLACEMENT_PORT/" 120
        wait_http glance "http://$HOST:$GLANCE_PORT/" 120
        wait_http neutron "http://$HOST:$NEUTRON_PORT/" 120
        wait_http nova-api "http://$HOST:$NOVA_PORT/" 120
        provision content
        log "image and flavor ready"
        provision network
        log "external network ready"
        provision wait-compute
        "$NOVA_VENV/bin/nova-manage" --config-file "$DIR/etc/nova/nova.conf" \
            cell_v2 discover_hosts >>"$DIR/log/discover-hosts.log" 2>&1 ||
            die "discover_hosts failed (log: $DIR/log/discover-hosts.log)"
        provision wait-hypervisor
        log "compute host discovered"
        if [[ $CINDER == 1 ]]; then
            wait_http cinder-api "http://$HOST:$CINDER_PORT/" 120
            provision wait-cinder
            log "cinder-scheduler and cinder-volume are up"
        fi
    fi
    if [[ -n $congress_url ]]; then
        provision register-congress "$congress_url"
    fi
    provision write-env
    date +%s >"$DIR/ready"
    trap - EXIT
    log "testbed up ($mode) in $(elapsed) s;" \
        "source $DIR/testbed.env"
    cmd_status
}

cmd_down() {
    check_dir_sane
    if [[ ! -d $DIR ]]; then
        log "nothing to stop: $DIR does not exist"
        return 0
    fi
    mkdir -p "$DIR/run"
    stop_all
    log "testbed down"
}

cmd_status() {
    local name pid mode=none rc=0 pgids=() total=0 rss
    [[ -f $DIR/mode ]] && mode=$(cat "$DIR/mode")
    printf 'testbed dir: %s (mode: %s, ready: %s)\n' "$DIR" "$mode" \
        "$([[ -f $DIR/ready ]] && echo yes || echo no)"
    for name in "${ALL_SERVICES[@]}"; do
        pid=$(live_pid "$name")
        if [[ -n $pid ]]; then
            rss=$(ps -e -o pgid=,rss= |
                awk -v g="$pid" '$1 == g {s += $2} END {print int(s / 1024)}')
            total=$((total + rss))
            printf '  %-15s running  pid %-8s %5s MiB\n' "$name" "$pid" "$rss"
            pgids+=("$pid")
        elif [[ -f $(pid_file "$name") ]]; then
            printf '  %-15s DEAD (stale pid file)\n' "$name"
            rc=1
        elif [[ $mode != none ]] &&
            [[ " $(services_for "$mode" | tr '\n' ' ')" == *" $name "* ]]
        then
            printf '  %-15s not running\n' "$name"
            rc=1
        fi
    done
    printf '  total RSS: %s MiB\n' "$total"
    [[ ${#pgids[@]} -gt 0 ]] || rc=3
    return "$rc"
}

cmd_smoke() {
    [[ -f $DIR/testbed.json && -f $DIR/ready ]] ||
        die "testbed is not up (run: $0 up)"
    [[ $(cat "$DIR/mode") == full ]] || die "smoke needs a full testbed"
    provision smoke
}

main() {
    local cmd=${1:-}
    (($# == 0)) || shift
    case $cmd in
        up) cmd_up "$@";;
        down) cmd_down;;
        status) cmd_status;;
        smoke) cmd_smoke;;
        install) install_venvs full;;
        register-congress)
            (($# == 1)) || die "usage: $0 register-congress URL"
            is_up keystone-only || die "testbed is not up"
            provision register-congress "$1"
            provision write-env;;
        *)
            sed -n '2,/^$/s/^# \{0,1\}//p' "$SCRIPT_PATH" >&2
            exit 2;;
    esac
}

main "$@"
