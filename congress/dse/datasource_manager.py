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

"""Keeps the driver services of a node in step with the stored data
sources: a data source created through the API starts on every
``--datasources`` node, and stops there when it is deleted."""

import threading

from oslo_log import log as logging

from congress.cloudservices import loader
from congress import conf
from congress.db import datasources as datasources_db
from congress.dse import datasource_service
from congress.dse import periodic

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class DataSourceManager(object):
    """Starts and stops ``DataSourceService`` objects on ``node``."""

    def __init__(self, node):
        self.node = node
        self._running = {}
        self._errors = {}
        self._lock = threading.Lock()
        self._task = periodic.PeriodicTask(
            'datasource-sync', self.sync,
            lambda: CONF.datasources.manager_sync_interval)

    def start(self):
        self.sync()
        self._task.start()

    def stop(self):
        self._task.stop()

    def sync(self):
        """Start what the database has and this node lacks; stop what is
        gone. Returns the names of the services now running (while the
        database cannot be read, nothing changes)."""
        try:
            stored = datasources_db.list_all()
        except Exception as exc:
            self.node.faults.failed('reading the data sources', exc)
            with self._lock:
                return sorted(self._running)
        self.node.faults.succeeded('reading the data sources')
        wanted = {ds['name']: ds for ds in stored if ds['enabled']}
        with self._lock:
            for name, ds_id in list(self._running.items()):
                if wanted.get(name, {}).get('id') != ds_id:
                    LOG.info('Stopping data source %s', name)
                    self.node.remove_service(name)
                    del self._running[name]
            for name, ds in wanted.items():
                if name not in self._running:
                    self._start(ds)
            return sorted(self._running)

    def _start(self, datasource):
        name = datasource['name']
        try:
            datasource = datasources_db.get(datasource['id'], reveal=True)
            driver_cls = loader.driver_class(datasource['driver'])
            driver = driver_cls(name, datasource['config'])
            poll_time = float(datasource['config'].get(
                'poll_time', CONF.datasources.default_poll_time))
            service = datasource_service.DataSourceService(
                name, driver, self.node, poll_time)
            self.node.add_service(service)
        except Exception as exc:
            if self._errors.get(name) != str(exc):
                LOG.exception('Data source %s could not start', name)
            self._errors[name] = str(exc)
            return
        self._errors.pop(name, None)
        self._running[name] = datasource['id']
        LOG.info('Data source %s (%s) started on node %s', name,
                 datasource['driver'], self.node.node_id)

    def start_error(self, name):
        """Why data source ``name`` could not start here, if it could not.
        """
        return self._errors.get(name)
