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

"""A Neutron API v2.0 double over real HTTP, for scale.

:class:`FakeNeutronAPI` is a threaded HTTP server (stdlib) on 127.0.0.1
with a free port. It answers the collection GETs the Neutron drivers make
(``/v2.0/networks``, ``ports``, ``subnets``, ``routers``,
``security-groups``, ``floatingips``, ``qos/policies``) with Neutron's
paging (``limit``/``marker`` over objects sorted by id, a ``next`` link
on a full page), the version document openstacksdk discovers at the
endpoint root, and a minimal keystone v3 password login under
``/identity/v3`` whose catalog's ``network`` endpoints are this server.
:meth:`populate` generates objects shaped as Neutron 29 returns them
(see ``congress/tests/unit/cloudservices/neutron_samples.py``) at a
realistic ratio to the number of ports. Nothing else (no writes, no
faults): tests of behaviour use the real Neutron of the test bed.

    with FakeNeutronAPI() as neutron:    # or self.useFixture(...)
        neutron.populate(10000)
        driver = NeutronV2Driver('neutronv2', neutron.driver_config())
"""

import http.server
import json
import threading
import time
import urllib.parse
import uuid

import fixtures

PROJECT_ID = '6f70656e737461636b20697320636f6f'
IDENTITY = '/identity/v3'

#: URL path -> collection key, as Neutron names them.
COLLECTIONS = {
    '/v2.0/networks': 'networks',
    '/v2.0/ports': 'ports',
    '/v2.0/subnets': 'subnets',
    '/v2.0/routers': 'routers',
    '/v2.0/security-groups': 'security_groups',
    '/v2.0/floatingips': 'floatingips',
    '/v2.0/qos/policies': 'policies',
}


def _uuid(kind, i):
    return str(uuid.uuid5(uuid.NAMESPACE_OID, '%s-%d' % (kind, i)))


def _standard(i, project=PROJECT_ID):
    return {'created_at': '2026-12-01T12:44:%02dZ' % (i % 60),
            'updated_at': '2026-12-01T12:45:%02dZ' % (i % 60),
            'description': '', 'revision_number': 1, 'tags': [],
            'project_id': project, 'tenant_id': project}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_GET(self):
        self.server.api.handle(self)

    do_POST = do_GET


class FakeNeutronAPI(fixtures.Fixture):
    """The double: ``start()``/``stop()``, a context manager or a fixture.

    :param max_limit: page size cap (Neutron's ``pagination_max_limit``)
    """

    username = 'admin'
    password = 'fake-neutron-secret'
    project_name = 'admin'

    def __init__(self, host='127.0.0.1', port=0, max_limit=1000):
        super().__init__()
        self.host = host
        self.port = port
        self.max_limit = max_limit
        self.collections = {path: [] for path in COLLECTIONS}
        self.requests = 0
        self._pages = {}
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None

    @property
    def url(self):
        return 'http://%s:%d' % (self.host, self.port)

    @property
    def auth_url(self):
        return self.url + IDENTITY

    def driver_config(self, **extra):
        """The config of a Neutron data source logging in here."""
        config = {'auth_url': self.auth_url, 'username': self.username,
                  'password': self.password,
                  'project_name': self.project_name}
        config.update(extra)
        return config

    def page_urls(self, limit, paths=None):
        """The URL of every page a complete read of the collections at
        ``paths`` (default: all) asks for, in order (what a raw client
        would GET)."""
        urls = []
        for path in paths or self.collections:
            items = self.collections[path]
            ids = [item['id'] for item in items]
            starts = list(range(0, len(ids) + 1, limit)) or [0]
            for start in starts:
                query = {'limit': limit}
                if start:
                    query['marker'] = ids[start - 1]
                urls.append('%s%s?%s' % (self.url, path,
                                         urllib.parse.urlencode(query)))
        return urls

    # lifecycle

    def start(self):
        httpd = http.server.ThreadingHTTPServer((self.host, self.port),
                                                _Handler)
        httpd.daemon_threads = True
        httpd.api = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever,
                                        kwargs={'poll_interval': 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
            self._thread.join(5)

    def _setUp(self):
        self.start()
        self.addCleanup(self.stop)

    # objects

    def populate(self, n_ports):
        """``n_ports`` ports and, per 20 ports, a network with a subnet; per
        10 ports a security group with 4 rules; per 100 ports a router;
        per 10 ports a floating IP; a QoS policy per 200 ports."""
        n_nets = max(1, n_ports // 20)
        n_groups = max(1, n_ports // 10)
        networks, subnets = [], []
        for i in range(n_nets):
            net_id, sub_id = _uuid('net', i), _uuid('subnet', i)
            networks.append(dict(
                _standard(i), id=net_id, name='net-%d' % i,
                status='ACTIVE', admin_state_up=True, shared=False,
                mtu=1450, subnets=[sub_id], availability_zones=[],
                availability_zone_hints=[], ipv4_address_scope=None,
                ipv6_address_scope=None, **{
                    'router:external': i == 0, 'port_security_enabled': True,
                    'provider:network_type': 'vxlan',
                    'provider:physical_network': None,
                    'provider:segmentation_id': 1000 + i}))
            subnets.append(dict(
                _standard(i), id=sub_id, name='subnet-%d' % i,
                network_id=net_id, ip_version=4,
                cidr='10.%d.%d.0/24' % (i // 256, i % 256),
                gateway_ip='10.%d.%d.1' % (i // 256, i % 256),
                enable_dhcp=True, ipv6_ra_mode=None, ipv6_address_mode=None,
                allocation_pools=[{'start': '10.%d.%d.2' % (i // 256,
                                                            i % 256),
                                   'end': '10.%d.%d.254' % (i // 256,
                                                            i % 256)}],
                dns_nameservers=['8.8.8.8'], host_routes=[],
                service_types=[], subnetpool_id=None,
                **{'router:external': False}))
        groups = []
        for i in range(n_groups):
            group_id = _uuid('sg', i)
            rules = [dict(_standard(i), id=_uuid('rule-%d' % r, i),
                          security_group_id=group_id,
                          direction='ingress' if r < 2 else 'egress',
                          ethertype='IPv4' if r % 2 == 0 else 'IPv6',
                          protocol='tcp' if r == 0 else None,
                          port_range_min=22 if r == 0 else None,
                          port_range_max=22 if r == 0 else None,
                          remote_ip_prefix='0.0.0.0/0' if r == 0 else None,
                          remote_group_id=group_id if r == 1 else None,
                          remote_address_group_id=None,
                          normalized_cidr=None, belongs_to_default_sg=None,
                          standard_attr_id=4 * i + r)
                     for r in range(4)]
            groups.append(dict(_standard(i), id=group_id,
                               name='sg-%d' % i, stateful=True,
                               shared=False, security_group_rules=rules))
        ports = []
        for i in range(n_ports):
            n = i % n_nets
            fixed = [{'subnet_id': subnets[n]['id'],
                      'ip_address': '10.%d.%d.%d' % (n // 256, n % 256,
                                                     10 + i // n_nets % 240)}]
            if i % 5 == 0:
                fixed.append({'subnet_id': subnets[n]['id'],
                              'ip_address': 'fd00:%x::%x' % (n, i)})
            sgs = [groups[i % n_groups]['id']]
            if i % 3 == 0:
                sgs.append(groups[(i + 1) % n_groups]['id'])
            ports.append(dict(
                _standard(i), id=_uuid('port', i), name='port-%d' % i,
                network_id=networks[n]['id'],
                mac_address='fa:16:3e:%02x:%02x:%02x' % (
                    i >> 16 & 255, i >> 8 & 255, i & 255),
                admin_state_up=True, status='ACTIVE' if i % 7 else 'DOWN',
                device_id=_uuid('server', i), device_owner='compute:nova',
                fixed_ips=fixed, security_groups=sgs,
                allowed_address_pairs=[], extra_dhcp_opts=[],
                port_security_enabled=True, qos_policy_id=None,
                qos_network_policy_id=None, dns_name='', dns_assignment=[],
                **{'binding:host_id': 'compute-%d' % (i % 50),
                   'binding:profile': {}, 'binding:vif_details': {},
                   'binding:vif_type': 'ovs',
                   'binding:vnic_type': 'normal'}))
        routers = [dict(_standard(i), id=_uuid('router', i),
                        name='router-%d' % i, status='ACTIVE',
                        admin_state_up=True, distributed=False, ha=False,
                        routes=[], flavor_id=None, availability_zones=[],
                        availability_zone_hints=[],
                        external_gateway_info={
                            'network_id': networks[0]['id'],
                            'enable_snat': True,
                            'external_fixed_ips': [{
                                'subnet_id': subnets[0]['id'],
                                'ip_address': '10.0.0.%d' % (2 + i % 250)}]})
                   for i in range(max(1, n_ports // 100))]
        floating = [dict(_standard(i), id=_uuid('fip', i),
                         router_id=routers[i % len(routers)]['id'],
                         floating_network_id=networks[0]['id'],
                         fixed_ip_address=ports[i]['fixed_ips'][0][
                             'ip_address'] if ports else None,
                         floating_ip_address='172.%d.%d.%d' % (
                             16 + i // 65536, i // 256 % 256, i % 256),
                         port_id=ports[i]['id'] if ports else None,
                         status='ACTIVE', port_details=None,
                         port_forwardings=[])
                    for i in range(max(1, n_ports // 10))]
        policies = [dict(_standard(i), id=_uuid('qos', i),
                         name='qos-%d' % i, shared=False, is_default=False,
                         rules=[{'id': _uuid('qos-rule', i),
                                 'qos_policy_id': _uuid('qos', i),
                                 'type': 'bandwidth_limit',
                                 'max_kbps': 10000, 'max_burst_kbps': 0,
                                 'direction': 'egress'}])
                    for i in range(max(1, n_ports // 200))]
        with self._lock:
            for path, items in (('/v2.0/networks', networks),
                                ('/v2.0/ports', ports),
                                ('/v2.0/subnets', subnets),
                                ('/v2.0/routers', routers),
                                ('/v2.0/security-groups', groups),
                                ('/v2.0/floatingips', floating),
                                ('/v2.0/qos/policies', policies)):
                self.collections[path] = sorted(items,
                                                key=lambda o: o['id'])
            self._pages = {}
        return self

    # answers

    def handle(self, req):
        with self._lock:
            self.requests += 1
        split = urllib.parse.urlsplit(req.path)
        path = split.path.rstrip('/') or '/'
        query = urllib.parse.parse_qs(split.query)
        base = 'http://%s' % req.headers.get('Host', '%s:%d' % (self.host,
                                                                self.port))
        headers = {}
        length = int(req.headers.get('Content-Length') or 0)
        body = req.rfile.read(length) if length else b''
        if path.startswith(IDENTITY):
            status, data = self._identity(req.command, path, body, base,
                                          headers)
        elif req.command != 'GET':
            status, data = 405, {'NeutronError': {'message': 'read-only'}}
        elif path in ('/', '/v2.0'):
            status, data = 200, {'versions': [{
                'id': 'v2.0', 'status': 'CURRENT',
                'links': [{'rel': 'self', 'href': base + '/v2.0/'}]}]}
        elif path in COLLECTIONS:
            status, data = 200, self._page(path, query, base)
        else:
            status, data = 404, {'NeutronError': {
                'type': 'HTTPNotFound', 'detail': '',
                'message': 'The resource could not be found.'}}
        if not isinstance(data, bytes):
            data = json.dumps(data).encode()
        req.send_response(status)
        req.send_header('Content-Type', 'application/json')
        req.send_header('Content-Length', str(len(data)))
        for name, value in headers.items():
            req.send_header(name, value)
        req.end_headers()
        req.wfile.write(data)

    def _page(self, path, query, base):
        """One page, JSON-encoded once and kept (the double must not be
        the bottleneck of what it measures)."""
        limit = min(int(query.get('limit', [self.max_limit])[-1]),
                    self.max_limit)
        marker = query.get('marker', [None])[-1]
        cache_key = (path, limit, marker)
        with self._lock:
            cached = self._pages.get(cache_key)
            items = self.collections[path]
        if cached is not None:
            return cached
        start = 0
        if marker is not None:
            ids = [item['id'] for item in items]
            start = ids.index(marker) + 1 if marker in ids else len(ids)
        page = items[start:start + limit]
        key = COLLECTIONS[path]
        out = {key: page}
        if len(page) == limit:
            out[key + '_links'] = [{'rel': 'next', 'href': '%s%s?%s' % (
                base, path, urllib.parse.urlencode(
                    {'limit': limit, 'marker': page[-1]['id']}))}]
        data = json.dumps(out).encode()
        with self._lock:
            self._pages[cache_key] = data
        return data

    def _identity(self, method, path, body, base, headers):
        if method == 'GET':
            return 200, {'version': {
                'id': 'v3.14', 'status': 'stable',
                'links': [{'rel': 'self', 'href': base + IDENTITY + '/'}]}}
        try:
            user = json.loads(body)['auth']['identity']['password']['user']
        except (ValueError, KeyError, TypeError):
            user = {}
        if (user.get('name'), user.get('password')) != (self.username,
                                                        self.password):
            return 401, {'error': {'code': 401, 'title': 'Unauthorized',
                                   'message': 'Bad credentials'}}
        headers['X-Subject-Token'] = uuid.uuid4().hex
        expires = time.strftime('%Y-%m-%dT%H:%M:%S.000000Z',
                                time.gmtime(time.time() + 86400))
        domain = {'id': 'default', 'name': 'Default'}
        return 201, {'token': {
            'methods': ['password'], 'expires_at': expires,
            'user': {'id': 'admin-user', 'name': self.username,
                     'domain': domain},
            'project': {'id': PROJECT_ID, 'name': self.project_name,
                        'domain': domain},
            'roles': [{'id': 'admin', 'name': 'admin'}],
            'catalog': [{'type': 'network', 'name': 'neutron', 'id': 'n',
                         'endpoints': [
                             {'id': 'n-' + interface, 'url': base,
                              'interface': interface,
                              'region': 'RegionOne',
                              'region_id': 'RegionOne'}
                             for interface in ('public', 'internal',
                                               'admin')]}]}}
