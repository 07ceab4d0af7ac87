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

"""Congress changes Nova: every test asserts the change on Nova itself,
through tempest's own compute client, and the audit trail of Congress.

Needs: Congress with a data source of driver ``nova``
(``[congress] nova_datasource``) over the same Nova that
``[service_available] nova`` names, and an image and flavor that boot.
Servers are booted with the base compute API and no network request, so
nothing here needs ``[service_available] neutron``.
"""

import time

from tempest.common import waiters
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base

CONF = config.CONF


class NovaScenarioBase(base.BaseCongressTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.nova:
            raise cls.skipException('Nova is not available')
        if not CONF.congress_feature_enabled.nova_driver:
            raise cls.skipException('Congress has no nova data source')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.servers = cls.os_admin.servers_client

    def setUp(self):
        super().setUp()
        self.nova = CONF.congress.nova_datasource
        self.wait_for_service(self.nova)

    def require_execution(self):
        if not CONF.congress_feature_enabled.execution:
            raise self.skipException('execution is disabled')

    # -------------------------------------------------------------- nova

    def boot(self, name=None, wait=True):
        name = name or data_utils.rand_name('ctt-server')
        server = self.servers.create_server(
            name=name, imageRef=CONF.compute.image_ref,
            flavorRef=CONF.compute.flavor_ref)['server']
        self.addCleanup(waiters.wait_for_server_termination, self.servers,
                        server['id'])
        self.addCleanup(self._delete_quietly, self.servers.delete_server,
                        server['id'])
        if wait:
            waiters.wait_for_server_status(self.servers, server['id'],
                                           'ACTIVE')
        return server['id']

    def status_of(self, server_id):
        return self.servers.show_server(server_id)['server']['status']

    def metadata_of(self, server_id):
        return self.servers.list_server_metadata(server_id)['metadata']

    def wait_for_metadata(self, server_id, key, value):
        def present():
            meta = self.metadata_of(server_id)
            return meta if meta.get(key) == value else None
        return self.wait_for('metadata %s=%s on server %s'
                             % (key, value, server_id), present)

    # ---------------------------------------------------------- congress

    def wait_for_rows(self, server_ids):
        """Until the nova data source has polled these servers."""
        wanted = set(server_ids)

        def polled():
            self.admin.datasources.request_refresh(self.nova)
            rows = self.admin.datasources.list_datasource_rows(
                self.nova, 'servers')['results']
            return wanted <= {r['data'][0] for r in rows}
        self.wait_for('servers %s in %s:servers' % (sorted(wanted),
                                                    self.nova), polled)

    def executions_of(self, policy=None, server_id=None):
        records = self.admin.executions.list_executions(
            service=self.nova)['results']
        if policy is not None:
            records = [r for r in records if r.get('policy') == policy]
        if server_id is not None:
            records = [r for r in records
                       if server_id in (r['args'].get('positional') or [])
                       or server_id in (r['args'].get('named') or {})
                       .values()]
        return records

    def settle(self):
        """Long enough for two more polls of the data source and the
        actions they would fire."""
        time.sleep(2 * CONF.congress.datasource_poll_time + 3)


class NovaExecuteTest(NovaScenarioBase):

    @decorators.attr(type='slow')
    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7001')
    def test_datasource_execute_pauses_the_server(self):
        self.require_execution()
        server_id = self.boot()
        record = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.pause', positional=[server_id])
        self.assertEqual(202, record.response.status)
        self.assertEqual('accepted', record['status'])
        waiters.wait_for_server_status(self.servers, server_id, 'PAUSED')
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.assertEqual('servers.pause', final['action'])
        self.assertEqual(self.nova, final['service'])
        self.assertEqual('api', final['origin'])
        self.assertEqual([server_id], final['args']['positional'])
        self.assertEqual('PAUSED', self.status_of(server_id))

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7002')
    def test_datasource_execute_sets_metadata(self):
        self.require_execution()
        server_id = self.boot()
        self.assertNotIn('congress', self.metadata_of(server_id))
        record = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.set_meta',
            named={'server': server_id, 'metadata': {'congress': 'was-here'}})
        self.wait_for_metadata(server_id, 'congress', 'was-here')
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.assertEqual('ACTIVE', self.status_of(server_id))

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7003')
    def test_policy_execute_sets_metadata(self):
        self.require_execution()
        policy = self.create_policy('ctt_execute')
        server_id = self.boot()
        record = self.admin.policies.execute_policy_action(
            policy['name'], '%s:servers.set_meta' % self.nova,
            named={'server': server_id, 'metadata': {'origin': 'policy'}})
        self.assertEqual(202, record.response.status)
        self.wait_for_metadata(server_id, 'origin', 'policy')
        final = self.wait_for_execution(record['id'])
        self.assertEqual('succeeded', final['status'], final)
        self.assertEqual(policy['name'], final['policy'])
        self.assertEqual('servers.set_meta', final['action'])

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7004')
    def test_policy_execute_wrapper_action(self):
        """The positional wrapper rules use: servers_set_meta(id, k, v)."""
        self.require_execution()
        policy = self.create_policy('ctt_wrapper')
        server_id = self.boot()
        record = self.admin.policies.execute_policy_action(
            policy['name'], '%s:servers_set_meta' % self.nova,
            positional=[server_id, 'k1', 'v1', 'k2', 'v2'])
        self.wait_for_metadata(server_id, 'k2', 'v2')
        self.assertEqual('v1', self.metadata_of(server_id)['k1'])
        self.assertEqual('succeeded',
                         self.wait_for_execution(record['id'])['status'])

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7005')
    def test_policy_execute_errors(self):
        policy = self.create_policy('ctt_errors')
        client = self.admin.policies
        error = self.assert_error(lib_exc.BadRequest,
                                  client.execute_policy_action,
                                  policy['name'], 'servers.pause',
                                  positional=['x'])
        self.assertEqual(1017, error['error_code'])
        self.assert_error(lib_exc.NotFound, client.execute_policy_action,
                          'no_such_policy', '%s:servers.pause' % self.nova,
                          positional=['x'])
        self.assert_error(lib_exc.BadRequest, client.execute_policy_action,
                          policy['name'], '%s:servers.no_such' % self.nova,
                          positional=['x'])

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7006')
    def test_failed_action_is_recorded_with_its_error(self):
        self.require_execution()
        missing = '00000000-0000-0000-0000-000000000000'
        record = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.pause', positional=[missing])
        final = self.wait_for_execution(record['id'])
        self.assertEqual('failed', final['status'], final)
        self.assertTrue(final['error'])
        self.assertIsNotNone(final.get('finished_at'))

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7007')
    def test_audit_trail_shows_each_execution_with_its_outcome(self):
        self.require_execution()
        server_id = self.boot()
        ok = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.set_meta',
            named={'server': server_id, 'metadata': {'audit': '1'}})
        # pausing twice: the second fails in Nova (409)
        first = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.pause', positional=[server_id])
        self.assertEqual('succeeded',
                         self.wait_for_execution(first['id'])['status'])
        second = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.pause', positional=[server_id])
        self.assertEqual('failed',
                         self.wait_for_execution(second['id'])['status'])
        self.assertEqual('succeeded',
                         self.wait_for_execution(ok['id'])['status'])
        trail = {r['id']: r for r in self.executions_of(server_id=server_id)}
        self.assertEqual({ok['id'], first['id'], second['id']}, set(trail))
        self.assertEqual('succeeded', trail[ok['id']]['status'])
        self.assertEqual('succeeded', trail[first['id']]['status'])
        self.assertEqual('failed', trail[second['id']]['status'])
        self.assertTrue(trail[second['id']]['error'])
        for record in trail.values():
            self.assertEqual('api', record['origin'])
            self.assertTrue(record['user_id'])
            self.assertTrue(record['request_id'])
        self.assertEqual('PAUSED', self.status_of(server_id))
        self.assertEqual('1', self.metadata_of(server_id)['audit'])
        self.assertEqual(
            [], [r for r in self.admin.executions.list_executions(
                service=self.nova, status='failed')['results']
                if r['id'] in (ok['id'], first['id'])])

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7008')
    def test_member_is_refused(self):
        server_id = self.boot()
        policy = self.create_policy('ctt_member')
        before = len(self.executions_of(server_id=server_id))
        error = self.assert_error(
            lib_exc.Forbidden,
            self.member.datasources.execute_datasource_action,
            self.nova, 'servers.pause', positional=[server_id])
        self.assertIn('execute', error['message'])
        self.assert_error(
            lib_exc.Forbidden, self.member.policies.execute_policy_action,
            policy['name'], '%s:servers.set_meta' % self.nova,
            named={'server': server_id, 'metadata': {'member': 'x'}})
        self.assert_error(
            lib_exc.Forbidden, self.member.policies.execute_policy_action,
            policy['name'], '%s:servers.pause' % self.nova,
            positional=[server_id], dry_run=True)
        time.sleep(3)
        self.assertEqual('ACTIVE', self.status_of(server_id))
        self.assertNotIn('member', self.metadata_of(server_id))
        self.assertEqual(before, len(self.executions_of(server_id=server_id)))

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7009')
    def test_dry_run_records_and_changes_nothing(self):
        if not CONF.congress_feature_enabled.dry_run:
            raise self.skipException('dry run is not supported')
        server_id = self.boot()
        policy = self.create_policy('ctt_dry')
        by_ds = self.admin.datasources.execute_datasource_action(
            self.nova, 'servers.pause', positional=[server_id],
            dry_run=True)
        by_policy = self.admin.policies.execute_policy_action(
            policy['name'], '%s:servers.set_meta' % self.nova,
            named={'server': server_id, 'metadata': {'dry': 'run'}},
            dry_run=True)
        for record in (by_ds, by_policy):
            self.assertEqual(202, record.response.status)
            self.assertEqual('dry-run', record['status'])
        time.sleep(5)
        self.assertEqual('ACTIVE', self.status_of(server_id))
        self.assertNotIn('dry', self.metadata_of(server_id))
        for record in (by_ds, by_policy):
            shown = self.admin.executions.show_execution(record['id'])
            self.assertEqual('dry-run', shown['status'])
            self.assertIsNone(shown.get('result'))


class ReactiveEnforcementTest(NovaScenarioBase):

    @decorators.attr(type='slow')
    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7101')
    def test_rule_pauses_exactly_its_servers_once_each(self):
        self.require_execution()
        prefix = data_utils.rand_name('ctt-reactive')
        names = ['%s-%d' % (prefix, i) for i in (1, 2, 3)]
        bystander_name = prefix + '-bystander'
        targets = [self.boot(names[0]), self.boot(names[1])]
        bystander = self.boot(bystander_name)
        self.wait_for_rows(targets + [bystander])

        policy = self.create_policy('ctt_reactive')
        pname = policy['name']
        for name in names:
            self.create_rule(pname, 'target("%s")' % name)
        # Positional columns in the reference order (id, name, ...), fewer
        # than the table has: the rest are anonymous.
        rule = self.create_rule(
            pname, 'execute[%s:servers.pause(x)] :- %s:servers(x, n), '
                   'target(n)' % (self.nova, self.nova))

        for server_id in targets:
            waiters.wait_for_server_status(self.servers, server_id,
                                           'PAUSED')

        def both_recorded():
            records = self.executions_of(policy=pname)
            done = [r for r in records if r['status'] in base.TERMINAL]
            return records if len(done) >= len(targets) else None
        self.wait_for('two rule-fired executions', both_recorded)
        # More polls come and go: nothing fires again.
        self.settle()
        records = self.executions_of(policy=pname)
        self.assertEqual(sorted(targets),
                         sorted(r['args']['positional'][0]
                                for r in records), records)
        for record in records:
            self.assertEqual('succeeded', record['status'], record)
            self.assertEqual('servers.pause', record['action'])
            self.assertEqual('policy', record['origin'])
            self.assertEqual(rule['id'], record.get('rule_id'))
        self.assertEqual('ACTIVE', self.status_of(bystander))
        self.assertEqual([], self.executions_of(server_id=bystander))

        # Without the rule, a new matching server is left alone.
        self.admin.rules.delete_policy_rule(pname, rule['id'])
        late = self.boot(names[2])
        self.wait_for_rows([late])
        self.settle()
        self.assertEqual('ACTIVE', self.status_of(late))
        self.assertEqual([], self.executions_of(server_id=late))
        self.assertEqual(len(targets), len(self.executions_of(policy=pname)))

    @decorators.idempotent_id('7a617316-d364-41d4-a0a7-c29f638a7102')
    def test_rule_over_existing_rows_sets_metadata(self):
        """The wrapper action with positional columns, fired as soon as
        the rule is inserted over rows already there."""
        self.require_execution()
        server_id = self.boot()
        self.wait_for_rows([server_id])
        policy = self.create_policy('ctt_meta')
        self.create_rule(
            policy['name'],
            'execute[%s:servers_set_meta(x, "enforced", "yes")] :- '
            '%s:servers(id=x), equal(x, "%s")'
            % (self.nova, self.nova, server_id))
        self.wait_for_metadata(server_id, 'enforced', 'yes')
        records = self.executions_of(policy=policy['name'])
        self.assertEqual(1, len(records), records)
        self.assertEqual([server_id, 'enforced', 'yes'],
                         records[0]['args']['positional'])
