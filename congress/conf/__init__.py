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

"""Congress configuration: every option group registered on one CONF.

Each module of this package holds one option group: ``GROUP`` (an
``OptGroup`` or a group name), ``OPTS`` and, for options that are also
command-line flags, ``CLI_OPTS``; ``set_defaults(conf)`` where library
options need other defaults.
"""

import importlib
import pkgutil

from oslo_config import cfg

CONF = cfg.CONF


def option_modules():
    """The modules of this package that hold an option group."""
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module('%s.%s' % (__name__, info.name))
        if hasattr(module, 'OPTS'):
            yield module


def register_opts(conf):
    for module in option_modules():
        if isinstance(module.GROUP, cfg.OptGroup):
            conf.register_group(module.GROUP)
        cli_opts = getattr(module, 'CLI_OPTS', [])
        try:
            conf.register_cli_opts(cli_opts, group=module.GROUP)
        except cfg.ArgsAlreadyParsedError:
            # a tool that parsed its own command line on this CONF loads
            # us (oslopolicy-policy-generator): ours are file options there
            conf.register_opts(cli_opts, group=module.GROUP)
        conf.register_opts(module.OPTS, group=module.GROUP)
        if hasattr(module, 'set_defaults'):
            module.set_defaults(conf)


register_opts(CONF)
