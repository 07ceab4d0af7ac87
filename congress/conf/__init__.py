"""Congress configuration: every option group registered on one CONF."""

from oslo_config import cfg

from congress.conf import api
from congress.conf import database
from congress.conf import datasources
from congress.conf import dse
from congress.conf import engine
from congress.conf import execution
from congress.conf import server

CONF = cfg.CONF

for _module in (api, database, datasources, dse, engine, execution, server):
    _module.register_opts(CONF)
