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
