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

"""Options of cloud-service drivers ([datasources] group)."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('datasources', title=_('Cloud-service driver options'))

#: The shortest time between two polls of a data source, in seconds.
MIN_POLL_TIME = 0.1

#: The drivers of cloud services, on unless configured otherwise.
DEFAULT_DRIVERS = ['nova', 'neutronv2', 'neutronv2_qos', 'keystonev3',
                   'glancev2', 'cinder', 'doctor']

#: The in-memory driver of tests and of the embedded demo: never on by
#: default (its actions sleep as long as asked and append to a file).
TEST_DRIVER = 'fake'

OPTS = [
    cfg.ListOpt('enabled_drivers',
                default=DEFAULT_DRIVERS,
                help=_('Drivers (entry point names in the '
                       '"congress.cloudservices.drivers" group) that data '
                       'sources may use. The in-memory test driver "fake" '
                       'is not among the defaults: test and demo '
                       'deployments add it (its actions sleep as long as '
                       'asked, and its record_file is written under '
                       'state_path).')),
    cfg.FloatOpt('default_poll_time', default=10.0, min=MIN_POLL_TIME,
                 help=_('Seconds between two polls of a data source whose '
                        'config gives no poll_time.')),
    cfg.StrOpt('encryption_key_file', default='$state_path/secret.key',
               help=_('File holding the key that encrypts secret data '
                      'source settings at rest; created on first use.')),
    cfg.FloatOpt('manager_sync_interval', default=5.0, min=0.1,
                 help=_('Seconds between two comparisons of the data sources '
                        'in the database with the drivers this node runs.')),
    cfg.StrOpt('preload_file',
               help=_('YAML file listing data sources (each with "name", '
                      '"driver" and optionally "config", "description", '
                      '"enabled") that a --datasources node creates at start '
                      'when no data source of that name is stored. A '
                      'preloaded data source deleted through the API comes '
                      'back at the next start while it is in the file.')),
    cfg.IntOpt('execution_threads', default=8, min=1,
               help=_('Actions each data source of a --datasources node '
                      'runs at once, on threads of their own beside the one '
                      'that polls. Each is claimed in the database before it '
                      'starts, and claims made at the same time share a '
                      'transaction; a driver\'s actions must be safe to run '
                      'side by side (those of Congress are: they call the '
                      'service over one keystoneauth session). 1 runs them '
                      'one after the other.')),
    cfg.IntOpt('max_push_rows', default=10000, min=0,
               help=_('The most rows one push (PUT .../tables/<table>/rows '
                      'on a push data source such as doctor) may carry; a '
                      'longer list is refused with 400. The request body '
                      'is also bounded by [api] max_request_body_size.')),
]
