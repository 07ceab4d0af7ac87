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

"""oslo.policy enforcement of the API: ``authorize(rule, context)``."""

import sys
import threading
import time

from oslo_log import log as logging
from oslo_policy import policy

from congress import conf
from congress import exception
from congress.i18n import _
from congress import policies

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_ENFORCER = None
_LOCK = threading.Lock()

#: Seconds a look at the policy file and the policy directories holds.
#: oslo.policy looks for them before every check (a policy file that does
#: not exist, the usual case with the defaults in the code, in each
#: configuration directory in turn): 11 % of the API's time for an
#: execute, in a profile of its GIL. A policy file written, changed or
#: removed takes effect within this time.
RELOAD_CHECK_SECONDS = 1.0


class Enforcer(policy.Enforcer):
    """oslo.policy's Enforcer, looking for changes of the policy file and
    directories at most once every ``RELOAD_CHECK_SECONDS``; a forced
    reload, and the first check after the rules were cleared, look at
    once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._looked_at = None

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if (not force_reload and self.rules and self._looked_at is not None
                and now - self._looked_at < RELOAD_CHECK_SECONDS):
            return
        super().load_rules(force_reload)
        self._looked_at = now


def init_enforcer(policy_file=None, rules=None, overwrite=True):
    """Build the process' enforcer with the defaults in code."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = Enforcer(CONF, policy_file=policy_file, rules=rules,
                                overwrite=overwrite)
            enforcer.register_defaults(policies.list_rules())
            _ENFORCER = enforcer
        return _ENFORCER


def reset():
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def get_enforcer():
    """The enforcer for oslo.policy's command line tools
    (``oslopolicy-policy-generator``, ``oslopolicy-checker``...).

    Only the config file options of the command line are parsed here; the
    tool parses its own.
    """
    conf_args = []
    argv = sys.argv[1:]
    index = 0
    while index < len(argv):
        if argv[index] in ('--config-file', '--config-dir'):
            conf_args.extend(argv[index:index + 2])
            index += 2
        else:
            index += 1
    CONF(conf_args, project='congress')
    return init_enforcer()


def authorize(rule, context, target=None):
    """Raise Forbidden (403) unless ``context`` may do ``rule``.

    ``target`` defaults to the caller's own project.
    """
    enforcer = init_enforcer()
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    try:
        return enforcer.authorize(rule, target, context, do_raise=True,
                                  exc=exception.Forbidden,
                                  reason=_('policy does not allow %s to be '
                                           'performed') % rule)
    except policy.InvalidScope:
        LOG.debug('Scope of the token refused for %s', rule)
        raise exception.Forbidden(
            reason=_('the scope of the token does not allow %s') % rule)
