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

"""Statuses of an execution record.

``accepted``: recorded and cast to the service; ``dispatched``: a worker of
the service took it and runs it; then one of the terminal statuses.

Actions a rule of a policy in ``audit`` mode fires are recorded
``proposed`` and never run; in ``approve`` mode, ``awaiting-approval``
until an admin approves them (they become ``accepted`` and go on as above),
rejects them (``rejected``) or they outlive their approval time
(``expired``).

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
PROPOSED = 'proposed'
AWAITING_APPROVAL = 'awaiting-approval'
EXEMPTED = 'exempted'

ALL = (ACCEPTED, DISPATCHED, SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN,
       PROPOSED, AWAITING_APPROVAL, EXEMPTED)
TERMINAL = frozenset((SUCCEEDED, FAILED, REJECTED, EXPIRED, DRY_RUN,
                      PROPOSED, EXEMPTED))

ORIGIN_API = 'api'
ORIGIN_POLICY = 'policy'
