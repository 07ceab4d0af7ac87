"""Policy errors beyond those of :mod:`congress.exception`."""

from congress import exception


class InvalidRule(exception.PolicyException):
    """A well-formed rule the engine cannot accept.

    For example a rule that defines a builtin or a data source's table.
    """

    error_code = 1106


class PolicyNotFound(exception.NotFound):
    """No policy has that name."""

    error_code = 1107

    def __init__(self, name):
        super().__init__(resource='Policy', id=name)


class RuleNotFound(exception.NotFound):
    """The policy has no rule with that id."""

    error_code = 1108

    def __init__(self, rule_id):
        super().__init__(resource='Rule', id=rule_id)


class PolicyExists(exception.Conflict):
    """A policy with that name already exists."""

    error_code = 1109

    def __init__(self, name):
        super().__init__(reason='policy %s already exists' % name)


class BuiltinPolicy(exception.Forbidden):
    """The built-in policies cannot be deleted."""

    error_code = 1110

    def __init__(self, name):
        super().__init__(reason='policy %s is built in' % name)


class ReservedPolicyName(exception.PolicyException):
    """The name is reserved: rules use it as a qualifier of its own (the
    ``builtin:`` tables), so a policy of that name could never be read."""

    error_code = 1111

    def __init__(self, name):
        super().__init__(
            reason='the policy name %s is reserved: rules name the '
                   'builtins with it' % name)
