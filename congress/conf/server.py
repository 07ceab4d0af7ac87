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

"""Process-wide options ([DEFAULT] group)."""

import socket

from oslo_config import cfg

from congress.i18n import _

CLI_OPTS = [
    cfg.StrOpt('node-id', default=socket.gethostname(),
               sample_default='<host name>',
               help=_('Name of this node on the bus. Every congress-server '
                      'process of a deployment needs its own.')),
]

GROUP = None  # [DEFAULT]

OPTS = [
    cfg.StrOpt('state_path', default='/var/lib/congress',
               help=_('Directory for files the service keeps.')),
    cfg.FloatOpt('shutdown_timeout', default=30.0, min=0.0,
                 help=_('Seconds to let work in flight finish after SIGTERM '
                        'before the process exits anyway.')),
]
