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

"""The checked form of a request to run an action.

An action enters Congress at three edges: an execute call of the API, a
row of an ``execute[...]`` table of the policy engine, and a message a
worker receives from the bus. Each edge makes an :class:`ActionCall` of
what it got, which checks it; the layers inside (DseRuntime, the workers'
drivers) take the call as it is.
"""

import dataclasses
import types
import typing

from congress import exception
from congress.execution import names
from congress.i18n import _


def _check_name(what, value):
    if not isinstance(value, str) or not value:
        raise exception.InvalidActionName(
            name=value if isinstance(value, str) else '',
            reason=_('the %s name must be a non-empty string') % what)


@dataclasses.dataclass(frozen=True)
class ActionCall:
    """Action ``action`` of cloud service ``service`` with its arguments.

    Making one checks it: both names non-empty strings an execution
    record can hold, the positional arguments a list or None (held as a
    tuple), the named ones a dict whose keys are identifiers, or None
    (held read-only).
    ``dry_run`` records the call without running it.

    :raises InvalidActionName, InvalidActionArguments: bad input.
    """

    service: str
    action: str
    # not in the repr: arguments may be secrets
    positional_args: typing.Optional[typing.Sequence] = dataclasses.field(
        default=None, repr=False)
    named_args: typing.Optional[typing.Mapping] = dataclasses.field(
        default=None, repr=False)
    dry_run: bool = False

    def __post_init__(self):
        positional, named = names.check_arguments(self.positional_args,
                                                  self.named_args)
        _check_name(_('service'), self.service)
        _check_name(_('action'), self.action)
        names.check_name_lengths(self.service, self.action)
        object.__setattr__(self, 'positional_args', tuple(positional))
        object.__setattr__(self, 'named_args',
                           types.MappingProxyType(named))
        object.__setattr__(self, 'dry_run', bool(self.dry_run))

    @classmethod
    def parse(cls, name, positional_args=None, named_args=None,
              dry_run=False):
        """The call of ``name``, ``'<service>:<action>'``."""
        service, action = names.split_action_name(name)
        return cls(service, action, positional_args, named_args, dry_run)

    def arguments(self):
        """``(positional list, named dict)``: copies to record and send."""
        return list(self.positional_args), dict(self.named_args)
