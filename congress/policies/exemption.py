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
