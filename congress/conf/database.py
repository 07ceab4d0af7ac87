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

"""Congress' own additions to oslo.db's [database] group."""

from oslo_config import cfg
from oslo_db import options as db_options

from congress.i18n import _

GROUP = 'database'

DEFAULT_CONNECTION = 'sqlite:///congress.sqlite'

OPTS = [
    cfg.BoolOpt('auto_upgrade', default=False,
                help=_('Upgrade the database schema to the newest revision '
                       'when a server starts. Meant for the single-process '
                       'embedded default; multi-host deployments run '
                       '"congress-db-manage upgrade head" instead.')),
]


def set_defaults(conf):
    """oslo.db's [database] options, with Congress' default connection."""
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)
