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

"""Rules of /v1/exemptions, the exemptions from policies."""

from congress.policies import base

E = '/v1/exemptions/{exemption_id}'

rules = [
    base.rule('exemption', 'list', base.ADMIN, 'List exemptions.',
              [('GET', '/v1/exemptions')]),
    base.rule('exemption', 'get', base.ADMIN, 'Show an exemption.',
              [('GET', E)]),
    base.rule('exemption', 'create', base.ADMIN,
              'Exempt actions of a policy from being run.',
              [('POST', '/v1/exemptions')]),
    base.rule('exemption', 'delete', base.ADMIN, 'Delete an exemption.',
              [('DELETE', E)]),
]


def list_rules():
    return rules
