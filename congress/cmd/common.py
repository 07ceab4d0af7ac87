"""What every console script does first: options, logging, the bus."""

import sys

from oslo_log import log as logging

from congress import conf
from congress.dse import rpc
from congress import version

CONF = conf.CONF


def prepare(argv=None, cli_opts=()):
    """Register ``cli_opts``, parse the command line and config files and
    set up oslo.log."""
    logging.register_options(CONF)
    CONF.register_cli_opts(cli_opts)
    rpc.init()
    CONF(sys.argv[1:] if argv is None else argv, project='congress',
         version=version.version_string())
    logging.setup(CONF, 'congress')
