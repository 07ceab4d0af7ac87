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

"""/v1/system/drivers: the data source drivers of this deployment.

The driver catalogue is the one part of the API that reads driver classes
(through the loader): a driver's description, config keys and schema are
what it tells. The schema of a data source comes from the data source
itself, over the bus (see ``data_sources``).
"""

import pecan

from congress.api.controllers import base
from congress.cloudservices import loader


class DriverController(object):

    def __init__(self, name):
        self.name = name

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:driver:get')
        return loader.driver_class(self.name).get_info(self.name)


class DriversController(object):

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get_all(self, **kwargs):
        base.authorize('congress:driver:list')
        return {'results': [{'id': name, 'description': cls.DESCRIPTION}
                            for name, cls in sorted(
                                loader.enabled_drivers().items())]}

    @pecan.expose()
    def _lookup(self, name, *remainder):
        return DriverController(name), remainder


class SystemController(object):
    drivers = DriversController()
