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

"""The deployment's execution settings: may this action run at all?"""

import fnmatch

from congress import conf
from congress import exception
from congress.i18n import _

CONF = conf.CONF


def _matches(full_name, patterns):
    return next((p for p in patterns
                 if fnmatch.fnmatchcase(full_name, p.strip())), None)


def check_allowed(service, action):
    """Raise ActionNotAllowed if the [execution] allow/deny lists refuse
    ``service:action``."""
    full_name = '%s:%s' % (service, action)
    denied_by = _matches(full_name, CONF.execution.deny)
    if denied_by:
        raise exception.ActionNotAllowed(
            name=full_name,
            reason=_('it matches the deny pattern "%s"') % denied_by)
    if not _matches(full_name, CONF.execution.allow):
        raise exception.ActionNotAllowed(
            name=full_name,
            reason=_('it matches no allow pattern'))


def execution_enabled():
    return CONF.execution.enabled
