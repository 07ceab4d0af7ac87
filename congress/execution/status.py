"""Statuses of an execution record.

``accepted``: recorded and cast to the service; ``dispatched``: a worker of
the service took it and runs it; then one of the terminal statuses.
"""

ACCEPTED = 'accepted'
DISPATCHED = 'dispatched'
SUCCEEDED = 'succeeded'
FAILED = 'failed'
REJECTED = 'rejected'
EXPIRED = 'expired'
DRY_RUN = 'dry-run'

ALL = (ACCEPTED, DISPATCHED, SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN)
TERMINAL = frozenset((SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN))

ORIGIN_API = 'api'
ORIGIN_POLICY = 'policy'
