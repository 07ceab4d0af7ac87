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
