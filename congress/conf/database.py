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
