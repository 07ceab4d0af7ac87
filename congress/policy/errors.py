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

"""Policy errors beyond those of :mod:`congress.exception`.

They cross the bus as themselves (this module is one of the
``rpc.REMOTE_EXCEPTION_MODULES``): the caller's side rebuilds an error as
``cls(message, **error.kwargs)``, so a constructor that takes a name also
takes the format arguments it made from it.
"""

from congress import exception


class InvalidRule(exception.PolicyException):
    """A well-formed rule the engine cannot accept.

    For example a rule that defines a builtin or a data source's table.
    """

    error_code = 1106


class PolicyNotFound(exception.NotFound):
    """No policy has that name."""

    error_code = 1107

    def __init__(self, name=None, **kwargs):
        kwargs.setdefault('resource', 'Policy')
        kwargs.setdefault('id', name)
        super().__init__(**kwargs)


class RuleNotFound(exception.NotFound):
    """The policy has no rule with that id."""

    error_code = 1108

    def __init__(self, rule_id=None, **kwargs):
        kwargs.setdefault('resource', 'Rule')
        kwargs.setdefault('id', rule_id)
        super().__init__(**kwargs)


class PolicyExists(exception.Conflict):
    """A policy with that name already exists."""

    error_code = 1109

    def __init__(self, name=None, **kwargs):
        kwargs.setdefault('reason', 'policy %s already exists' % name)
        super().__init__(**kwargs)


class BuiltinPolicy(exception.Forbidden):
    """The built-in policies cannot be deleted."""

    error_code = 1110

    def __init__(self, name=None, **kwargs):
        kwargs.setdefault('reason', 'policy %s is built in' % name)
        super().__init__(**kwargs)


class ReservedPolicyName(exception.PolicyException):
    """The name is reserved: rules use it as a qualifier of its own (the
    ``builtin:`` tables), so a policy or a data source of that name could
    never be read."""

    error_code = 1111

    def __init__(self, name=None, **kwargs):
        kwargs.setdefault('reason', 'the name %s is reserved: rules name '
                                    'the builtins with it' % name)
        super().__init__(**kwargs)


# Simulation bounds (engine-plans)

class SimulationTooLarge(exception.CongressException):
    """A simulation beyond the configured bounds: a sequence longer than
    ``[policy_engine] simulate_max_steps`` or an evaluation longer than
    ``[policy_engine] simulate_timeout`` seconds."""

    code = 413
    error_code = 1120


class SchemaUnknown(exception.SchemaMismatch):
    """A rule names columns of a data source whose schema is not known
    (yet): the engine keeps it, disabled, until the schema arrives."""

    error_code = 1121
