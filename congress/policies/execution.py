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

"""Rules of /v1/executions, the audit trail of actions."""

from congress.policies import base

rules = [
    base.rule('execution', 'list', base.ADMIN,
              'List execution records.', [('GET', '/v1/executions')]),
    base.rule('execution', 'get', base.ADMIN,
              'Show an execution record.',
              [('GET', '/v1/executions/{execution_id}')]),
    base.rule('execution', 'approve', base.ADMIN,
              'Approve or reject actions awaiting approval, one or a batch.',
              [('POST', '/v1/executions/{execution_id}?action=approve'),
               ('POST', '/v1/executions/{execution_id}?action=reject'),
               ('POST', '/v1/executions?action=approve'),
               ('POST', '/v1/executions?action=reject')]),
]


def list_rules():
    return rules
