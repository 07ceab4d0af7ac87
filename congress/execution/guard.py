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
