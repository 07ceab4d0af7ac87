# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""A recording double of the Nova compute API v2.1, over real HTTP.

:class:`FakeNovaAPI` is a small threaded HTTP server (stdlib
``http.server.ThreadingHTTPServer``) on 127.0.0.1 with a free port.  It
speaks enough of Nova's API for python-novaclient 18.x: version discovery,
microversions 2.1 to 2.96 (``OpenStack-API-Version`` and
``X-OpenStack-Nova-API-Version`` headers, answered in kind), servers (list
with ``all_tenants``, ``limit``/``marker`` paging and ``servers_links``,
show, create, delete, actions, metadata, tags), flavors, hypervisors,
services and availability zones.  Server bodies are shaped as Nova returns
them at the asked microversion (embedded flavor from 2.47, tags from 2.26,
...).  It records every call and can inject faults.  The compute API
does no authentication: any token, or none, is accepted.

Use it with novaclient through a keystoneauth1 session that has no auth
plugin and an endpoint override::

    from keystoneauth1 import session
    from novaclient import client

    with FakeNovaAPI() as nova:          # or self.useFixture(FakeNovaAPI())
        nova.populate(10000)
        sess = session.Session()         # auth=None: no token is sent
        nc = client.Client('2.96', session=sess,
                           endpoint_override=nova.endpoint)
        servers = nc.servers.list(search_opts={'all_tenants': 1}, limit=-1)

(``nova.endpoint`` is ``nova.url + '/v2.1'``.)  A session with
``keystoneauth1.noauth.NoAuth()`` or with
``keystoneauth1.token_endpoint.Token(nova.endpoint, 'any-token')`` as its
auth plugin works as well; then ``endpoint_override`` may be left out for
the latter.  Pass an explicit microversion: novaclient refuses
``'2.latest'`` without a service catalog.

A minimal keystone v3 is served under ``nova.auth_url`` (``nova.url +
'/identity/v3'``) for clients that always log in, such as
:class:`congress.cloudservices.nova_driver.NovaDriver`: version discovery
and ``POST /auth/tokens`` with the password method, answered with a token
in ``X-Subject-Token`` and a catalog whose compute endpoints are
``nova.endpoint``.  ``nova.token_requests`` counts the token requests (so a
test can check a token is reused); ``nova.driver_config(**extra)`` is the
``nova`` data-source config that logs in there::

    with FakeNovaAPI(max_limit=500) as nova:
        driver = nova_driver.NovaDriver('nova', nova.driver_config(
            timeout=5))

Without ``all_tenants`` a server list only shows the servers of the
caller's project: the ``X-Project-Id`` request header if sent, else
:attr:`FakeNovaAPI.project_id`.

Faults::

    nova.inject('POST', r'/servers/[^/]+/action$', status=409, times=1)
    nova.inject('GET', r'/servers/detail', delay=30)   # outlast a timeout
    nova.inject('GET', r'/flavors/detail', status=500,
                body={'computeFault': {'code': 500, 'message': 'boom'}})

Recorded calls: ``nova.calls`` (a copy), ``nova.find_calls(method, regex)``,
``nova.reset_calls()``.
"""

import copy
import datetime
import functools
import hashlib
import http.server
import json
import re
import threading
import time
import urllib.parse
import uuid

import fixtures

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 96)
DEFAULT_PROJECT_ID = '6f70656e737461636b20697320636f6f'
DEFAULT_USER_ID = 'fake-user-0000000000000000000000'
DEFAULT_IMAGE_ID = 'a0a0a0a0-0000-4000-8000-000000000001'
IDENTITY_PATH = '/identity'
IDENTITY_VERSION = {
    'id': 'v3.14', 'status': 'stable', 'updated': '2020-04-07T00:00:00Z',
    'media-types': [{'base': 'application/json',
                     'type': 'application/vnd.openstack.identity-v3+json'}]}

# Nova's names for the top-level key of a fault body
# (nova.api.openstack.wsgi.Fault._fault_names).
FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

# vm_state and power_state that go with each status.
STATUS_STATES = {
    'ACTIVE': ('active', 1),
    'BUILD': ('building', 0),
    'PAUSED': ('paused', 3),
    'SUSPENDED': ('suspended', 4),
    'SHUTOFF': ('stopped', 4),
    'SHELVED_OFFLOADED': ('shelved_offloaded', 4),
    'RESCUE': ('rescued', 1),
    'VERIFY_RESIZE': ('resized', 1),
    'ERROR': ('error', 0),
}

# action -> (statuses it is allowed from, status it leads to).  None as
# target: the status does not change.
ACTIONS = {
    'pause': ({'ACTIVE'}, 'PAUSED'),
    'unpause': ({'PAUSED'}, 'ACTIVE'),
    'suspend': ({'ACTIVE'}, 'SUSPENDED'),
    'resume': ({'SUSPENDED'}, 'ACTIVE'),
    'os-stop': ({'ACTIVE', 'ERROR', 'RESCUE'}, 'SHUTOFF'),
    'os-start': ({'SHUTOFF'}, 'ACTIVE'),
    'reboot': ({'ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED', 'ERROR'},
               'ACTIVE'),
    'shelve': ({'ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED'},
               'SHELVED_OFFLOADED'),
    'shelveOffload': ({'SHELVED_OFFLOADED'}, 'SHELVED_OFFLOADED'),
    'unshelve': ({'SHELVED_OFFLOADED'}, 'ACTIVE'),
    'rescue': ({'ACTIVE', 'SHUTOFF'}, 'RESCUE'),
    'unrescue': ({'RESCUE'}, 'ACTIVE'),
    'resize': ({'ACTIVE', 'SHUTOFF'}, 'VERIFY_RESIZE'),
    'confirmResize': ({'VERIFY_RESIZE'}, 'ACTIVE'),
    'revertResize': ({'VERIFY_RESIZE'}, 'ACTIVE'),
    'lock': (None, None),
    'unlock': (None, None),
    'os-resetState': (None, None),
    'migrate': ({'ACTIVE', 'SHUTOFF'}, 'VERIFY_RESIZE'),
    'os-migrateLive': ({'ACTIVE', 'PAUSED'}, None),
}


class NovaError(Exception):
    """Answer with a Nova fault body."""

    def __init__(self, status, message):
        super(NovaError, self).__init__(message)
        self.status = status
        self.message = message


def fault_body(status, message):
    return {FAULT_NAMES.get(status, 'computeFault'):
            {'code': status, 'message': message}}


@functools.lru_cache(maxsize=65536)   # a server's times, page after page
def _isotime(ts):
    return datetime.datetime.fromtimestamp(
        ts, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _parse_version(text):
    m = re.match(r'^\s*(\d+)\.(\d+)\s*$', text or '')
    if not m:
        return None
    return int(m.group(1)), int(m.group(2))


def _truthy(value):
    return str(value).lower() in ('1', 't', 'true', 'on', 'y', 'yes')


class Call(object):
    """One recorded request."""

    __slots__ = ('method', 'path', 'query', 'body', 'headers', 'version',
                 'status', 'time')

    def __init__(self, method, path, query, body, headers, version):
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.version = version
        self.status = None
        self.time = time.time()

    def __repr__(self):
        return '<Call %s %s %s -> %s>' % (
            self.method, self.path, self.query, self.status)


class Fault(object):
    """An injected fault; see :meth:`FakeNovaAPI.inject`."""

    def __init__(self, method, path_regex, status, body, delay, times,
                 headers):
        self.method = method.upper() if method else None
        self.path_regex = re.compile(path_regex)
        self.status = status
        self.body = body
        self.delay = delay
        self.times = times
        self.headers = headers or {}
        self.hits = 0

    def matches(self, method, path):
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method not in (None, '*', method):
            return False
        return self.path_regex.search(path) is not None

    @property
    def exhausted(self):
        return self.times is not None and self.hits >= self.times


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'FakeNovaAPI/1.0'

    def log_message(self, fmt, *args):  # quiet
        pass

    def _dispatch(self):
        try:
            self.server.api._handle(self)
        except Exception as e:  # a bug in the double: answer, don't hang up
            data = json.dumps(fault_body(500, 'FakeNovaAPI error: %r' % e))
            self.send_response(500)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data.encode())

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _dispatch


class FakeNovaAPI(fixtures.Fixture):
    """The double.  ``start()``/``stop()``, a context manager or a fixture.

    :param host: address to listen on (127.0.0.1)
    :param port: 0 picks a free port
    :param max_limit: page size cap, as Nova's ``[api] max_limit`` (1000)
    :param project_id: the project of callers that send no X-Project-Id;
        also the project of the tokens the identity endpoint issues

    :attr:`username`, :attr:`password` and :attr:`project_name` are the
    only credentials the identity endpoint accepts.
    """

    username = 'admin'
    password = 'fake-nova-secret'
    project_name = 'admin'

    def __init__(self, host='127.0.0.1', port=0, max_limit=1000,
                 project_id=DEFAULT_PROJECT_ID):
        super(FakeNovaAPI, self).__init__()
        self.host = host
        self.port = port
        self.max_limit = max_limit
        self.project_id = project_id
        self._lock = threading.RLock()
        self._calls = []
        self._faults = []
        self._stopping = threading.Event()
        self._httpd = None
        self._thread = None
        self.servers = {}       # id -> internal server dict (ordered)
        self.flavors = {}       # id -> flavor dict
        self.hypervisors = {}   # hostname -> hypervisor dict
        self.services = []
        self.images = {}
        self._request_seq = 0
        self.token_requests = 0     # POSTs to the identity auth/tokens
        self.add_flavor('m1.tiny', ram=512, vcpus=1, disk=1, flavor_id='1')

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.port)

    @property
    def endpoint(self):
        return self.url + '/v2.1'

    @property
    def auth_url(self):
        """The keystone v3 auth URL of the identity endpoint."""
        return self.url + IDENTITY_PATH + '/v3'

    def driver_config(self, **extra):
        """The config of a ``nova`` data source (NovaDriver) that logs in
        at :attr:`auth_url`; ``extra`` adds or overrides keys."""
        config = {'auth_url': self.auth_url, 'username': self.username,
                  'password': self.password,
                  'project_name': self.project_name}
        config.update(extra)
        return config

    def start(self):
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = http.server.ThreadingHTTPServer((self.host, self.port),
                                                _Handler)
        httpd.daemon_threads = True
        httpd.api = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={'poll_interval': 0.1},
            name='fake-nova-api-%d' % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()        # wakes handlers sleeping on a delay
        httpd.shutdown()
        httpd.server_close()
        self._thread.join(5)
        self._thread = None

    def _setUp(self):
        self.start()
        self.addCleanup(self.stop)

    # ------------------------------------------------------------ recording

    @property
    def calls(self):
        with self._lock:
            return list(self._calls)

    def find_calls(self, method=None, path_regex=None):
        rx = re.compile(path_regex) if path_regex else None
        return [c for c in self.calls
                if (method is None or c.method == method.upper()) and
                (rx is None or rx.search(c.path))]

    def reset_calls(self):
        with self._lock:
            del self._calls[:]

    # --------------------------------------------------------------- faults

    def inject(self, method, path_regex, status=500, body=None, delay=0,
               times=1, headers=None):
        """Make matching calls fail or hang.

        :param method: HTTP method, or None / '*' for any
        :param path_regex: searched (re.search) in the path, which starts
            with /v2.1 for API calls and has no query string
        :param status: HTTP status to answer; None to answer normally
            (after ``delay``)
        :param body: dict (sent as JSON) or str/bytes; default: a Nova
            fault body for ``status``
        :param delay: seconds to wait before answering
        :param times: how many calls it applies to; None for all
        :param headers: extra response headers
        :returns: the :class:`Fault`; its ``hits`` counts matched calls
        """
        fault = Fault(method, path_regex, status, body, delay, times,
                      headers)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self):
        with self._lock:
            del self._faults[:]

    def _take_fault(self, method, path):
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    # ----------------------------------------------------------------- data

    def add_flavor(self, name, ram=512, vcpus=1, disk=1, ephemeral=0,
                   swap=0, flavor_id=None, is_public=True, extra_specs=None,
                   description=None):
        flavor = {
            'id': flavor_id or str(uuid.uuid4()),
            'name': name, 'ram': ram, 'vcpus': vcpus, 'disk': disk,
            'ephemeral': ephemeral, 'swap': swap, 'is_public': is_public,
            'extra_specs': dict(extra_specs or {}),
            'description': description, 'rxtx_factor': 1.0,
            'disabled': False,
        }
        with self._lock:
            self.flavors[flavor['id']] = flavor
        return flavor

    def add_hypervisor(self, hostname, vcpus=32, memory_mb=131072,
                       local_gb=2048, zone='nova', host_ip='192.0.2.10'):
        hyp = {
            'id': str(uuid.uuid5(uuid.NAMESPACE_DNS, hostname)),
            'hostname': hostname, 'vcpus': vcpus, 'memory_mb': memory_mb,
            'local_gb': local_gb, 'zone': zone, 'host_ip': host_ip,
            'service_id': str(uuid.uuid5(uuid.NAMESPACE_URL, hostname)),
            'status': 'enabled', 'state': 'up',
        }
        with self._lock:
            self.hypervisors[hostname] = hyp
            self.services.append({
                'id': hyp['service_id'], 'binary': 'nova-compute',
                'host': hostname, 'zone': zone, 'status': 'enabled',
                'state': 'up', 'disabled_reason': None,
                'forced_down': False, 'updated_at': time.time()})
        return hyp

    def add_server(self, name=None, status='ACTIVE', project_id=None,
                   user_id=DEFAULT_USER_ID, flavor_id=None, image_id=None,
                   host=None, zone=None, metadata=None, tags=None,
                   addresses=None, created=None, server_id=None,
                   description=None):
        with self._lock:
            if flavor_id is None:
                flavor_id = next(iter(self.flavors))
            if host is None:
                if not self.hypervisors:
                    self.add_hypervisor('compute-0')
                host = next(iter(self.hypervisors))
            hyp = self.hypervisors.get(host)
            sid = server_id or str(uuid.uuid4())
            index = len(self.servers)
            server = {
                'id': sid,
                'name': name or 'server-%d' % index,
                'status': status,
                'task_state': None,
                'project_id': project_id or self.project_id,
                'user_id': user_id,
                'flavor_id': flavor_id,
                'image_id': image_id or DEFAULT_IMAGE_ID,
                'host': host,
                'zone': zone or (hyp['zone'] if hyp else 'nova'),
                'metadata': dict(metadata or {}),
                'tags': list(tags or []),
                'addresses': addresses if addresses is not None else {
                    'private': [{
                        'version': 4,
                        'addr': '10.%d.%d.%d' % (
                            (index >> 16) & 255, (index >> 8) & 255,
                            index & 255),
                        'OS-EXT-IPS:type': 'fixed',
                        'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:%02x:%02x:%02x'
                        % ((index >> 16) & 255, (index >> 8) & 255,
                           index & 255)}]},
                'created': created if created is not None else time.time(),
                'updated': None,
                'locked': False,
                'locked_reason': None,
                'description': description,
                'instance_index': index,
            }
            server['updated'] = server['created']
            self.servers[sid] = server
        return server

    def populate(self, n_servers, n_flavors=5, n_hypervisors=4,
                 n_projects=3, zones=('nova',), statuses=('ACTIVE',),
                 tags=False):
        """Add many servers fast (10,000 in well under a second).

        Servers are spread round-robin over ``n_projects`` projects (the
        first is :attr:`project_id`), hypervisors, flavors and statuses;
        their ``created`` times grow with their index.  Returns the list of
        new server ids, oldest first.
        """
        with self._lock:
            flavors = list(self.flavors.values())
            for i in range(len(flavors), n_flavors):
                flavors.append(self.add_flavor(
                    'flavor-%d' % i, ram=512 * (i + 1), vcpus=i + 1,
                    disk=10 * (i + 1)))
            hyps = list(self.hypervisors)
            for i in range(len(hyps), n_hypervisors):
                hyps.append(self.add_hypervisor(
                    'compute-%d' % i, zone=zones[i % len(zones)],
                    host_ip='192.0.2.%d' % (10 + i))['hostname'])
            projects = [self.project_id] + [
                'project-%026d' % i for i in range(1, n_projects)]
            base = time.time() - n_servers
            start = len(self.servers)
            ids = []
            for i in range(n_servers):
                n = start + i
                server = self.add_server(
                    name='server-%d' % n,
                    status=statuses[n % len(statuses)],
                    project_id=projects[n % len(projects)],
                    flavor_id=flavors[n % len(flavors)]['id'],
                    host=hyps[n % len(hyps)],
                    metadata={'index': str(n)},
                    tags=['tag-%d' % (n % 3)] if tags else None,
                    created=base + i)
                ids.append(server['id'])
            return ids

    def get_server(self, server_id):
        with self._lock:
            return copy.deepcopy(self.servers[server_id])

    # -------------------------------------------------------------- helpers

    def _next_request_id(self):
        with self._lock:
            self._request_seq += 1
            return 'req-%08d-0000-4000-8000-%012d' % (
                self._request_seq, self._request_seq)

    def _server(self, sid):
        server = self.servers.get(sid)
        if server is None:
            raise NovaError(404, 'Instance %s could not be found.' % sid)
        return server

    def _hostid(self, server):
        if not server['host']:
            return ''
        return hashlib.sha224(
            (server['project_id'] + server['host']).encode()).hexdigest()

    def _links(self, kind, rid, base):
        return [
            {'rel': 'self', 'href': '%s/v2.1/%s/%s' % (base, kind, rid)},
            {'rel': 'bookmark', 'href': '%s/%s/%s' % (base, kind, rid)}]

    def _render_flavor_ref(self, server, version, base):
        flavor = self.flavors.get(server['flavor_id'])
        if version >= (2, 47):
            if flavor is None:
                return {}
            out = {'vcpus': flavor['vcpus'], 'ram': flavor['ram'],
                   'disk': flavor['disk'],
                   'ephemeral': flavor['ephemeral'],
                   'swap': flavor['swap'],
                   'original_name': flavor['name'],
                   'extra_specs': dict(flavor['extra_specs'])}
            return out
        return {'id': server['flavor_id'],
                'links': [{'rel': 'bookmark', 'href': '%s/flavors/%s' % (
                    base, server['flavor_id'])}]}

    def _render_server(self, server, version, base, detail=True):
        if not detail:
            return {'id': server['id'], 'name': server['name'],
                    'links': self._links('servers', server['id'], base)}
        vm_state, power_state = STATUS_STATES.get(
            server['status'], ('active', 1))
        out = {
            'id': server['id'],
            'name': server['name'],
            'status': server['status'],
            'tenant_id': server['project_id'],
            'user_id': server['user_id'],
            'metadata': dict(server['metadata']),
            'hostId': self._hostid(server),
            'image': {'id': server['image_id'],
                      'links': [{'rel': 'bookmark',
                                 'href': '%s/images/%s' % (
                                     base, server['image_id'])}]},
            'flavor': self._render_flavor_ref(server, version, base),
            'created': _isotime(server['created']),
            'updated': _isotime(server['updated']),
            'addresses': {net: [dict(a) for a in addrs]   # flat dicts
                          for net, addrs in server['addresses'].items()},
            'accessIPv4': '',
            'accessIPv6': '',
            'links': self._links('servers', server['id'], base),
            'OS-DCF:diskConfig': 'MANUAL',
            'progress': 0,
            'OS-EXT-AZ:availability_zone': server['zone'],
            'config_drive': '',
            'key_name': None,
            'OS-SRV-USG:launched_at': _isotime(server['created']),
            'OS-SRV-USG:terminated_at': None,
            'OS-EXT-SRV-ATTR:host': server['host'],
            'OS-EXT-SRV-ATTR:instance_name': 'instance-%08x' % (
                server['instance_index'] + 1),
            'OS-EXT-SRV-ATTR:hypervisor_hostname': server['host'],
            'OS-EXT-STS:task_state': server['task_state'],
            'OS-EXT-STS:vm_state': vm_state,
            'OS-EXT-STS:power_state': power_state,
            'os-extended-volumes:volumes_attached': [],
            'security_groups': [{'name': 'default'}],
        }
        if version >= (2, 3):
            out.update({
                'OS-EXT-SRV-ATTR:reservation_id': 'r-%08x' % (
                    server['instance_index'] + 1),
                'OS-EXT-SRV-ATTR:launch_index': 0,
                'OS-EXT-SRV-ATTR:hostname': server['name'].lower(),
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
                'OS-EXT-SRV-ATTR:user_data': None,
            })
        if version >= (2, 9):
            out['locked'] = server['locked']
        if version >= (2, 16):
            out['host_status'] = 'UP'
        if version >= (2, 19):
            out['description'] = server['description']
        if version >= (2, 26):
            out['tags'] = list(server['tags'])
        if version >= (2, 63):
            out['trusted_image_certificates'] = None
        if version >= (2, 73):
            out['locked_reason'] = server['locked_reason']
        if version >= (2, 96):
            out['pinned_availability_zone'] = None
        return out

    def _render_flavor(self, flavor, version, base, detail=True):
        out = {'id': flavor['id'], 'name': flavor['name'],
               'links': self._links('flavors', flavor['id'], base)}
        if version >= (2, 55):
            out['description'] = flavor['description']
        if not detail:
            return out
        out.update({
            'ram': flavor['ram'], 'disk': flavor['disk'],
            'vcpus': flavor['vcpus'],
            'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral'],
            'OS-FLV-DISABLED:disabled': flavor['disabled'],
            'swap': flavor['swap'] if (
                version >= (2, 75) or flavor['swap']) else '',
            'rxtx_factor': flavor['rxtx_factor'],
            'os-flavor-access:is_public': flavor['is_public'],
        })
        if version >= (2, 61):
            out['extra_specs'] = dict(flavor['extra_specs'])
        return out

    def _hypervisor_usage(self, hostname):
        vcpus = ram = disk = running = 0
        for s in self.servers.values():
            if s['host'] != hostname:
                continue
            flavor = self.flavors.get(s['flavor_id'])
            running += 1
            if flavor:
                vcpus += flavor['vcpus']
                ram += flavor['ram']
                disk += flavor['disk']
        return vcpus, ram, disk, running

    def _render_hypervisor(self, hyp, version):
        service_id = hyp['service_id'] if version >= (2, 53) else (
            list(self.hypervisors).index(hyp['hostname']) + 1)
        out = {
            'id': hyp['id'] if version >= (2, 53) else service_id,
            'hypervisor_hostname': hyp['hostname'],
            'state': hyp['state'],
            'status': hyp['status'],
            'hypervisor_type': 'fake',
            'hypervisor_version': 1000,
            'host_ip': hyp['host_ip'],
            'service': {'host': hyp['hostname'], 'id': service_id,
                        'disabled_reason': None},
        }
        if version >= (2, 88):
            out['uptime'] = None
            return out
        vcpus, ram, disk, running = self._hypervisor_usage(hyp['hostname'])
        out.update({
            'vcpus': hyp['vcpus'], 'memory_mb': hyp['memory_mb'],
            'local_gb': hyp['local_gb'], 'vcpus_used': vcpus,
            'memory_mb_used': ram + 512, 'local_gb_used': disk,
            'free_ram_mb': hyp['memory_mb'] - ram - 512,
            'free_disk_gb': hyp['local_gb'] - disk,
            'current_workload': 0, 'running_vms': running,
            'disk_available_least': hyp['local_gb'] - disk,
            'cpu_info': json.dumps({
                'arch': 'x86_64', 'model': 'Nehalem', 'vendor': 'Intel',
                'features': ['pge', 'clflush'],
                'topology': {'cores': 1, 'threads': 1,
                             'sockets': hyp['vcpus']}}),
        })
        return out

    @staticmethod
    def _paginate(items, query, max_limit, key='id'):
        """Nova-style limit/marker paging.  Returns (page, limit)."""
        limit = max_limit
        if 'limit' in query:
            try:
                limit = int(query['limit'][-1])
            except ValueError:
                raise NovaError(400, 'limit param must be an integer')
            if limit < 0:
                raise NovaError(400, 'limit param must be positive')
            limit = min(limit, max_limit)
        start = 0
        if 'marker' in query:
            marker = query['marker'][-1]
            for i, item in enumerate(items):
                if item[key] == marker:
                    start = i + 1
                    break
            else:
                raise NovaError(400, 'marker [%s] not found' % marker)
        return items[start:start + limit], limit

    def _list_page(self, kind, parts, items, query, base, render):
        """``GET /<kind>`` or ``/<kind>/detail`` (``parts`` is [] or
        ['detail']): one page of ``items``, each ``render(item, detail)``,
        with ``<kind>_links`` when the page is full."""
        detail = bool(parts)
        page, limit = self._paginate(items, query, self.max_limit)
        out = {kind: [render(item, detail) for item in page]}
        links = self._next_link(
            base, kind + '/detail' if detail else kind, query, page, limit)
        if links:
            out[kind + '_links'] = links
        return 200, out

    @staticmethod
    def _next_link(base, kind, query, page, limit, key='id'):
        """The ``<kind>_links`` entry Nova adds when a page is full."""
        if not page or len(page) < limit:
            return None
        params = [(k, v) for k, vs in sorted(query.items())
                  if k != 'marker' for v in vs]
        params.append(('marker', page[-1][key]))
        return [{'rel': 'next', 'href': '%s/v2.1/%s?%s' % (
            base, kind, urllib.parse.urlencode(params))}]

    # ------------------------------------------------------------- handlers

    def _handle(self, req):
        request_id = self._next_request_id()
        parsed = urllib.parse.urlsplit(req.path)
        path = parsed.path.rstrip('/') or '/'
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        length = int(req.headers.get('Content-Length') or 0)
        raw = req.rfile.read(length) if length else b''
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
        method = req.command
        version = self._request_version(req.headers)
        call = Call(method, path, query, body, dict(req.headers.items()),
                    version)
        with self._lock:
            self._calls.append(call)

        headers = {'x-openstack-request-id': request_id,
                   'x-compute-request-id': request_id}
        if version and path.startswith('/v2.1'):
            vstr = '%d.%d' % version
            headers['OpenStack-API-Version'] = 'compute ' + vstr
            headers['X-OpenStack-Nova-API-Version'] = vstr
            headers['Vary'] = ('OpenStack-API-Version, '
                               'X-OpenStack-Nova-API-Version')

        fault = self._take_fault(method, path)
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.status is not None:
            status = fault.status
            fbody = fault.body
            if fbody is None:
                fbody = fault_body(status, 'Injected fault %d for %s %s' % (
                    status, method, path))
            headers.update(fault.headers)
            self._respond(req, call, status, fbody, headers)
            return

        try:
            if version is False:
                raise NovaError(
                    406, 'Version %s is not supported by the API. Minimum '
                    'is %d.%d and maximum is %d.%d.' % (
                        self._raw_version(req.headers),
                        MIN_VERSION[0], MIN_VERSION[1],
                        MAX_VERSION[0], MAX_VERSION[1]))
            base = 'http://%s' % (req.headers.get('Host') or
                                  '%s:%d' % (self.host, self.port))
            if (path + '/').startswith(IDENTITY_PATH + '/'):
                status, out = self._identity(method, path, body, base,
                                             headers)
            else:
                status, out = self._route(method, path, query, body,
                                          version, req.headers, base)
        except NovaError as e:
            status, out = e.status, fault_body(e.status, e.message)
        except Exception as e:  # a bug in the double: say so
            status, out = 500, fault_body(
                500, 'FakeNovaAPI error: %s: %s' % (type(e).__name__, e))
        self._respond(req, call, status, out, headers)

    @staticmethod
    def _raw_version(headers):
        value = headers.get('OpenStack-API-Version')
        if value:
            parts = value.split()
            if len(parts) == 2 and parts[0].lower() == 'compute':
                return parts[1]
        return headers.get('X-OpenStack-Nova-API-Version')

    def _request_version(self, headers):
        """(major, minor); the minimum if none; False if unsupported."""
        raw = self._raw_version(headers)
        if raw is None:
            return MIN_VERSION
        if raw.strip().lower() == 'latest':
            return MAX_VERSION
        version = _parse_version(raw)
        if version is None or not MIN_VERSION <= version <= MAX_VERSION:
            return False
        return version

    def _respond(self, req, call, status, body, headers):
        call.status = status
        if body is None or status == 204:
            data = b''
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode('utf-8')
        else:
            data = json.dumps(body).encode('utf-8')
        try:
            req.send_response(status)
            if data:
                req.send_header('Content-Type', 'application/json')
            req.send_header('Content-Length', str(len(data)))
            for name, value in headers.items():
                req.send_header(name, value)
            req.end_headers()
            if data and req.command != 'HEAD':
                req.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up (e.g. timed out on a delay)

    def _versions(self, base):
        return [
            {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
             'min_version': '', 'updated': '2011-01-21T11:33:21Z',
             'links': [{'rel': 'self', 'href': base + '/v2/'}]},
            {'id': 'v2.1', 'status': 'CURRENT',
             'version': '%d.%d' % MAX_VERSION,
             'min_version': '%d.%d' % MIN_VERSION,
             'updated': '2013-07-23T11:33:21Z',
             'links': [{'rel': 'self', 'href': base + '/v2.1/'}]},
        ]

    # identity

    def _identity(self, method, path, body, base, headers):
        """Keystone v3, just enough for a password login; ``headers`` (the
        response headers) gets the token."""
        rest = path[len(IDENTITY_PATH):] or '/'
        v3 = dict(IDENTITY_VERSION, links=[
            {'rel': 'self', 'href': base + IDENTITY_PATH + '/v3/'}])
        if method == 'GET' and rest == '/':
            return 300, {'versions': {'values': [v3]}}
        if method == 'GET' and rest == '/v3':
            return 200, {'version': v3}
        if rest != '/v3/auth/tokens':
            raise NovaError(404, 'Not found: %s' % path)
        if method != 'POST':
            raise NovaError(405, 'method not allowed')
        with self._lock:
            self.token_requests += 1
        auth = (body or {}).get('auth', {}) if isinstance(body, dict) else {}
        identity = auth.get('identity', {})
        user = identity.get('password', {}).get('user', {})
        if ('password' not in identity.get('methods', ()) or
                (user.get('name'), user.get('password')) !=
                (self.username, self.password)):
            return 401, {'error': {
                'code': 401, 'title': 'Unauthorized',
                'message': 'The request you have made requires '
                           'authentication.'}}
        headers['X-Subject-Token'] = uuid.uuid4().hex
        domain = {'id': 'default', 'name': 'Default'}
        now = time.time()
        endpoints = [{'id': 'nova-' + interface, 'interface': interface,
                      'region': 'RegionOne', 'region_id': 'RegionOne',
                      'url': base + '/v2.1'}
                     for interface in ('public', 'internal', 'admin')]
        return 201, {'token': {
            'methods': ['password'],
            'issued_at': _isotime(now).replace('Z', '.000000Z'),
            'expires_at': _isotime(now + 86400).replace('Z', '.000000Z'),
            'user': {'id': DEFAULT_USER_ID, 'name': self.username,
                     'domain': domain},
            'project': {'id': self.project_id, 'name': self.project_name,
                        'domain': domain},
            'roles': [{'id': 'admin-role', 'name': 'admin'}],
            'catalog': [{'type': 'compute', 'name': 'nova', 'id': 'nova',
                         'endpoints': endpoints}]}}

    def _route(self, method, path, query, body, version, headers, base):
        if path == '/':
            if method == 'GET':
                return 300, {'versions': self._versions(base)}
            raise NovaError(405, 'method not allowed')
        if not path.startswith('/v2.1'):
            raise NovaError(404, 'Not found: %s' % path)
        parts = [p for p in path[len('/v2.1'):].split('/') if p]
        # Nova accepts (and ignores) a project id in the path.
        if parts and re.match(r'^[0-9a-f]{32}$', parts[0]):
            parts = parts[1:]
        if not parts:
            if method != 'GET':
                raise NovaError(405, 'method not allowed')
            v = dict(self._versions(base)[1])
            v['media-types'] = [{
                'base': 'application/json',
                'type': 'application/vnd.openstack.compute+json;version=2.1'}]
            return 200, {'version': v}
        head = parts[0]
        with self._lock:
            if head == 'servers':
                return self._servers(method, parts[1:], query, body,
                                     version, headers, base)
            if head == 'flavors':
                return self._flavors(method, parts[1:], query, version,
                                     base)
            if head == 'os-hypervisors':
                return self._os_hypervisors(method, parts[1:], query,
                                            version, base)
            if head == 'os-services' and method == 'GET':
                return self._os_services(query, version)
            if (head == 'os-availability-zone' and method == 'GET'):
                return self._availability_zones(parts[1:])
        raise NovaError(404, 'The resource could not be found.')

    # servers

    def _caller_project(self, headers):
        return headers.get('X-Project-Id') or self.project_id

    def _filter_servers(self, query, headers):
        servers = list(self.servers.values())
        all_tenants = 'all_tenants' in query and (
            query['all_tenants'][-1] == '' or
            _truthy(query['all_tenants'][-1]))
        if all_tenants:
            project = (query.get('project_id') or
                       query.get('tenant_id') or [None])[-1]
        else:
            project = self._caller_project(headers)
        if project:
            servers = [s for s in servers if s['project_id'] == project]
        if 'name' in query:
            rx = re.compile(query['name'][-1])
            servers = [s for s in servers if rx.search(s['name'])]
        if 'status' in query:
            wanted = {v.upper() for v in query['status']}
            servers = [s for s in servers if s['status'] in wanted]
        if 'host' in query:
            servers = [s for s in servers if s['host'] == query['host'][-1]]
        if 'flavor' in query:
            servers = [s for s in servers
                       if s['flavor_id'] == query['flavor'][-1]]
        if 'image' in query:
            servers = [s for s in servers
                       if s['image_id'] == query['image'][-1]]
        if 'availability_zone' in query:
            servers = [s for s in servers
                       if s['zone'] == query['availability_zone'][-1]]
        if 'tags' in query:
            wanted = set(query['tags'][-1].split(','))
            servers = [s for s in servers if wanted <= set(s['tags'])]
        # Nova's default order: created_at desc, then id desc.
        servers.sort(key=lambda s: (s['created'], s['id']), reverse=True)
        return servers

    def _servers(self, method, parts, query, body, version, headers, base):
        if not parts or parts == ['detail']:
            if method == 'POST' and not parts:
                return self._create_server(body, version, headers, base)
            if method != 'GET':
                raise NovaError(405, 'method not allowed')
            return self._list_page(
                'servers', parts, self._filter_servers(query, headers),
                query, base,
                lambda s, detail: self._render_server(s, version, base,
                                                      detail))
        server = self._server(parts[0])
        rest = parts[1:]
        if not rest:
            if method == 'GET':
                return 200, {'server': self._render_server(server, version,
                                                           base)}
            if method == 'DELETE':
                del self.servers[server['id']]
                return 204, None
            if method == 'PUT':
                changes = (body or {}).get('server', {})
                for key in ('name', 'description'):
                    if key in changes:
                        server[key] = changes[key]
                server['updated'] = time.time()
                return 200, {'server': self._render_server(server, version,
                                                           base)}
            raise NovaError(405, 'method not allowed')
        if rest == ['action'] and method == 'POST':
            return self._action(server, body)
        if rest[0] == 'metadata':
            return self._metadata(server, method, rest[1:], body)
        if rest[0] == 'tags' and version >= (2, 26):
            return self._tags(server, method, rest[1:], body)
        raise NovaError(404, 'The resource could not be found.')

    def _create_server(self, body, version, headers, base):
        spec = (body or {}).get('server')
        if not spec or 'name' not in spec:
            raise NovaError(400, "Invalid input for field/attribute server.")
        flavor_ref = str(spec.get('flavorRef', '')).rsplit('/', 1)[-1]
        if flavor_ref not in self.flavors:
            raise NovaError(400, 'Flavor %s could not be found.' % flavor_ref)
        server = self.add_server(
            name=spec['name'], project_id=self._caller_project(headers),
            flavor_id=flavor_ref,
            image_id=str(spec.get('imageRef') or '').rsplit('/', 1)[-1],
            metadata=spec.get('metadata'), tags=spec.get('tags'),
            zone=spec.get('availability_zone'),
            addresses={} if spec.get('networks') == 'none' else None,
            description=spec.get('description'))
        return 202, {'server': {
            'id': server['id'],
            'links': self._links('servers', server['id'], base),
            'OS-DCF:diskConfig': 'MANUAL',
            'security_groups': [{'name': 'default'}],
            'adminPass': 'fake-admin-pass'}}

    def _action(self, server, body):
        if not isinstance(body, dict) or len(body) != 1:
            raise NovaError(400, 'Malformed request body')
        action, args = next(iter(body.items()))
        if action not in ACTIONS:
            raise NovaError(400, 'There is no such action: %s' % action)
        allowed, target = ACTIONS[action]
        if action in ('lock', 'unlock'):
            server['locked'] = action == 'lock'
            server['locked_reason'] = ((args or {}).get('locked_reason')
                                       if action == 'lock' else None)
            return 202, None
        if action == 'os-resetState':
            state = (args or {}).get('state', 'error')
            server['status'] = 'ERROR' if state == 'error' else 'ACTIVE'
            return 202, None
        if server['locked']:
            raise NovaError(409, 'Instance %s is locked' % server['id'])
        if allowed is not None and server['status'] not in allowed:
            vm_state = STATUS_STATES.get(server['status'], ('?', 0))[0]
            raise NovaError(409, "Cannot '%s' instance %s while it is in "
                                 "vm_state %s" % (action, server['id'],
                                                  vm_state))
        if action == 'resize':
            flavor = str((args or {}).get('flavorRef', ''))
            if flavor not in self.flavors:
                raise NovaError(400, 'Flavor %s could not be found.' %
                                flavor)
            server['old_flavor_id'] = server['flavor_id']
            server['flavor_id'] = flavor
        if action == 'revertResize' and server.get('old_flavor_id'):
            server['flavor_id'] = server.pop('old_flavor_id')
        if target is not None:
            server['status'] = target
        server['updated'] = time.time()
        return 202, None

    def _metadata(self, server, method, rest, body):
        md = server['metadata']
        if not rest:
            if method == 'GET':
                return 200, {'metadata': dict(md)}
            new = (body or {}).get('metadata')
            if not isinstance(new, dict):
                raise NovaError(400, 'Malformed request body')
            if method == 'POST':
                md.update(new)
            elif method == 'PUT':
                md.clear()
                md.update(new)
            else:
                raise NovaError(405, 'method not allowed')
            server['updated'] = time.time()
            return 200, {'metadata': dict(md)}
        key = urllib.parse.unquote(rest[0])
        if method == 'GET':
            if key not in md:
                raise NovaError(404, 'Metadata item was not found')
            return 200, {'meta': {key: md[key]}}
        if method == 'PUT':
            meta = (body or {}).get('meta')
            if not isinstance(meta, dict) or list(meta) != [key]:
                raise NovaError(400, 'Request body and URI mismatch')
            md[key] = meta[key]
            return 200, {'meta': dict(meta)}
        if method == 'DELETE':
            if key not in md:
                raise NovaError(404, 'Metadata item was not found')
            del md[key]
            return 204, None
        raise NovaError(405, 'method not allowed')

    def _tags(self, server, method, rest, body):
        tags = server['tags']
        if not rest:
            if method == 'GET':
                return 200, {'tags': list(tags)}
            if method == 'PUT':
                tags[:] = list((body or {}).get('tags', []))
                return 200, {'tags': list(tags)}
            if method == 'DELETE':
                del tags[:]
                return 204, None
            raise NovaError(405, 'method not allowed')
        tag = urllib.parse.unquote(rest[0])
        if method == 'GET':
            if tag not in tags:
                raise NovaError(404, 'Tag %s could not be found' % tag)
            return 204, None
        if method == 'PUT':
            if tag in tags:
                return 204, None
            tags.append(tag)
            return 201, None
        if method == 'DELETE':
            if tag not in tags:
                raise NovaError(404, 'Tag %s could not be found' % tag)
            tags.remove(tag)
            return 204, None
        raise NovaError(405, 'method not allowed')

    # flavors, hypervisors, services, zones

    def _flavors(self, method, parts, query, version, base):
        if method != 'GET':
            raise NovaError(405, 'method not allowed')
        if not parts or parts == ['detail']:
            return self._list_page(
                'flavors', parts,
                sorted(self.flavors.values(), key=lambda f: f['id']),
                query, base,
                lambda f, detail: self._render_flavor(f, version, base,
                                                      detail))
        flavor = self.flavors.get(parts[0])
        if flavor is None:
            raise NovaError(404, 'Flavor %s could not be found.' % parts[0])
        if len(parts) == 1:
            return 200, {'flavor': self._render_flavor(flavor, version,
                                                       base)}
        if parts[1:] == ['os-extra_specs']:
            return 200, {'extra_specs': dict(flavor['extra_specs'])}
        raise NovaError(404, 'The resource could not be found.')

    def _os_hypervisors(self, method, parts, query, version, base):
        if method != 'GET':
            raise NovaError(405, 'method not allowed')
        hyps = list(self.hypervisors.values())
        if not parts or parts == ['detail']:
            if 'hypervisor_hostname_pattern' in query:
                pattern = query['hypervisor_hostname_pattern'][-1]
                hyps = [h for h in hyps if pattern in h['hostname']]
            out_key = 'hypervisors'
            if version >= (2, 33):
                page, limit = self._paginate(hyps, query, self.max_limit)
            else:
                page, limit = hyps, len(hyps) + 1
            if parts:
                items = [self._render_hypervisor(h, version) for h in page]
            else:
                items = [{k: v for k, v in
                          self._render_hypervisor(h, version).items()
                          if k in ('id', 'hypervisor_hostname', 'state',
                                   'status')} for h in page]
            out = {out_key: items}
            links = self._next_link(
                base, 'os-hypervisors/detail' if parts else
                'os-hypervisors', query, page, limit)
            if links:
                out['hypervisors_links'] = links
            return 200, out
        for h in hyps:
            if parts[0] in (h['id'], h['hostname']):
                return 200, {'hypervisor': self._render_hypervisor(
                    h, version)}
        raise NovaError(404, 'Hypervisor %s could not be found.' % parts[0])

    def _os_services(self, query, version):
        services = list(self.services)
        for key in ('binary', 'host'):
            if key in query:
                services = [s for s in services if s[key] == query[key][-1]]
        out = []
        for i, s in enumerate(services):
            item = {
                'id': s['id'] if version >= (2, 53) else i + 1,
                'binary': s['binary'], 'host': s['host'], 'zone': s['zone'],
                'status': s['status'], 'state': s['state'],
                'updated_at': _isotime(s['updated_at']).replace(
                    'Z', '.000000'),
                'disabled_reason': s['disabled_reason'],
            }
            if version >= (2, 11):
                item['forced_down'] = s['forced_down']
            out.append(item)
        return 200, {'services': out}

    def _availability_zones(self, parts):
        zones = {}
        for s in self.services:
            zones.setdefault(s['zone'], {})[s['host']] = {
                s['binary']: {'available': s['state'] == 'up',
                              'active': s['status'] == 'enabled',
                              'updated_at': _isotime(
                                  s['updated_at']).replace('Z', '.000000')}}
        if parts == ['detail']:
            info = [{'zoneName': name, 'zoneState': {'available': True},
                     'hosts': hosts} for name, hosts in sorted(zones.items())]
        elif not parts:
            info = [{'zoneName': name, 'zoneState': {'available': True},
                     'hosts': None} for name in sorted(zones)]
        else:
            raise NovaError(404, 'The resource could not be found.')
        return 200, {'availabilityZoneInfo': info}
