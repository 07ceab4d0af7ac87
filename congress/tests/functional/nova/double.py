"""A small Nova API double over real HTTP, for the Nova driver's tests and
benchmark.

The project's shared recording double (``congress.tests.fakes.nova_api``)
is preferred when it exists (see :func:`start_double`); this one is the
stand-in: a threaded HTTP server on 127.0.0.1 that serves a keystone v3
token (with a catalog naming the compute endpoint), Nova's version document,
``/servers/detail`` with ``marker`` paging, flavors, hypervisors, services,
availability zones, server actions and metadata, with fault injection and a
record of calls.
"""

import copy
import http.server
import json
import re
import threading
import time
import urllib.parse
import uuid

from congress.tests.unit.cloudservices import nova_samples as samples

COMPUTE = '/compute/v2.1'
IDENTITY = '/identity/v3'


class NovaDouble(object):
    """Start with :meth:`start`; ``auth_url`` and ``compute_url`` tell where
    it listens."""

    def __init__(self, page_size=1000, max_version='2.96'):
        self.page_size = page_size
        self.max_version = max_version
        self.servers = []
        self._index = {}
        self.flavors = copy.deepcopy(samples.FLAVORS)
        self.hypervisors = copy.deepcopy(samples.HYPERVISORS)
        self.services = copy.deepcopy(samples.SERVICES)
        self.zones = copy.deepcopy(samples.ZONES)
        self.calls = []
        self.faults = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # lifecycle

    def start(self):
        double = self

        class Handler(_Handler):
            pass
        Handler.double = double
        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                       Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='nova-double', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return 'http://%s:%d' % (host, port)

    @property
    def auth_url(self):
        return self.url + IDENTITY

    @property
    def compute_url(self):
        return self.url + COMPUTE

    def driver_config(self, **extra):
        config = {'auth_url': self.auth_url, 'username': 'admin',
                  'password': 'double-secret', 'project_name': 'admin'}
        config.update(extra)
        return config

    # content and faults

    def populate(self, n_servers, projects=3):
        """``n_servers`` servers spread over ``projects`` projects."""
        servers = []
        for i in range(n_servers):
            server_id = str(uuid.UUID(int=i + 1))
            servers.append(samples.server(
                server_id, name='vm-%05d' % i,
                project='project-%d' % (i % projects),
                flavor_name=('m1.tiny', 'm1.small')[i % 2],
                image=samples.IMAGE if i % 10 else '',
                tags=('n%d' % (i % 7),),
                addresses={'private': [
                    {'version': 4,
                     'addr': '10.%d.%d.%d' % (i >> 16, (i >> 8) & 255,
                                              i & 255),
                     'OS-EXT-IPS:type': 'fixed',
                     'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:%02x:%02x:%02x' % (
                         i >> 16, (i >> 8) & 255, i & 255)}]}))
        with self._lock:
            self.servers = servers
            self._index = {s['id']: n for n, s in enumerate(servers)}
        return [s['id'] for s in servers]

    def inject(self, method, path_regex, status=500, body=None, delay=0.0,
               times=1):
        """The next ``times`` requests matching answer ``status`` with
        ``body`` (a Nova error body when None) after ``delay`` seconds;
        status None: only the delay, then the normal answer."""
        with self._lock:
            self.faults.append({'method': method,
                                'path': re.compile(path_regex),
                                'status': status, 'body': body,
                                'delay': delay, 'times': times})

    def reset_calls(self):
        with self._lock:
            del self.calls[:]

    def calls_to(self, method, path_regex):
        pattern = re.compile(path_regex)
        with self._lock:
            return [c for c in self.calls
                    if c[0] == method and pattern.search(c[1])]

    def _fault(self, method, path):
        with self._lock:
            for fault in self.faults:
                if (fault['times'] and fault['method'] == method
                        and fault['path'].search(path)):
                    fault['times'] -= 1
                    return fault
        return None

    # answers

    def answer(self, method, url, body):
        parsed = urllib.parse.urlsplit(url)
        path = parsed.path.rstrip('/') or '/'
        query = dict(urllib.parse.parse_qsl(parsed.query))
        with self._lock:
            self.calls.append((method, path, query, body))
        fault = self._fault(method, path)
        if fault is not None:
            if fault['delay']:
                time.sleep(fault['delay'])
            if fault['status'] is not None:
                error = fault['body'] or {'computeFault': {
                    'code': fault['status'],
                    'message': 'Injected fault %d' % fault['status']}}
                return fault['status'], error, {}
        if path == IDENTITY + '/auth/tokens' and method == 'POST':
            return 201, self._token(), {'X-Subject-Token': uuid.uuid4().hex}
        if not path.startswith(COMPUTE):
            return 404, {'error': {'message': 'not found'}}, {}
        path = path[len(COMPUTE):] or '/'
        with self._lock:
            status, answer = self._compute(method, path, query, body)
        return status, answer, {}

    def _token(self):
        domain = {'id': 'default', 'name': 'Default'}
        return {'token': {
            'methods': ['password'],
            'expires_at': '2099-01-01T00:00:00.000000Z',
            'issued_at': '2026-01-01T00:00:00.000000Z',
            'user': {'id': 'admin-id', 'name': 'admin', 'domain': domain},
            'project': {'id': 'admin-project', 'name': 'admin',
                        'domain': domain},
            'roles': [{'id': 'admin-role', 'name': 'admin'}],
            'catalog': [{'type': 'compute', 'name': 'nova', 'id': 'nova',
                         'endpoints': [{'id': 'nova-public',
                                        'interface': 'public',
                                        'region': 'RegionOne',
                                        'region_id': 'RegionOne',
                                        'url': self.compute_url}]}]}}

    def _compute(self, method, path, query, body):
        if path == '/' and method == 'GET':
            return 200, samples.version_document(self.max_version)
        if method == 'GET' and path == '/servers/detail':
            return self._servers_page(query)
        if method == 'GET' and path == '/flavors/detail':
            return 200, {'flavors': self.flavors}
        if method == 'GET' and path == '/os-hypervisors':
            return 200, {'hypervisors': [] if 'marker' in query
                         else self.hypervisors}
        if method == 'GET' and path == '/os-services':
            return 200, {'services': self.services}
        if method == 'GET' and path == '/os-availability-zone/detail':
            return 200, {'availabilityZoneInfo': self.zones}
        match = re.match(r'^/servers/([^/]+)(/.*)?$', path)
        if match:
            return self._server_call(method, match.group(1),
                                     match.group(2) or '', body)
        return 404, {'itemNotFound': {'code': 404,
                                      'message': 'No route: %s' % path}}

    def _servers_page(self, query):
        start = 0
        if 'marker' in query:
            position = self._index.get(query['marker'])
            if position is None:
                return 400, {'badRequest': {'code': 400, 'message':
                                            'marker [%s] not found' %
                                            query['marker']}}
            start = position + 1
        limit = min(int(query.get('limit', self.page_size)), self.page_size)
        page = self.servers[start:start + limit]
        answer = {'servers': page}
        if len(page) == limit:
            answer['servers_links'] = [{
                'rel': 'next',
                'href': '%s/servers/detail?marker=%s' % (
                    self.compute_url, page[-1]['id'])}]
        return 200, answer

    def _server_call(self, method, server_id, rest, body):
        position = self._index.get(server_id)
        if position is None:
            return 404, {'itemNotFound': {
                'code': 404,
                'message': 'Instance %s could not be found.' % server_id}}
        server = self.servers[position]
        if method == 'GET' and not rest:
            return 200, {'server': server}
        if method == 'POST' and rest == '/action':
            action = next(iter(body or {'?': None}))
            transitions = {'pause': ('ACTIVE', 'PAUSED'),
                           'unpause': ('PAUSED', 'ACTIVE'),
                           'os-stop': ('ACTIVE', 'SHUTOFF'),
                           'os-start': ('SHUTOFF', 'ACTIVE')}
            if action not in transitions:
                return 400, {'badRequest': {'code': 400, 'message':
                                            'Unknown action %s' % action}}
            before, after = transitions[action]
            if server['status'] != before:
                return 409, {'conflictingRequest': {
                    'code': 409,
                    'message': "Cannot '%s' instance %s while it is in "
                               "vm_state %s" % (action, server_id,
                                                server['status'].lower())}}
            server['status'] = after
            return 202, None
        if method == 'POST' and rest == '/metadata':
            server['metadata'].update(body['metadata'])
            return 200, {'metadata': dict(server['metadata'])}
        return 404, {'itemNotFound': {'code': 404,
                                      'message': 'No route: %s' % rest}}


class _Handler(http.server.BaseHTTPRequestHandler):

    double = None
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def _handle(self, method):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        body = json.loads(raw) if raw else None
        status, answer, headers = self.double.answer(method, self.path, body)
        data = json.dumps(answer).encode() if answer is not None else b''
        try:
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.send_header('x-openstack-request-id',
                             'req-%s' % uuid.uuid4())
            self.send_header('x-compute-request-id',
                             'req-%s' % uuid.uuid4())
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')

    def do_PUT(self):
        self._handle('PUT')

    def do_DELETE(self):
        self._handle('DELETE')


def start_double(page_size=1000):
    """A started Nova API double; stop it with ``stop()``."""
    return NovaDouble(page_size=page_size).start()
