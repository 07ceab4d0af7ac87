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

"""Push data sources across OS processes: an API, a policy engine and
datasources workers as separate ``congress-server`` processes over
RabbitMQ and MariaDB; rows are pushed with ``PUT .../tables/events/rows``
to the API, which is not the worker hosting the doctor data source.

``DoctorPausesNovaTestCase`` is the acceptance test: an event pushed to a
doctor data source marks the test bed's compute host down, and a policy
pauses the real Nova server on that host.
"""

import json
import os
import uuid

from oslo_messaging import conffixture as messaging_fixture
import requests

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import migration
from congress.db import services as services_db
from congress.dse import rpc
from congress.execution import status
from congress.tests import base
from congress.tests.functional import bed_deployment
from congress.tests.functional import databases
from congress.tests.functional.fixtures import private_services
from congress.tests.functional.fixtures import testbed as testbed_mod
from congress.tests.functional import processes

CONF = conf.CONF
TESTBED_SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                              'tools', 'openstack-testbed.sh')
ROWS = '/v1/data-sources/doctor/tables/events/rows'


def event(hostname, host_status='down', event_id='1'):
    return {'time': '2026-12-01T12:00:00Z', 'type': 'compute.host.down',
            'details': {'hostname': hostname, 'status': host_status,
                        'monitor': 'functional-test',
                        'monitor_event_id': event_id}}


class _PushDeployment(base.TestCase):
    """Processes sharing one config; data sources are stored first."""

    def deploy(self, datasources):
        db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, db_url)
        port = private_services.free_port()
        self.api_url = 'http://127.0.0.1:%d' % port
        self.conf_path, values = processes.write_config(
            self.state_dir, db_url,
            api={'bind_port': str(port), 'auth_strategy': 'noauth'},
            policy_engine={'rate_limit_per_service': '0'})
        messaging = self.useFixture(messaging_fixture.ConfFixture(CONF))
        messaging.transport_url = processes.RABBIT_URL
        self.addCleanup(rpc.cleanup)
        db_api.configure(db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.bus_id = values['dse']['bus_id']
        for name, driver, config, secret in datasources:
            datasources_db.create(name, driver, config, secret_names=secret)

    def start_server(self, node_id, *roles):
        return self.useFixture(processes.CongressServer(
            self.conf_path, node_id, roles, self.state_dir))

    def call(self, method, path, expected=200, **kwargs):
        response = requests.request(method, self.api_url + path,
                                    timeout=60, **kwargs)
        self.assertEqual(expected, response.status_code, response.text)
        return response

    def wait_api(self):
        def answers():
            try:
                return requests.get(self.api_url + '/', timeout=2).ok
            except requests.ConnectionError:
                return False
        processes.wait_for(answers, timeout=60, message='the API answering')

    def leader(self, service):
        return services_db.leader(self.bus_id, service)

    def wait_leader(self, service, not_=None):
        return processes.wait_for(
            lambda: (lambda n: n if n not in (None, not_) else None)(
                self.leader(service)), timeout=60,
            message='a leader of %s' % service)

    def pushed_hosts(self):
        """The hostnames of the pushed events the API shows, or None while
        no worker of doctor is on the bus."""
        response = requests.get(self.api_url + ROWS, timeout=60)
        if response.status_code in (404, 503):
            return None  # not stored yet; no worker on the bus yet
        self.assertEqual(200, response.status_code, response.text)
        return sorted(row['data'][2] for row in response.json()['results'])

    def policy(self, name, *rules):
        self.call('POST', '/v1/policies', 201, json={'name': name})
        return [self.call('POST', '/v1/policies/%s/rules' % name, 201,
                          json={'rule': rule}).json() for rule in rules]

    def derived(self, policy, table):
        rows = self.call('GET', '/v1/policies/%s/tables/%s/rows' % (
            policy, table)).json()['results']
        return sorted(row['data'] for row in rows)


class PushOverRabbitTestCase(_PushDeployment):
    """Two datasources workers host ``doctor`` (persist_data) and the
    ``fake`` service; the pushes reach the engine, a rule fires, and the
    rows survive the leading worker's death."""

    def setUp(self):
        super().setUp()
        self.record_file = os.path.join(self.state_dir, 'runs.jsonl')
        self.deploy([
            ('doctor', 'doctor', {'persist_data': 'true'}, ()),
            ('fake', 'fake', {'record_file': self.record_file,
                              'poll_time': '0.5'}, ())])
        self.start_server('api', 'api')
        self.start_server('engine', 'policy-engine')
        self.workers = {node_id: self.start_server(node_id, 'datasources')
                        for node_id in ('worker-1', 'worker-2')}
        self.wait_api()
        self.wait_leader('doctor')
        self.wait_leader('fake')

    def created(self):
        """The names ``things.create`` ran with, in the fake service."""
        if not os.path.exists(self.record_file):
            return []
        with open(self.record_file) as record_file:
            return sorted(entry['positional'][0]
                          for entry in map(json.loads, record_file)
                          if entry['action'] == 'things.create')

    def test_pushed_rows_reach_the_engine_fire_and_outlive_the_leader(self):
        rule = self.policy(
            'ops', 'down(h) :- doctor:events(hostname=h, status="down")',
            'execute[fake:things.create(h)] :- '
            'doctor:events(hostname=h, status="down")')[1]
        self.call('PUT', ROWS, json=[event('h1'), event('h2', 'up')])
        processes.wait_for(lambda: self.derived('ops', 'down') == [['h1']],
                           timeout=30, message='down(h1) derived')
        processes.wait_for(lambda: self.created() == ['h1'], timeout=30,
                           message='things.create(h1) ran')
        records = executions_db.list_records(service='fake', policy='ops')
        self.assertEqual([(rule['id'], status.ORIGIN_POLICY)],
                         [(r['rule_id'], r['origin']) for r in records])
        self.assertIn('doctor:events', str(records[0]['why']))
        # a bad body crosses nothing and changes nothing
        response = requests.put(self.api_url + ROWS, json=[{'time': 't'}],
                                timeout=30)
        self.assertEqual(400, response.status_code, response.text)
        self.assertEqual(['h1', 'h2'], self.pushed_hosts())

        # the leading worker dies; the other one reads the rows back from
        # the database and takes the next push
        leader = self.leader('doctor')
        self.workers[leader].kill()
        self.wait_leader('doctor', not_=leader)
        processes.wait_for(lambda: self.pushed_hosts() == ['h1', 'h2'],
                           timeout=60, message='rows restored')
        self.call('PUT', ROWS, json=[event('h3')])
        processes.wait_for(lambda: self.derived('ops', 'down') == [['h3']],
                           timeout=30, message='down(h3) derived')
        processes.wait_for(lambda: self.created() == ['h1', 'h3'],
                           timeout=30, message='things.create(h3) ran')

        # both workers restart: the rows come back once more
        for node_id in list(self.workers):
            self.workers[node_id].terminate()
        self.workers[leader].start()
        self.wait_leader('doctor')
        processes.wait_for(lambda: self.pushed_hosts() == ['h3'],
                           timeout=60, message='rows restored after restart')
        self.assertEqual(['h1', 'h3'], self.created())


class DoctorPausesNovaTestCase(_PushDeployment):
    """The acceptance test on the real Nova of the test bed."""

    def setUp(self):
        super().setUp()
        if not os.path.exists(TESTBED_SCRIPT):
            self.skipTest('tools/openstack-testbed.sh is missing')
        self.testbed = self.useFixture(testbed_mod.OpenStackTestbed())
        self.nova = self.testbed.nova('admin')
        self.deploy([
            ('nova', 'nova', bed_deployment.bed_config(self.testbed),
             ('password',)),
            ('doctor', 'doctor', {}, ())])
        self.start_server('api', 'api')
        self.start_server('engine', 'policy-engine')
        self.start_server('worker', 'datasources')
        self.wait_api()
        self.wait_leader('doctor')
        self.prefix = 'doctor-%s' % uuid.uuid4().hex[:8]

    def boot(self, name):
        return bed_deployment.boot(self, self.nova, self.testbed, name)

    def server(self, server_id):
        return self.nova.servers.get(server_id)

    def test_an_event_marking_the_host_down_pauses_its_servers(self):
        target = self.boot('%s-on-host' % self.prefix)
        bystander = self.boot('other-%s' % self.prefix)
        for server_id in (target, bystander):
            base.wait_for(lambda s=server_id: self.server(s).status ==
                          'ACTIVE', timeout=180, message='server ACTIVE')
        host = getattr(self.server(target),
                       'OS-EXT-SRV-ATTR:hypervisor_hostname')
        self.assertEqual(self.testbed.compute_host, host)
        rule = self.policy(
            'ops',
            'execute[nova:servers.pause(id)] :- '
            'doctor:events(hostname=h, status="down"), '
            'nova:servers(id=id, name=n, host_name=h, status="ACTIVE"), '
            'builtin:startswith(n, "%s")' % self.prefix)[0]
        # the engine sees the server on its host before the event comes
        processes.wait_for(
            lambda: any(row['data'][0] == target for row in self.call(
                'GET', '/v1/data-sources/nova/tables/servers/rows'
            ).json()['results']), timeout=60, message='nova polled')
        # an event about another host, or the host up, pauses nothing
        self.call('PUT', ROWS, json=[event('no-such-host', 'down', '1'),
                                     event(host, 'up', '2')])
        self.assertEqual([], executions_db.list_records(service='nova',
                                                        policy='ops'))
        self.call('PUT', ROWS, json=[event(host, 'down', '3')])
        base.wait_for(lambda: self.server(target).status == 'PAUSED',
                      timeout=120, message='server PAUSED')

        def succeeded():
            records = executions_db.list_records(service='nova',
                                                 policy='ops')
            if records and all(r['status'] == status.SUCCEEDED
                               for r in records):
                return records
        records = base.wait_for(succeeded, timeout=60,
                                message='the pause recorded as succeeded')
        self.assertEqual([(target, 'servers.pause', rule['id'],
                           status.ORIGIN_POLICY)],
                         [(r['args']['positional'][0], r['action'],
                           r['rule_id'], r['origin']) for r in records])
        why = str(records[0]['why'])
        self.assertIn('doctor:events', why)
        self.assertIn(host, why)
        self.assertIn('nova:servers', why)
        self.assertEqual('ACTIVE', self.server(bystander).status)
