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

OPTS = [
    cfg.StrOpt('state_path', default='/var/lib/congress',
               help=_('Directory for files the service keeps.')),
    cfg.FloatOpt('shutdown_timeout', default=30.0, min=0.0,
                 help=_('Seconds to let work in flight finish after SIGTERM '
                        'before the process exits anyway.')),
]


def register_opts(conf):
    conf.register_cli_opts(CLI_OPTS)
    conf.register_opts(OPTS)


def list_opts():
    return {'DEFAULT': CLI_OPTS + OPTS}
