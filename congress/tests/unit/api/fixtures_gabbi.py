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

"""The deployment the gabbi files (``gabbits/``) talk to: the noauth API
pipeline on the in-process bus, a SQLite database, a node that hosts the
data sources and the policy engine, all made fresh for each YAML file.

``$ENVIRON['CONGRESS_GABBI_IN_A_DAY']`` is a time a day after the fixture
started (ISO 8601, UTC): an expiry the files can use.
"""

import datetime
import os
import shutil
import tempfile

from gabbi import fixture
from oslo_config import fixture as config_fixture
from oslo_messaging import conffixture as messaging_fixture

from congress.api import app as app_mod
from congress.api import policy_enforcer
from congress import conf
from congress.db import api as db_api
from congress.db import migration
from congress.dse import datasource_manager
from congress.dse import node as node_mod
from congress.dse import rpc
from congress.policy import engine_service
from congress.tests import base

CONF = conf.CONF

#: The app of the running fixture, for the intercept of test_gabbi.
_app = None


def app():
    """The WSGI app for the intercept, which is installed before the
    fixture starts: it hands each request to the app of the running
    fixture."""
    def serve(environ, start_response):
        return _app(environ, start_response)
    return serve


class APIFixture(fixture.GabbiFixture):
    """Everything ``congress-server`` with all roles would run, in this
    process, with no authentication."""

    def start_fixture(self):
        global _app
        os.environ['CONGRESS_GABBI_IN_A_DAY'] = (
            datetime.datetime.now(datetime.timezone.utc) +
            datetime.timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%SZ')
        self.state_dir = tempfile.mkdtemp(prefix='congress-gabbi-')
        self.conf = config_fixture.Config(CONF)
        self.conf.setUp()
        CONF([], project='congress', default_config_files=[])
        self.messaging = messaging_fixture.ConfFixture(CONF)
        self.messaging.setUp()
        self.messaging.transport_url = 'fake:/'
        options = {
            None: {'state_path': self.state_dir},
            'api': {'auth_strategy': 'noauth'},
            'datasources': {'manager_sync_interval': 3600,
                            'encryption_key_file':
                                os.path.join(self.state_dir, 'key'),
                            'enabled_drivers': base.TEST_DRIVERS},
            'policy_engine': {'policy_library_path':
                              os.path.join(self.state_dir, 'library')},
            'dse': {'heartbeat_interval': 0.2,
                    'service_down_time': base.BusTestCase.SERVICE_DOWN_TIME,
                    'directory_cache_time': 0.0},
        }
        for group, values in options.items():
            self.conf.config(group=group, **values)
        db_api.configure('sqlite:///' + os.path.join(self.state_dir,
                                                     'congress.sqlite'))
        migration.upgrade('head')
        rpc.cleanup()
        rpc.init()
        policy_enforcer.reset()
        self.node = node_mod.DseNode('gabbi-node')
        self.node.start()
        manager = datasource_manager.DataSourceManager(self.node)
        backends = app_mod.Backends(self.node, manager=manager)
        self.node.add_service(engine_service.PolicyEngineService(
            self.node, backends.runtime))
        _app = app_mod.load_app(backends)

    def stop_fixture(self):
        global _app
        _app = None
        self.node.stop()
        rpc.cleanup()
        policy_enforcer.reset()
        db_api.configure()
        self.messaging.cleanUp()
        self.conf.cleanUp()
        shutil.rmtree(self.state_dir, ignore_errors=True)
