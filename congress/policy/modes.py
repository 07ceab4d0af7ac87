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

"""Enforcement modes of a policy: what becomes of the actions its rules
fire.

``enforce``: they run; ``audit``: they are recorded ``proposed`` and never
run; ``approve``: they are recorded ``awaiting-approval`` and run once an
admin approves them.
"""

from congress.execution import status

ENFORCE = 'enforce'
AUDIT = 'audit'
APPROVE = 'approve'

ALL = (ENFORCE, AUDIT, APPROVE)

_HELD = {ENFORCE: None, AUDIT: status.PROPOSED,
         APPROVE: status.AWAITING_APPROVAL}


def held_status(mode):
    """The status an action fired under ``mode`` is recorded with instead
    of being run, or None when it runs (``enforce``). A mode this release
    does not know holds the action for approval: the safe side."""
    return _HELD.get(mode, status.AWAITING_APPROVAL)
