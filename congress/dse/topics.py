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

"""Names of every topic on the bus, built here and nowhere else."""

from congress import conf

CONF = conf.CONF

EXCHANGE = 'congress'

#: The name under which the policy engines offer their service (and take
#: their leader lock) in the directory.
ENGINE_SERVICE = '_policy_engine'


def service_topic(service, bus_id=None):
    """Topic a cloud service's workers consume: one worker gets each cast."""
    return 'congress-service-%s-%s' % (service, bus_id or CONF.dse.bus_id)


def data_topic(service, bus_id=None):
    """Fanout topic on which a service publishes its table changes."""
    return 'congress-data-%s-%s' % (service, bus_id or CONF.dse.bus_id)


def engine_topic(bus_id=None):
    """Topic of the policy engines: every engine holds every policy, so
    any one of them can answer a query."""
    return 'congress-engine-%s' % (bus_id or CONF.dse.bus_id)
