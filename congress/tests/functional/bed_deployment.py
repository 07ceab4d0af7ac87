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

"""A Congress deployment over the real OpenStack test bed, for the tests
that prove a policy changes the cloud.

``congress-server`` processes (by default a policy engine and a
datasources worker; ``API = True`` adds a noauth API on a free port) over
RabbitMQ and a fresh MariaDB database, with one data source per name in
``DATASOURCES`` (name = driver, as devstack names them) reading the bed as
its admin. The test process shares the database and the bus.
"""

import os

from oslo_messaging import conffixture as messaging_fixture
import requests

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import migration
from congress.dse import rpc
from congress.tests import base
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional.fixtures import testbed as testbed_mod
from congress.tests.functional import processes

CONF = conf.CONF
LIBRARY = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'etc', 'congress',
    'library'))


class BedDeploymentTestCase(base.TestCase):
    """See the module docstring. ``PROCESSES`` is ``((node id, [roles]),
    ...)`` (no roles: all of them); ``CONFIG`` (``{group: {option:
    value}}``) adds to every process's configuration; ``POLL_TIME`` is the
    data sources'."""

    DATASOURCES = ('nova',)
    PROCESSES = (('engine', ['policy-engine']), ('worker', ['datasources']))
    API = False
    CONFIG = {}
    POLL_TIME = '2'

    def setUp(self):
        super().setUp()
        self.testbed = testbed_mod.use(self)
        self.nova = self.testbed.nova('admin')
        deploy(self, {name: self.bed_config() for name in self.DATASOURCES},
               self.PROCESSES, self.CONFIG, api=self.API)

    def bed_config(self):
        return bed_config(self.testbed, self.POLL_TIME)

    def boot(self, name, image_id=None):
        return boot(self, self.nova, self.testbed, name, image_id)

    def wait_initialized(self, *names, timeout=120):
        """Wait until the data sources named report initialized."""
        def initialized(name):
            r = requests.get('%s/v1/data-sources/%s/status'
                             % (self.api_url, name), timeout=10)
            return r.ok and r.json().get('initialized') == 'True'

        for name in names:
            base.wait_for(lambda n=name: initialized(n), timeout=timeout,
                          message='%s initialized' % name)


def deploy(test, datasources, processes_, config=None, api=False):
    """Start, for ``test``, ``congress-server`` processes ``processes_``
    (``((node id, [roles]), ...)``, no roles: all of them) over RabbitMQ
    and a fresh MariaDB database (``test.db_url``) holding the data sources
    ``datasources`` (``{name: config}``, name = driver). ``config``
    (``{group: {option: value}}``) adds to every process's configuration;
    ``api`` adds a noauth API on a free port (``test.api_url``, an ``api``
    process unless one of ``processes_`` has the role) and waits until it
    answers. The test process shares the database and the bus."""
    test.db_url = databases.create('mysql', test.state_dir)
    test.addCleanup(databases.drop, test.db_url)
    sections = {group: dict(values)
                for group, values in (config or {}).items()}
    processes_ = list(processes_)
    if api:
        port = private_services.free_port()
        test.api_url = 'http://127.0.0.1:%d' % port
        sections.setdefault('api', {}).update(
            bind_port=str(port), auth_strategy='noauth')
        if not any(not roles or 'api' in roles
                   for _node, roles in processes_):
            processes_.append(('api', ['api']))
    test.conf_path, _values = processes.write_config(
        test.state_dir, test.db_url, **sections)
    messaging = test.useFixture(messaging_fixture.ConfFixture(CONF))
    messaging.transport_url = processes.RABBIT_URL
    test.addCleanup(rpc.cleanup)
    db_api.configure(test.db_url)
    test.addCleanup(db_api.configure)
    migration.upgrade('head')
    for name, ds_config in datasources.items():
        datasources_db.create(name, name, ds_config,
                              secret_names=('password',))
    for node_id, roles in processes_:
        test.useFixture(processes.CongressServer(
            test.conf_path, node_id, roles, test.state_dir))
    if api:
        base.wait_for(lambda: api_answers(test.api_url), timeout=90,
                      message='the API answering')


def api_answers(api_url):
    """Whether the API at ``api_url`` answers its root."""
    try:
        return requests.get(api_url + '/', timeout=2).ok
    except requests.ConnectionError:
        return False


def bed_config(testbed, poll_time='2'):
    """A data source's config reading the bed as its admin."""
    admin = testbed.credentials('admin')
    return {'auth_url': testbed.auth_url,
            'username': admin['username'],
            'password': admin['password'],
            'project_name': admin['project_name'],
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
            'region_name': testbed.region,
            'poll_time': poll_time}


def boot(test, nova, testbed, name, image_id=None):
    """A server booted on the bed without a network (deleted when
    ``test`` ends); its id."""
    server = nova.servers.create(name, image_id or testbed.image_id,
                                 testbed.flavor_id, nics='none')
    test.addCleanup(_delete_quietly, nova, server.id)
    return server.id


def _delete_quietly(nova, server_id):
    try:
        nova.servers.delete(server_id)
    except Exception:
        pass
