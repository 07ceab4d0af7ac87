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
