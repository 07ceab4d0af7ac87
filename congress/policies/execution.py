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
