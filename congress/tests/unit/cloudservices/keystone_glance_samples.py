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

"""Keystone and Glance API bodies recorded from the test bed (keystone
2025.x, glance 2025.x; tools/openstack-testbed.sh), trimmed of links, plus
a stand-in for the clients' HTTP ``get``."""

import copy
import urllib.parse

DOMAIN = 'default'
ADMIN_PROJECT = 'a374b867bdd84f20b1e4ce2a25b8e0f5'
SERVICE_PROJECT = '96c84c5f00ce448ebee05d11ee8a59f7'
ADMIN_USER = '9b4ffaf7d72545759dbc815a3c2af85a'
CONGRESS_USER = '2d47248701294df49c5d5df7b86dc2e4'
ADMIN_ROLE = 'd4cd7a28b11c424bb62e641dc3b51036'
MEMBER_ROLE = '3832f7e8b23d486eb1fd636c144ced88'
GROUP = '5d0f8c3e2b7a4e1f9a6c0b3d2e1f4a5b'
IMAGE = 'f4582127-8d5f-4955-aff4-15e219c02927'

USERS = [
    {'id': CONGRESS_USER, 'name': 'congress', 'domain_id': DOMAIN,
     'enabled': True, 'default_project_id': SERVICE_PROJECT,
     'password_expires_at': None, 'options': {}},
    # no default project: Keystone leaves the key out
    {'id': ADMIN_USER, 'name': 'admin', 'domain_id': DOMAIN,
     'enabled': True, 'password_expires_at': None, 'options': {}},
]

ROLES = [
    {'id': MEMBER_ROLE, 'name': 'member', 'domain_id': None,
     'description': None, 'options': {'immutable': True}},
    {'id': ADMIN_ROLE, 'name': 'admin', 'domain_id': None,
     'description': None, 'options': {'immutable': True}},
]

PROJECTS = [
    {'id': SERVICE_PROJECT, 'name': 'service', 'domain_id': DOMAIN,
     'description': '', 'enabled': True, 'parent_id': DOMAIN,
     'is_domain': False, 'tags': [], 'options': {}},
    {'id': ADMIN_PROJECT, 'name': 'admin', 'domain_id': DOMAIN,
     'description': 'Bootstrap project for initializing the cloud.',
     'enabled': True, 'parent_id': DOMAIN, 'is_domain': False,
     'tags': ['prod', 'ops'], 'options': {}},
]

DOMAINS = [
    {'id': DOMAIN, 'name': 'Default', 'description': 'The default domain',
     'enabled': True, 'tags': [], 'options': {}},
]

GROUPS = [
    {'id': GROUP, 'name': 'operators', 'domain_id': DOMAIN,
     'description': 'the ops team'},
]

ROLE_ASSIGNMENTS = [
    {'scope': {'project': {'id': ADMIN_PROJECT}},
     'user': {'id': ADMIN_USER}, 'role': {'id': ADMIN_ROLE}},
    {'scope': {'system': {'all': True}},
     'user': {'id': ADMIN_USER}, 'role': {'id': ADMIN_ROLE}},
    {'scope': {'domain': {'id': DOMAIN}, 'OS-INHERIT:inherited_to':
               'projects'},
     'group': {'id': GROUP}, 'role': {'id': MEMBER_ROLE}},
]

EFFECTIVE_ROLE_ASSIGNMENTS = [
    {'scope': {'project': {'id': ADMIN_PROJECT}},
     'user': {'id': ADMIN_USER}, 'role': {'id': ADMIN_ROLE}},
    {'scope': {'system': {'all': True}},
     'user': {'id': ADMIN_USER}, 'role': {'id': ADMIN_ROLE}},
    {'scope': {'project': {'id': SERVICE_PROJECT}},
     'user': {'id': CONGRESS_USER}, 'role': {'id': MEMBER_ROLE}},
]


def image(image_id=IMAGE, **changes):
    """An image as ``GET /v2/images`` shows it."""
    body = {
        'name': 'testbed-raw-1m', 'disk_format': 'raw',
        'container_format': 'bare', 'visibility': 'public',
        'size': 1048576, 'virtual_size': 1048576, 'status': 'active',
        'checksum': 'b6d81b360a5672d80c27430f39153e2c', 'protected': False,
        'min_ram': 0, 'min_disk': 0, 'owner': ADMIN_PROJECT,
        'os_hidden': False, 'os_hash_algo': 'sha512',
        'os_hash_value': 'd629268', 'id': image_id,
        'created_at': '2026-12-01T12:40:05Z',
        'updated_at': '2026-12-01T12:40:06Z', 'tags': [],
        'self': '/v2/images/%s' % image_id,
        'file': '/v2/images/%s/file' % image_id,
        'schema': '/v2/schemas/image', 'stores': 'fs'}
    body.update(changes)
    return body


class FakeKeystoneHTTP(object):
    """``get(path)`` of the identity adapter, answering from lists."""

    def __init__(self, truncated=()):
        self.bodies = {
            '/users': {'users': copy.deepcopy(USERS)},
            '/roles': {'roles': copy.deepcopy(ROLES)},
            '/projects': {'projects': copy.deepcopy(PROJECTS)},
            '/domains': {'domains': copy.deepcopy(DOMAINS)},
            '/groups': {'groups': copy.deepcopy(GROUPS)},
            '/role_assignments': {
                'role_assignments': copy.deepcopy(ROLE_ASSIGNMENTS)},
            '/role_assignments?effective': {
                'role_assignments': copy.deepcopy(
                    EFFECTIVE_ROLE_ASSIGNMENTS)},
        }
        for path in truncated:
            self.bodies[path]['truncated'] = True
        self.calls = []

    def get(self, path):
        self.calls.append(path)
        return _JsonResponse(copy.deepcopy(self.bodies[path]))


class _JsonResponse(object):

    def __init__(self, body):
        self.body = body

    def json(self):
        return self.body


class FakeGlanceHTTP(object):
    """``http_client.get(path)`` of glanceclient: pages by ``marker`` and
    ``limit`` with ``next`` links, as Glance does."""

    def __init__(self, images=(), hidden=()):
        self.images = list(images)
        self.hidden = list(hidden)
        self.calls = []

    def get(self, path):
        self.calls.append(path)
        url = urllib.parse.urlparse(path)
        query = dict(urllib.parse.parse_qsl(url.query))
        items = self.hidden if query.get('os_hidden') == 'true' else \
            self.images
        start = 0
        if 'marker' in query:
            start = [i['id'] for i in items].index(query['marker']) + 1
        limit = int(query.get('limit', 20))
        page = items[start:start + limit]
        body = {'images': copy.deepcopy(page), 'schema': '/v2/schemas/images',
                'first': path}
        if start + limit < len(items):
            query['marker'] = page[-1]['id']
            body['next'] = '/v2/images?%s' % urllib.parse.urlencode(query)
        return None, body
