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

"""WSGI entry point for uwsgi, mod_wsgi and the like::

    uwsgi --http :1789 --module congress.api.wsgi:application

The config files are ``OS_CONGRESS_CONFIG_FILES`` (separated by ``;`` or
``,``) or ``/etc/congress/congress.conf``; the WSGI server's own command
line is never parsed. The process joins the bus as an API-only node.
"""

import os
import threading

from oslo_log import log as logging

from congress.api import app as app_mod
from congress.api import library_store
from congress.api import server as api_server
from congress import conf
from congress.dse import node as node_mod
from congress.dse import rpc
from congress import heap
from congress import version

CONF = conf.CONF
LOG = logging.getLogger(__name__)

DEFAULT_CONFIG_FILES = ('/etc/congress/congress.conf',)

_APPLICATION = None
_LOCK = threading.Lock()


def _config_files():
    value = os.environ.get('OS_CONGRESS_CONFIG_FILES')
    if value:
        return [f.strip() for f in value.replace(',', ';').split(';')
                if f.strip()]
    return [f for f in DEFAULT_CONFIG_FILES if os.path.exists(f)]


def initialize_application():
    """Read the config, join the bus and build the API app (once)."""
    global _APPLICATION
    with _LOCK:
        if _APPLICATION is not None:
            return _APPLICATION
        logging.register_options(CONF)
        rpc.init()
        CONF(args=[], project='congress', version=version.version_string(),
             default_config_files=_config_files())
        logging.setup(CONF, 'congress')
        # several WSGI processes of one host must not share a node id
        node = node_mod.DseNode(api_server.worker_node_id())
        node.start()
        library_store.load_at_start()
        _APPLICATION = app_mod.load_app(app_mod.Backends(node))
        heap.freeze_started_process()
        LOG.info('Congress API WSGI application ready (node %s)',
                 node.node_id)
        return _APPLICATION


def __getattr__(name):
    # ``application`` is built on first access, so that importing this
    # module (e.g. for ``initialize_application``) parses nothing
    if name == 'application':
        return initialize_application()
    raise AttributeError(name)
