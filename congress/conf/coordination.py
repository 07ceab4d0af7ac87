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

"""Options of leader election ([coordination] group)."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('coordination', title=_('Leader election options'))

OPTS = [
    cfg.StrOpt('backend_url', secret=True,
               sample_default='<derived from [database] connection>',
               help=_('tooz URL of the backend whose locks make one node '
                      'the leader of a role (the engine that fires actions, '
                      'the node that polls a data source), e.g. '
                      '"redis://host:6379", "etcd3+http://host:2379", '
                      '"zookeeper://host:2181". Unset: the database of '
                      '[database] connection (a MySQL/MariaDB named lock or '
                      'a PostgreSQL advisory lock, released by the server '
                      'when the holder\'s connection closes); with SQLite, '
                      'file locks under $state_path/coordination (one '
                      'host only).')),
    cfg.FloatOpt('lock_retry_interval', default=0.5, min=0.05,
                 help=_('Seconds between two attempts of a standby to take '
                        'a leader lock, and between two checks by a leader '
                        'that it still holds it. A leader that cannot '
                        'confirm its lock for three intervals stops acting '
                        'as leader.')),
]
