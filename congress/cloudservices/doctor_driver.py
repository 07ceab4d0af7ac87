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

"""The doctor driver: host failure events pushed by OPNFV Doctor's
inspector (or any monitor), for policies that react to them.

No credentials, no polling, no actions: the inspector replaces the
``events`` table with ``PUT /v1/data-sources/<ds>/tables/events/rows``
and a JSON list of events::

    [{"time": "2016-02-22T11:48:55Z", "type": "compute.host.down",
      "details": {"hostname": "compute-1", "status": "down",
                  "monitor": "zabbix1", "monitor_event_id": "111"}}]

Each event becomes one row of ``events(time, type, hostname, status,
monitor, monitor_event_id)``: ``time`` and ``type`` from the event, the
other four from ``details``, whose keys win over same-named keys of the
event. Other keys are ignored, a missing one is null. Every event needs a
``details`` object; every value must be a string, a number, a boolean or
null. The list replaces the table (``[]`` empties it); see
:mod:`congress.cloudservices.push_driver` for ``persist_data``.
"""

from congress.cloudservices import push_driver
from congress.cloudservices import translators

EVENTS = 'events'

_FIELDS = {name: push_driver.SCALAR
           for name in ('time', 'type', 'hostname', 'status', 'monitor',
                        'monitor_event_id')}

EVENT_SCHEMA = {
    'type': 'object',
    'properties': dict(_FIELDS, details={'type': 'object',
                                         'properties': _FIELDS}),
    'required': ['details'],
}

EVENTS_TABLE = translators.Table(
    EVENTS,
    columns=(
        translators.Column('time', 'When the monitor saw the event '
                                   '(ISO 8601).'),
        translators.Column('type', 'The event type, e.g. '
                                   'compute.host.down.'),
        translators.Column('hostname', 'The host the event is about.'),
        translators.Column('status', 'The host status the event reports, '
                                     'e.g. down.'),
        translators.Column('monitor', 'The monitor that raised the event.'),
        translators.Column('monitor_event_id', "The event's id at the "
                                               'monitor.'),
    ),
    description='Host failure events pushed by a monitor.')


class DoctorDriver(push_driver.PushDriver):
    """Events pushed by OPNFV Doctor; see the module docstring."""

    DESCRIPTION = ('Push data source for OPNFV Doctor: host failure events '
                   'a monitor pushes with PUT .../tables/events/rows.')
    TABLES = (EVENTS_TABLE,)
    PUSH_SCHEMAS = {EVENTS: EVENT_SCHEMA}

    @classmethod
    def prepare_object(cls, table, obj):
        event = {key: value for key, value in obj.items() if key != 'details'}
        event.update(obj['details'])
        return event
