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

"""Test doubles shared by the policy engine tests."""

import datetime

import fixtures

from congress.policy import builtin_functions
from congress.policy import engine as engine_mod

SERVER_COLUMNS = ['id', 'name', 'host_id', 'status', 'tenant_id', 'user_id',
                  'image_id', 'flavor_id', 'zone', 'host_name', 'created_at']
FLAVOR_COLUMNS = ['id', 'name', 'vcpus', 'ram', 'disk', 'ephemeral',
                  'rxtx_factor']
SCHEMAS = {'nova': {'servers': SERVER_COLUMNS, 'flavors': FLAVOR_COLUMNS,
                    'servers.addresses': ['server_id', 'network', 'address']}}


class RecordingSink(object):
    """An ActionSink that remembers what it was asked to do."""

    def __init__(self):
        self.fired = []
        self.rejected = []
        self.reasons = []
        self.withdrawn = []

    def fire(self, requests):
        self.fired.extend(requests)
        return len(requests), 0

    def reject(self, requests, reason):
        self.rejected.extend(requests)
        self.reasons.append(reason)
        return len(requests)

    def withdraw(self, rows):
        self.withdrawn.extend(rows)

    def fired_args(self):
        return sorted(request.positional_args for request in self.fired)

    def clear(self):
        del self.fired[:]
        del self.rejected[:]
        del self.reasons[:]
        del self.withdrawn[:]


def new_engine(max_actions=10):
    """An engine with a recording sink and the nova schema above."""
    sink = RecordingSink()
    engine = engine_mod.PolicyEngine(action_sink=sink,
                                     schema_lookup=SCHEMAS.get,
                                     max_actions_per_change=max_actions)
    return engine, sink


def server(server_id, status='ACTIVE', tenant='t1', flavor='f1',
           host='h1'):
    """A nova:servers row."""
    return (server_id, 'vm-' + server_id, host, status, tenant, 'u1',
            'img', flavor, 'zone', 'host-' + host, '2024-01-01T00:00:00Z')


class Clock(object):
    """The clock of the ``now`` builtin, set by hand: ``install(test)``
    makes the builtin read it for the test's duration."""

    def __init__(self, start):
        self.time = start

    def __call__(self):
        return self.time

    def advance(self, **delta):
        self.time += datetime.timedelta(**delta)

    def install(self, test):
        test.useFixture(fixtures.MockPatchObject(builtin_functions, 'clock',
                                                 self))
        return self
