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

"""Parsing of ``service:action`` names and checks of action arguments."""

from congress.db import models
from congress import exception
from congress.i18n import _

#: What an execution record holds of a service and an action name.
MAX_SERVICE_LENGTH = models.Execution.service.type.length
MAX_ACTION_LENGTH = models.Execution.action.type.length


def split_action_name(name):
    """Split ``'nova:servers.pause'`` into ``('nova', 'servers.pause')``.

    :raises InvalidActionName: unless there is exactly one ``:`` with a
        non-empty name on each side.
    """
    if not isinstance(name, str):
        raise exception.InvalidActionName(
            name=name, reason=_('the name must be a string'))
    parts = name.split(':')
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise exception.InvalidActionName(
            name=name,
            reason=_('expected "<service>:<action>" with exactly one ":"'))
    return parts[0].strip(), parts[1].strip()


def check_name_lengths(service, action):
    """Raise InvalidActionName unless an execution record can hold
    ``service`` and ``action``."""
    for what, value, limit in ((_('service'), service, MAX_SERVICE_LENGTH),
                               (_('action'), action, MAX_ACTION_LENGTH)):
        if len(value) > limit:
            raise exception.InvalidActionName(
                name='%s...' % value[:40],
                reason=_('the %(what)s name is longer than %(limit)d '
                         'characters') % {'what': what, 'limit': limit})


def check_arguments(positional_args, named_args):
    """Return the arguments as a list and a dict, or raise a clear error."""
    if positional_args is None:
        positional_args = []
    if named_args is None:
        named_args = {}
    if not isinstance(positional_args, (list, tuple)):
        raise exception.InvalidActionArguments(
            reason=_('"positional" must be a list'))
    if not isinstance(named_args, dict):
        raise exception.InvalidActionArguments(
            reason=_('"named" must be an object'))
    for key in named_args:
        if not isinstance(key, str) or not key.isidentifier():
            raise exception.InvalidActionArguments(
                reason=_('named argument "%s" is not a valid name') % key)
    return list(positional_args), dict(named_args)
