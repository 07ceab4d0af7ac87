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

"""Configuration and session of the OpenStack driver base class."""

from unittest import mock

from keystoneauth1 import session as ks_session
import testtools

from congress.cloudservices import nova_driver
from congress.cloudservices import openstack_driver
from congress import exception

CREDENTIALS = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
               'password': 's3cret'}


class ConfigTestCase(testtools.TestCase):

    def test_tenant_name_stands_for_a_missing_project_name(self):
        driver = nova_driver.NovaDriver(
            'nova', dict(CREDENTIALS, tenant_name='admin'))
        self.assertEqual('admin', driver.config['project_name'])
        self.assertEqual('admin', driver.session().auth.project_name)

    def test_project_name_wins_over_tenant_name(self):
        driver = nova_driver.NovaDriver(
            'nova', dict(CREDENTIALS, project_name='proj', tenant_name='t'))
        self.assertEqual('proj', driver.session().auth.project_name)

    def test_neither_project_nor_tenant_name_is_refused(self):
        error = self.assertRaises(exception.BadRequest,
                                  nova_driver.NovaDriver.validate_config,
                                  dict(CREDENTIALS))
        self.assertIn('missing required config: project_name', str(error))

    def test_reference_keys_are_accepted(self):
        config = dict(CREDENTIALS, tenant_name='admin', endpoint='x',
                      region='RegionTwo', poll_time='10',
                      lazy_tables='servers,flavors')
        nova_driver.NovaDriver.validate_config(config)
        driver = nova_driver.NovaDriver('nova', config)
        self.assertEqual('RegionTwo', driver.region_name)

    def test_region_name_wins_over_region(self):
        driver = nova_driver.NovaDriver(
            'nova', dict(CREDENTIALS, project_name='p', region='old',
                         region_name='new'))
        self.assertEqual('new', driver.region_name)

    def test_lazy_tables_must_name_root_tables(self):
        for value in ('servers,nosuch', ['addresses'], 7, [1]):
            self.assertRaises(exception.BadRequest,
                              nova_driver.NovaDriver.validate_config,
                              dict(CREDENTIALS, project_name='p',
                                   lazy_tables=value))
        nova_driver.NovaDriver.validate_config(
            dict(CREDENTIALS, project_name='p', lazy_tables=['servers']))

    def test_empty_credentials_are_refused(self):
        for key in ('auth_url', 'username', 'password', 'project_name'):
            config = dict(CREDENTIALS, project_name='p')
            config[key] = ''
            self.assertRaises(exception.BadRequest,
                              nova_driver.NovaDriver.validate_config, config)

    def test_timeout_must_be_positive(self):
        for value in ('0', '-1', 'soon', 'nan'):
            self.assertRaises(exception.BadRequest,
                              nova_driver.NovaDriver.validate_config,
                              dict(CREDENTIALS, project_name='p',
                                   timeout=value))

    def test_one_session_per_data_source(self):
        driver = nova_driver.NovaDriver('nova',
                                        dict(CREDENTIALS, project_name='p'))
        with mock.patch.object(ks_session.Session, 'request') as request:
            self.assertIs(driver.session(), driver.session())
        request.assert_not_called()

    def test_endpoint_filter(self):
        driver = nova_driver.NovaDriver(
            'nova', dict(CREDENTIALS, project_name='p', region_name='R',
                         interface='internal', endpoint_override='http://x'))
        self.assertEqual({'service_type': 'network', 'interface': 'internal',
                          'region_name': 'R',
                          'endpoint_override': 'http://x'},
                         driver.endpoint_filter('network'))

    def test_positive_float(self):
        self.assertEqual(2.5, openstack_driver.positive_float('2.5', None))
        self.assertEqual(7, openstack_driver.positive_float(None, 7))
