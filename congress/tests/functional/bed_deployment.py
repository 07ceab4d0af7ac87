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
        if not os.path.exists(testbed_mod.SCRIPT):
            self.skipTest('tools/openstack-testbed.sh is missing')
        self.testbed = self.useFixture(testbed_mod.OpenStackTestbed())
        self.nova = self.testbed.nova('admin')
        self.db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        sections = {group: dict(values)
                    for group, values in self.CONFIG.items()}
        processes_ = list(self.PROCESSES)
        if self.API:
            port = private_services.free_port()
            self.api_url = 'http://127.0.0.1:%d' % port
            sections.setdefault('api', {}).update(
                bind_port=str(port), auth_strategy='noauth')
            if not any(not roles or 'api' in roles
                       for _node, roles in processes_):
                processes_.append(('api', ['api']))
        self.conf_path, _values = processes.write_config(
            self.state_dir, self.db_url, **sections)
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = processes.RABBIT_URL
        self.addCleanup(rpc.cleanup)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        for name in self.DATASOURCES:
            datasources_db.create(name, name, self.bed_config(),
                                  secret_names=('password',))
        for node_id, roles in processes_:
            self.useFixture(processes.CongressServer(
                self.conf_path, node_id, roles, self.state_dir))
        if self.API:
            base.wait_for(self.api_answers, timeout=60,
                          message='the API answering')

    def bed_config(self):
        return bed_config(self.testbed, self.POLL_TIME)

    def boot(self, name, image_id=None):
        return boot(self, self.nova, self.testbed, name, image_id)

    def api_answers(self):
        try:
            return requests.get(self.api_url + '/', timeout=2).ok
        except requests.ConnectionError:
            return False

    def wait_initialized(self, *names, timeout=120):
        """Wait until the data sources named report initialized."""
        def initialized(name):
            r = requests.get('%s/v1/data-sources/%s/status'
                             % (self.api_url, name), timeout=10)
            return r.ok and r.json().get('initialized') == 'True'

        for name in names:
            base.wait_for(lambda n=name: initialized(n), timeout=timeout,
                          message='%s initialized' % name)


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
