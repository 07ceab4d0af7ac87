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

"""Rules of /v1/policies, their rules and tables."""

from congress.policies import base

P = '/v1/policies/{policy}'

rules = [
    base.rule('policy', 'list', base.READER, 'List policies.',
              [('GET', '/v1/policies')]),
    base.rule('policy', 'get', base.READER, 'Show a policy.',
              [('GET', P)]),
    base.rule('policy', 'create', base.ADMIN,
              'Create a policy (optionally from a library policy).',
              [('POST', '/v1/policies')]),
    base.rule('policy', 'delete', base.ADMIN, 'Delete a policy.',
              [('DELETE', P)]),
    base.rule('policy', 'update', base.ADMIN,
              'Change settings of a policy: its enforcement mode, its '
              'share-of-table limit.',
              [('PATCH', P)]),

    base.rule('policy', 'simulate', base.READER,
              'Evaluate a query against a hypothetical change.',
              [('POST', P + '?action=simulate')]),
    base.rule('policy', 'execute', base.ADMIN,
              'Run an action on a cloud service on behalf of a policy.',
              [('POST', P + '?action=execute')]),
    base.rule('policy', 'get_status', base.READER,
              'Show the status of a policy.', [('GET', P + '/status')]),
    base.rule('policy', 'get_tables', base.READER,
              'List or show the tables of a policy.',
              [('GET', P + '/tables'), ('GET', P + '/tables/{table}')]),
    base.rule('policy', 'get_rows', base.READER,
              'List the rows of a table of a policy.',
              [('GET', P + '/tables/{table}/rows')]),
    base.rule('policy_rule', 'list', base.READER, 'List rules of a policy.',
              [('GET', P + '/rules')]),
    base.rule('policy_rule', 'get', base.READER, 'Show a rule.',
              [('GET', P + '/rules/{rule_id}')]),
    base.rule('policy_rule', 'create', base.ADMIN,
              'Add a rule to a policy.', [('POST', P + '/rules')]),
    base.rule('policy_rule', 'delete', base.ADMIN,
              'Delete a rule of a policy.',
              [('DELETE', P + '/rules/{rule_id}')]),
]


def list_rules():
    return rules
