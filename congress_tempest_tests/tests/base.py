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

"""Base classes of the Congress tempest tests."""

import time

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import exceptions as lib_exc
from tempest import test

CONF = config.CONF

TERMINAL = ('succeeded', 'failed', 'rejected', 'expired', 'dry-run')


def _clients(manager):
    """The Congress service clients of one credential set."""
    factory = manager.congress
    return {
        'policies': factory.PoliciesClient(),
        'rules': factory.PolicyRulesClient(),
        'datasources': factory.DataSourcesClient(),
        'cloud_services': factory.CloudServicesClient(),
        'executions': factory.ExecutionsClient(),
        'drivers': factory.DriversClient(),
        'library': factory.LibraryPoliciesClient(),
        'versions': factory.VersionsClient(),
    }


class _Clients(object):
    def __init__(self, manager):
        for name, client in _clients(manager).items():
            setattr(self, name, client)


class BaseCongressTest(test.BaseTestCase):
    """Admin and member (the primary credentials) clients of Congress."""

    credentials = ['admin', 'primary']

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.congress:
            raise cls.skipException('Congress is not available')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin = _Clients(cls.os_admin)
        cls.member = _Clients(cls.os_primary)

    @property
    def build_timeout(self):
        return (CONF.congress.build_timeout or CONF.compute.build_timeout)

    @property
    def build_interval(self):
        return (CONF.congress.build_interval or CONF.compute.build_interval
                or 1)

    def wait_for(self, what, check, timeout=None, interval=None):
        """Call ``check()`` until it answers something true; return it."""
        timeout = timeout or self.build_timeout
        interval = interval or self.build_interval
        deadline = time.monotonic() + timeout
        last = None
        while True:
            last = check()
            if last:
                return last
            if time.monotonic() > deadline:
                raise lib_exc.TimeoutException(
                    '%s: not within %s s (last: %r)' % (what, timeout, last))
            time.sleep(interval)

    # --------------------------------------------------------- resources

    def create_policy(self, prefix='tempest', client=None, **fields):
        client = client or self.admin.policies
        fields.setdefault('name', data_utils.rand_name(prefix).replace(
            '-', '_'))
        policy = client.create_policy(**fields)
        self.addCleanup(self._delete_quietly,
                        self.admin.policies.delete_policy, policy['id'])
        return policy

    def create_rule(self, policy, rule, **kwargs):
        created = self.admin.rules.create_policy_rule(policy, rule,
                                                      **kwargs)
        self.addCleanup(self._delete_quietly,
                        self.admin.rules.delete_policy_rule, policy,
                        created['id'])
        return created

    def create_fake_datasource(self, prefix='tempest-fake', **config):
        if not CONF.congress_feature_enabled.fake_driver:
            raise self.skipException('the fake driver is not enabled')
        name = data_utils.rand_name(prefix)
        datasource = self.admin.datasources.create_datasource(
            name=name, driver='fake', config=config,
            description='tempest data source')
        self.addCleanup(self._delete_quietly,
                        self.admin.datasources.delete_datasource,
                        datasource['id'])
        return datasource

    @staticmethod
    def _delete_quietly(delete, *args):
        try:
            delete(*args)
        except lib_exc.NotFound:
            pass

    def wait_for_service(self, datasource):
        """Until the data source's service is on the bus (its status says
        initialized)."""
        def initialized():
            try:
                status = self.admin.datasources.show_datasource_status(
                    datasource)
            except lib_exc.NotFound:
                return None
            return status if status.get('initialized') == 'True' else None
        return self.wait_for('data source %s initialized' % datasource,
                             initialized)

    def wait_for_rows(self, policy, table, expected, timeout=30):
        """Until the policy's table has exactly these rows (lists of
        values, compared as strings, any order): the engines load a rule
        change shortly after the API stored it."""
        expected = sorted([str(v) for v in row] for row in expected)

        def current():
            return sorted([str(v) for v in r['data']] for r in
                          self.member.policies.list_policy_rows(
                              policy, table)['results'])

        def rows():
            return current() == expected or None
        try:
            self.wait_for('rows of %s:%s' % (policy, table), rows,
                          timeout=timeout, interval=0.2)
        except lib_exc.TimeoutException:
            self.assertEqual(expected, current())

    def wait_for_execution(self, execution_id, statuses=TERMINAL):
        def ended():
            record = self.admin.executions.show_execution(execution_id)
            return record if record['status'] in statuses else None
        return self.wait_for('execution %s to end' % execution_id, ended)

    def assert_error(self, exc_class, call, *args, **kwargs):
        """``call`` raises ``exc_class`` with a Congress error body;
        answers the error dict."""
        exc = self.assertRaises(exc_class, call, *args, **kwargs)
        body = exc.resp_body
        self.assertIsInstance(body, dict, exc)
        # tempest's client unwraps a body with one key: {"error": {...}}
        error = body.get('error', body)
        self.assertIn('message', error)
        self.assertIn('error_code', error)
        self.assertNotIn('Traceback', error['message'])
        return error
