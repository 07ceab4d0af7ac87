"""Finding driver classes through stevedore."""

from stevedore import driver as stevedore_driver
from stevedore import extension

from congress import conf
from congress import exception

CONF = conf.CONF

NAMESPACE = 'congress.cloudservices.drivers'


def driver_class(name):
    """The class registered as driver ``name``, if it is enabled."""
    if name not in CONF.datasources.enabled_drivers:
        raise exception.DriverNotFound(driver=name)
    try:
        manager = stevedore_driver.DriverManager(NAMESPACE, name,
                                                 invoke_on_load=False)
    except Exception:
        raise exception.DriverNotFound(driver=name)
    return manager.driver


def enabled_drivers():
    """``{name: class}`` of every enabled driver that is installed."""
    manager = extension.ExtensionManager(NAMESPACE, invoke_on_load=False)
    return {ext.name: ext.plugin for ext in manager
            if ext.name in CONF.datasources.enabled_drivers}
