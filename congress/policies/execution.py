"""Rules of /v1/executions, the audit trail of actions."""

from congress.policies import base

rules = [
    base.rule('execution', 'list', base.ADMIN,
              'List execution records.', [('GET', '/v1/executions')]),
    base.rule('execution', 'get', base.ADMIN,
              'Show an execution record.',
              [('GET', '/v1/executions/{execution_id}')]),
]


def list_rules():
    return rules
