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
