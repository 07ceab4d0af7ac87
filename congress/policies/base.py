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

"""The base rules the resource rules build on."""

from oslo_policy import policy

ADMIN = 'rule:admin_required'
READER = 'rule:reader_required'

rules = [
    policy.RuleDefault(
        name='admin_required',
        check_str='role:admin',
        description='Callers with the admin role.'),
    policy.RuleDefault(
        name='reader_required',
        check_str='role:admin or role:member or role:reader',
        description='Callers with any role in their project: admin, member '
                    'or reader.'),
]


def list_rules():
    return rules


def rule(resource, verb, check_str, description, operations):
    """A DocumentedRuleDefault named ``congress:<resource>:<verb>``."""
    return policy.DocumentedRuleDefault(
        name='congress:%s:%s' % (resource, verb),
        check_str=check_str,
        description=description,
        operations=[{'path': path, 'method': method}
                    for method, path in operations],
        scope_types=['project'])
