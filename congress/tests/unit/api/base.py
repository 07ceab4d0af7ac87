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

"""An API over the in-process bus, driven with webtest."""

import functools

import webtest

from congress.api import app as app_mod
from congress.api import policy_enforcer
from congress.db import executions as executions_db
from congress.dse import datasource_manager
from congress.dse import node as node_mod
from congress.execution import status
from congress.tests import base


#: ``congress.tests.base.wait_for`` at the in-process bus's pace.
wait_for = functools.partial(base.wait_for, timeout=10.0, interval=0.02)


class ApiTestCase(base.BusTestCase):
    """noauth API app on a node that also hosts the data sources."""

    AUTH_STRATEGY = 'noauth'

    def setUp(self):
        super().setUp()
        self.config(auth_strategy=self.AUTH_STRATEGY, group='api')
        self.config(manager_sync_interval=3600, group='datasources')
        self.config(policy_library_path=self.state_dir + '/library',
                    group='policy_engine')
        policy_enforcer.reset()
        self.addCleanup(policy_enforcer.reset)
        self.configure()
        self.node = node_mod.DseNode('api-node')
        self.node.start()
        self.addCleanup(self.node.stop)
        self.manager = datasource_manager.DataSourceManager(self.node)
        self.backends = app_mod.Backends(self.node, manager=self.manager)
        self.app = webtest.TestApp(app_mod.load_app(self.backends))

    def configure(self):
        """Options to set before the app is built."""

    # helpers

    def error(self, response, status_code, error_code=None):
        """Check an error answer's shape; returns its message."""
        self.assertEqual(status_code, response.status_int)
        self.assertEqual('application/json', response.content_type)
        body = response.json
        self.assertEqual({'error'}, set(body))
        self.assertEqual({'message', 'error_code', 'error_data'},
                         set(body['error']))
        self.assertIsInstance(body['error']['error_code'], int)
        if error_code is not None:
            self.assertEqual(error_code, body['error']['error_code'])
        self.assertNotIn('Traceback', response.text)
        return body['error']['message']

    def create_fake(self, name='fake', **config):
        config.setdefault('things', 2)
        response = self.app.post_json('/v1/data-sources',
                                      {'name': name, 'driver': 'fake',
                                       'config': config})
        self.assertEqual(201, response.status_int)
        return response.json

    def wait_on_bus(self, name):
        wait_for(lambda: self.node.directory.leader(name))

    def wait_terminal(self, execution_id):
        return wait_for(lambda: self._terminal(execution_id))

    @staticmethod
    def _terminal(execution_id):
        record = executions_db.get(execution_id)
        return record if record['status'] in status.TERMINAL else None
