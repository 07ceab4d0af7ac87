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
