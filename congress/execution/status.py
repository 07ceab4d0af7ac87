"""Statuses of an execution record.

``accepted``: recorded and cast to the service; ``dispatched``: a worker of
the service took it and runs it; then one of the terminal statuses.
``exempted``: a rule fired it, an active exemption matched it, and it was
not run (see ``congress.policy.exemptions``).
"""

ACCEPTED = 'accepted'
DISPATCHED = 'dispatched'
SUCCEEDED = 'succeeded'
FAILED = 'failed'
REJECTED = 'rejected'
EXPIRED = 'expired'
DRY_RUN = 'dry-run'
EXEMPTED = 'exempted'

ALL = (ACCEPTED, DISPATCHED, SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN)
TERMINAL = frozenset((SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN))
ALL += (EXEMPTED,)
TERMINAL |= {EXEMPTED}

ORIGIN_API = 'api'
ORIGIN_POLICY = 'policy'
