#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Recorded Nova API bodies, and a stand-in for novaclient's HTTP client.

The bodies follow what Nova 34 (microversion 2.96) answers, trimmed of
links; ``server_v2_1`` shows the older shape (flavor by id, no tags).
"""

import copy
import json
import re
import urllib.parse

from novaclient import exceptions as nova_exceptions
import requests

PROJECT = '6f70656e737461636b20342065766572'
OTHER_PROJECT = '4f52a5c0e1b04d43a7f3e1f6a0b0c7d1'
USER = 'fake-user-id'
IMAGE = '70a599e0-31e7-49b7-b260-868f441e862b'
TINY = '1'
SMALL = '2'

FLAVORS = [
    {'id': TINY, 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512, 'disk': 1,
     'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': False,
     'swap': 0, 'rxtx_factor': 1.0, 'os-flavor-access:is_public': True,
     'description': None, 'extra_specs': {}},
    {'id': SMALL, 'name': 'm1.small', 'vcpus': 1, 'ram': 2048, 'disk': 20,
     'OS-FLV-EXT-DATA:ephemeral': 5, 'OS-FLV-DISABLED:disabled': False,
     'swap': 0, 'rxtx_factor': 2.0, 'os-flavor-access:is_public': False,
     'description': 'private', 'extra_specs': {'hw:cpu_policy': 'shared'}},
]


def server(server_id, name='vm', status='ACTIVE', project=PROJECT,
           image=IMAGE, flavor_name='m1.tiny', tags=('web',),
           addresses=None, zone='nova', hypervisor='compute-1'):
    """A server as ``GET /servers/detail`` shows it at 2.96."""
    if addresses is None:
        addresses = {'private': [
            {'version': 4, 'addr': '10.0.0.5',
             'OS-EXT-IPS:type': 'fixed',
             'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}]}
    return {
        'id': server_id,
        'name': name,
        'status': status,
        'tenant_id': project,
        'user_id': USER,
        'metadata': {},
        'hostId': 'c7a2f0e6d4b7c3b0e1b0e65d4bd3e7c2f3e3b6a9b1c7a0e0c3d2b1a0',
        'image': ({'id': image, 'links': [
            {'rel': 'bookmark',
             'href': 'http://nova/images/%s' % image}]} if image else ''),
        'flavor': {'vcpus': 1, 'ram': 512, 'disk': 1, 'ephemeral': 0,
                   'swap': 0, 'original_name': flavor_name,
                   'extra_specs': {}},
        'created': '2026-11-26T10:00:00Z',
        'updated': '2026-11-26T10:00:05Z',
        'addresses': addresses,
        'accessIPv4': '',
        'accessIPv6': '',
        'links': [],
        'OS-DCF:diskConfig': 'MANUAL',
        'progress': 0,
        'OS-EXT-AZ:availability_zone': zone,
        'config_drive': '',
        'key_name': None,
        'OS-SRV-USG:launched_at': '2026-11-26T10:00:04.000000',
        'OS-SRV-USG:terminated_at': None,
        'OS-EXT-SRV-ATTR:host': hypervisor,
        'OS-EXT-SRV-ATTR:instance_name': 'instance-00000001',
        'OS-EXT-SRV-ATTR:hypervisor_hostname': hypervisor,
        'OS-EXT-SRV-ATTR:hostname': name,
        'OS-EXT-SRV-ATTR:launch_index': 0,
        'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
        'OS-EXT-SRV-ATTR:user_data': None,
        'OS-EXT-STS:task_state': None,
        'OS-EXT-STS:vm_state': status.lower(),
        'OS-EXT-STS:power_state': 1,
        'os-extended-volumes:volumes_attached': [],
        'locked': False,
        'locked_reason': None,
        'description': None,
        'tags': list(tags),
        'trusted_image_certificates': None,
        'host_status': 'UP',
        'security_groups': [{'name': 'default'}],
        'server_groups': [],
        'pinned_availability_zone': None,
    }


def server_v2_1(server_id, flavor_id=TINY, **kwargs):
    """The same server as microversion 2.1 shows it."""
    body = server(server_id, **kwargs)
    body['flavor'] = {'id': flavor_id, 'links': []}
    for key in ('tags', 'description', 'locked', 'locked_reason',
                'trusted_image_certificates', 'host_status',
                'server_groups', 'pinned_availability_zone',
                'OS-EXT-SRV-ATTR:hostname', 'OS-EXT-SRV-ATTR:launch_index',
                'OS-EXT-SRV-ATTR:root_device_name',
                'OS-EXT-SRV-ATTR:user_data'):
        body.pop(key, None)
    return body


HYPERVISORS = [
    {'id': 'b1e43b5f-eec1-44e0-9f10-7b4945c0226d',
     'hypervisor_hostname': 'compute-1', 'state': 'up',
     'status': 'enabled'},
    {'id': 'c2e43b5f-eec1-44e0-9f10-7b4945c0226e',
     'hypervisor_hostname': 'compute-2', 'state': 'down',
     'status': 'disabled'},
]

SERVICES = [
    {'id': '4c8ad5e5-6d3b-4ba8-9d6a-e9b3c0e9a7f1', 'binary': 'nova-compute',
     'host': 'compute-1', 'zone': 'nova', 'status': 'enabled', 'state': 'up',
     'updated_at': '2026-11-26T10:00:00.000000', 'disabled_reason': None,
     'forced_down': False},
    {'id': '0a4f0a3d-6a8b-4c3a-8a3e-2d6b1f8f3e11', 'binary': 'nova-compute',
     'host': 'compute-2', 'zone': 'nova', 'status': 'disabled',
     'state': 'down', 'updated_at': '2026-11-26T09:00:00.000000',
     'disabled_reason': 'maintenance', 'forced_down': False},
    {'id': '7e5b2e4c-9a6d-4a0e-8f3c-1b2d3e4f5a6b', 'binary': 'nova-conductor',
     'host': 'control', 'zone': 'internal', 'status': 'enabled',
     'state': 'up', 'updated_at': '2026-11-26T10:00:01.000000',
     'disabled_reason': None, 'forced_down': False},
]

ZONES = [
    {'zoneName': 'internal', 'zoneState': {'available': True},
     'hosts': {'control': {'nova-conductor': {
         'available': True, 'active': True,
         'updated_at': '2026-11-26T10:00:01.000000'}}}},
    {'zoneName': 'nova', 'zoneState': {'available': True},
     'hosts': {'compute-1': {'nova-compute': {
         'available': True, 'active': True,
         'updated_at': '2026-11-26T10:00:00.000000'}}}},
    {'zoneName': 'broken', 'zoneState': {'available': False},
     'hosts': None},
]


def version_document(max_version='2.96', min_version='2.1'):
    return {'version': {'id': 'v2.1', 'status': 'CURRENT',
                        'version': max_version, 'min_version': min_version,
                        'updated': '2013-07-23T11:33:21Z', 'links': []}}


class FakeResponse(requests.Response):

    def __init__(self, status, body=None, request_id='req-fake'):
        super().__init__()
        self.status_code = status
        self.headers['x-openstack-request-id'] = request_id
        self.headers['x-compute-request-id'] = request_id
        self._content = json.dumps(body).encode() if body is not None else b''


class FakeNovaHTTP(object):
    """Stands in for novaclient's ``SessionClient``: answers from recorded
    bodies, records every call, raises novaclient's exceptions like the
    real one.

    ``servers`` are served page by page (``page_size``, ``marker``), as
    Nova does.
    """

    def __init__(self, servers=(), flavors=FLAVORS, hypervisors=HYPERVISORS,
                 services=SERVICES, zones=ZONES, max_version='2.96',
                 page_size=1000):
        self.api_version = None
        self.servers = [copy.deepcopy(s) for s in servers]
        self.flavors = copy.deepcopy(list(flavors))
        self.hypervisors = copy.deepcopy(list(hypervisors))
        self.services = copy.deepcopy(list(services))
        self.zones = copy.deepcopy(list(zones))
        self.max_version = max_version
        self.page_size = page_size
        self.calls = []
        self.faults = []
        self.metadata = {}

    def get_endpoint(self):
        return 'http://nova.test/v2.1'

    def fail(self, method, path_regex, status, message, times=1):
        """The next ``times`` matching requests answer ``status``."""
        self.faults.append([method, re.compile(path_regex), status, message,
                            times])

    # SessionClient's interface

    def get(self, url, **kwargs):
        return self.request(url, 'GET', **kwargs)

    def post(self, url, **kwargs):
        return self.request(url, 'POST', **kwargs)

    def put(self, url, **kwargs):
        return self.request(url, 'PUT', **kwargs)

    def delete(self, url, **kwargs):
        return self.request(url, 'DELETE', **kwargs)

    def request(self, url, method, **kwargs):
        parsed = urllib.parse.urlsplit(url)
        path = parsed.path
        if path.startswith('http'):
            path = urllib.parse.urlsplit(path).path
        query = dict(urllib.parse.parse_qsl(parsed.query))
        self.calls.append((method, path, query, kwargs.get('body')))
        for fault in self.faults:
            if fault[0] == method and fault[1].search(path) and fault[4]:
                fault[4] -= 1
                resp = FakeResponse(fault[2], {'error': {
                    'code': fault[2], 'message': fault[3]}},
                    request_id='req-fault-%d' % len(self.calls))
                raise nova_exceptions.from_response(
                    resp, resp.json(), url, method)
        status, body = self._answer(method, path, query, kwargs.get('body'))
        resp = FakeResponse(status, body)
        if status >= 400:
            raise nova_exceptions.from_response(resp, body, url, method)
        return resp, body

    def _answer(self, method, path, query, body):
        if method == 'GET' and path in ('/v2.1', 'http://nova.test/v2.1'):
            return 200, version_document(self.max_version)
        if method == 'GET' and path == '/flavors/detail':
            return 200, {'flavors': self._page(self.flavors, query)}
        if method == 'GET' and path == '/servers/detail':
            return 200, {'servers': self._page(self.servers, query)}
        if method == 'GET' and path == '/os-hypervisors':
            return 200, {'hypervisors': self._page(self.hypervisors, query)}
        if method == 'GET' and path == '/os-services':
            return 200, {'services': self.services}
        if method == 'GET' and path == '/os-availability-zone/detail':
            return 200, {'availabilityZoneInfo': self.zones}
        match = re.match(r'^/servers/([^/]+)(/.*)?$', path)
        if match:
            server_id, rest = match.groups()
            known = {s['id']: s for s in self.servers}
            if server_id not in known:
                return 404, {'itemNotFound': {
                    'code': 404,
                    'message': 'Instance %s could not be found.' %
                               server_id}}
            if method == 'POST' and rest == '/action':
                action = next(iter(body))
                if action == 'pause':
                    known[server_id]['status'] = 'PAUSED'
                return 202, None
            if method == 'POST' and rest == '/metadata':
                meta = known[server_id]['metadata']
                meta.update(body['metadata'])
                return 200, {'metadata': dict(meta)}
            if method == 'DELETE' and rest and rest.startswith('/metadata/'):
                known[server_id]['metadata'].pop(rest.split('/')[-1], None)
                return 204, None
            if method == 'GET' and not rest:
                return 200, {'server': known[server_id]}
        return 404, {'itemNotFound': {'code': 404,
                                      'message': 'No route %s' % path}}

    def _page(self, items, query):
        start = 0
        if 'marker' in query:
            ids = [str(i['id']) for i in items]
            if query['marker'] not in ids:
                return []
            start = ids.index(query['marker']) + 1
        limit = min(int(query.get('limit', self.page_size)), self.page_size)
        return items[start:start + limit]

    def count(self, method, path):
        return sum(1 for c in self.calls if c[0] == method and c[1] == path)
