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
