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
        conf.register_cli_opts(getattr(module, 'CLI_OPTS', []),
                               group=module.GROUP)
        conf.register_opts(module.OPTS, group=module.GROUP)
        if hasattr(module, 'set_defaults'):
            module.set_defaults(conf)


register_opts(CONF)
