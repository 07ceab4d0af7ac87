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

"""Rules of /v1/librarypolicies, the policy templates."""

from congress.policies import base

LP = '/v1/librarypolicies/{library_policy}'

rules = [
    base.rule('library_policy', 'list', base.READER,
              'List library policies.', [('GET', '/v1/librarypolicies')]),
    base.rule('library_policy', 'get', base.READER,
              'Show a library policy.', [('GET', LP)]),
    base.rule('library_policy', 'create', base.ADMIN,
              'Add a library policy.', [('POST', '/v1/librarypolicies')]),
    base.rule('library_policy', 'update', base.ADMIN,
              'Replace a library policy.', [('PUT', LP)]),
    base.rule('library_policy', 'delete', base.ADMIN,
              'Delete a library policy.', [('DELETE', LP)]),
]


def list_rules():
    return rules
