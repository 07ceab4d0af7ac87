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

"""``/`` (the versions) and ``/v1``; neither needs a token."""

import pecan

from congress.api.controllers import base
from congress.api.controllers import data_sources
from congress.api.controllers import drivers
from congress.api.controllers import executions
from congress.api.controllers import exemptions
from congress.api.controllers import library_policies
from congress.api.controllers import policies

VERSION = 'v1'
UPDATED = '2026-11-26T00:00:00Z'
MEDIA_TYPES = [{'base': 'application/json',
                'type': 'application/vnd.openstack.congress.v1+json'}]


def version_v1():
    return {'id': VERSION, 'status': 'CURRENT', 'updated': UPDATED,
            'media-types': MEDIA_TYPES,
            'links': [{'rel': 'self', 'href': base.link(VERSION) + '/'}]}


class V1Controller(object):

    system = drivers.SystemController()
    executions = executions.ExecutionsController()
    policies = policies.PoliciesController()
    librarypolicies = library_policies.LibraryPoliciesController()
    exemptions = exemptions.ExemptionsController()

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'HEAD')
    @base.when(index, 'GET')
    def get(self, **kwargs):
        answer = version_v1()
        answer['links'].append(
            {'rel': 'describedby', 'type': 'text/html',
             'href': 'https://docs.openstack.org/congress/latest/'})
        answer['resources'] = sorted([
            'data-sources', 'cloud-services', 'policies', 'librarypolicies',
            'executions', 'system/drivers', 'exemptions'])
        return answer


_data_sources = data_sources.DataSourcesController()
pecan.route(V1Controller, 'data-sources', _data_sources)
pecan.route(V1Controller, 'cloud-services', _data_sources)


class RootController(object):

    v1 = V1Controller()

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'HEAD')
    @base.when(index, 'GET')
    def get(self, **kwargs):
        return {'versions': [version_v1()]}
