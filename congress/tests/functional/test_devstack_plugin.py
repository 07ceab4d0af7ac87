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

"""The devstack plugin (devstack/), run phase by phase under the harness in
tools/devstack-harness/, which stands in for devstack's functions: the
files it writes (congress.conf, api-paste.ini, the uwsgi config,
tempest.conf) and the calls it makes (processes, keystone, database, API)
are checked here. Devstack itself cannot run on this machine.
"""

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys

import fixtures
from oslo_config import cfg
import sqlalchemy as sa
import testtools
import yaml

from congress import conf as congress_conf
from congress.conf import datasources as datasources_conf

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    '..', '..', '..'))
HARNESS = os.path.join(REPO, 'tools', 'devstack-harness', 'run-phases.sh')
STACK = ['stack:pre-install', 'stack:install', 'stack:post-config',
         'stack:extra', 'stack:test-config']
SHELL_FILES = ['devstack/plugin.sh', 'devstack/lib/congress',
               'devstack/settings', 'tools/run-tempest.sh',
               'tools/devstack-harness/run-phases.sh',
               'tools/devstack-harness/functions']


def read_ini(path):
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str
    with open(path) as f:
        parser.read_file(f)
    return parser


class DevstackPluginTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.work = self.useFixture(fixtures.TempDir()).path
        self.conf_dir = os.path.join(self.work, 'etc', 'congress')
        self.conf_file = os.path.join(self.conf_dir, 'congress.conf')
        self.tempest_conf = os.path.join(self.work, 'opt', 'stack',
                                         'tempest', 'etc', 'tempest.conf')

    def run_phases(self, phases, check=True, **env):
        environ = {k: v for k, v in os.environ.items()
                   if not k.startswith(('CONGRESS_', 'HARNESS_'))
                   and k not in ('ENABLED_SERVICES', 'DEST', 'TEMPEST_CONFIG')}
        environ.update(env)
        proc = subprocess.run(['bash', HARNESS, self.work] + list(phases),
                              env=environ, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120)
        self.output = proc.stdout.decode('utf-8', 'replace')
        if check:
            self.assertEqual(0, proc.returncode, self.output)
        return proc.returncode

    def calls(self, name=None):
        with open(os.path.join(self.work, 'calls.log')) as f:
            lines = [shlex.split(line) for line in f if line.strip()]
        if name is None:
            return lines
        return [line[1:] for line in lines if line[0] == name]

    def phase_of(self):
        """{call index: phase} so that calls can be placed in phases."""
        current, where = None, {}
        for i, line in enumerate(self.calls()):
            if line[0] == 'phase':
                current = line[1]
            where[i] = current
        return where

    def posted(self, name=None):
        """The data source bodies POSTed (of data source ``name``)."""
        bodies = [json.loads(args[args.index('-d') + 1])
                  for args in self.calls('curl')]
        return [b for b in bodies if name is None or b['name'] == name]

    def calls_in(self, phase):
        where = self.phase_of()
        return [line for i, line in enumerate(self.calls())
                if where[i] == phase and line[0] != 'phase']

    # ------------------------------------------------------------- stack

    def test_congress_conf(self):
        self.run_phases(STACK)
        conf = read_ini(self.conf_file)
        self.assertEqual('keystone', conf.get('api', 'auth_strategy'))
        self.assertEqual('1789', conf.get('api', 'bind_port'))
        self.assertEqual(os.path.join(self.conf_dir, 'api-paste.ini'),
                         conf.get('api', 'api_paste_config'))
        # devstack's URL, with the character set MySQL needs for 4-byte
        # UTF-8 (utf8 is utf8mb3 there)
        self.assertEqual(
            'mysql+pymysql://root:harness-db-secret@127.0.0.1/congress'
            '?charset=utf8mb4&plugin=dbcounter',
            conf.get('database', 'connection'))
        self.assertEqual('False', conf.get('database', 'auto_upgrade'))
        # iniset_rpc_backend: devstack's broker
        self.assertEqual(
            'rabbit://stackrabbit:harness-rabbit-secret@127.0.0.1:5672/',
            conf.get('DEFAULT', 'transport_url'))
        self.assertEqual([['congress', self.conf_file]],
                         self.calls('iniset_rpc_backend'))
        # configure_keystone_authtoken_middleware: the congress user
        self.assertEqual([[self.conf_file, 'congress']],
                         self.calls('configure_keystone_authtoken_middleware'))
        self.assertEqual('congress', conf.get('keystone_authtoken',
                                              'username'))
        self.assertEqual('password', conf.get('keystone_authtoken',
                                              'auth_type'))
        self.assertEqual('congress', conf.get('dse', 'bus_id'))
        self.assertEqual('True', conf.get('execution', 'enabled'))
        state = os.path.join(self.work, 'opt', 'stack', 'data', 'congress')
        self.assertEqual(state, conf.get('DEFAULT', 'state_path'))
        self.assertEqual(os.path.join(state, 'secret.key'),
                         conf.get('datasources', 'encryption_key_file'))
        self.assertTrue(os.path.isdir(state))
        self.assertTrue(os.path.isdir(os.path.join(self.conf_dir,
                                                   'library')))

    def test_database_url_without_devstack_s_extras_and_on_postgresql(self):
        self.run_phases(STACK, MYSQL_GATHER_PERFORMANCE='False')
        self.assertEqual(
            'mysql+pymysql://root:harness-db-secret@127.0.0.1/congress'
            '?charset=utf8mb4',
            read_ini(self.conf_file).get('database', 'connection'))
        self.run_phases(STACK, DATABASE_TYPE='postgresql')
        self.assertEqual(
            'postgresql://root:harness-db-secret@127.0.0.1/congress'
            '?client_encoding=utf8',
            read_ini(self.conf_file).get('database', 'connection'))

    def test_execution_allow_star_is_not_globbed(self):
        # devstack's iniset leaves the value to the shell, which runs in
        # devstack's checkout: "*" would become its file names
        self.run_phases(STACK)
        with open(self.conf_file) as f:
            lines = [line.strip() for line in f]
        self.assertIn('allow = *', lines)
        self.assertEqual('*', read_ini(self.conf_file).get('execution',
                                                           'allow'))
        self.run_phases(STACK, CONGRESS_EXECUTION_ALLOW='nova:* neutron:*',
                        CONGRESS_EXECUTION_DENY='nova:delete*')
        conf = read_ini(self.conf_file)
        self.assertEqual('nova:* neutron:*', conf.get('execution', 'allow'))
        self.assertEqual('nova:delete*', conf.get('execution', 'deny'))

    def test_logging_is_devstack_s(self):
        self.run_phases(STACK)
        self.assertEqual([[self.conf_file]], self.calls('setup_logging'))
        conf = read_ini(self.conf_file)
        self.assertIn('%(request_id)s',
                      conf.get('DEFAULT', 'logging_context_format_string'))
        self.assertEqual('True', conf.get('DEFAULT', 'debug'))

    def test_congress_conf_loads_with_the_real_options(self):
        self.run_phases(STACK)
        conf = cfg.ConfigOpts()
        congress_conf.register_opts(conf)
        conf(args=[], default_config_files=[self.conf_file])
        self.assertEqual('keystone', conf.api.auth_strategy)
        self.assertEqual(1789, conf.api.bind_port)
        self.assertEqual('congress', conf.dse.bus_id)
        self.assertTrue(conf.execution.enabled)
        self.assertEqual(['*'], conf.execution.allow)
        self.assertEqual([], conf.execution.deny)
        self.assertEqual(10.0, conf.datasources.default_poll_time)
        self.assertEqual(os.path.join(self.conf_dir, 'library'),
                         conf.policy_engine.policy_library_path)
        self.assertFalse(conf.database.auto_upgrade)

    def test_api_paste_is_the_repository_pipeline(self):
        self.run_phases(STACK)
        with open(os.path.join(REPO, 'etc', 'congress',
                               'api-paste.ini')) as f:
            expected = f.read()
        with open(os.path.join(self.conf_dir, 'api-paste.ini')) as f:
            self.assertEqual(expected, f.read())
        paste = read_ini(os.path.join(self.conf_dir, 'api-paste.ini'))
        self.assertIn('authtoken', paste.get('composite:congress-api',
                                             'keystone').split())

    def test_uwsgi_serves_the_wsgi_entry_point_on_the_service_port(self):
        self.run_phases(STACK)
        uwsgi_ini = os.path.join(self.conf_dir, 'congress-api-uwsgi.ini')
        ini = read_ini(uwsgi_ini)
        self.assertEqual('congress.api.wsgi:application',
                         ini.get('uwsgi', 'module'))
        self.assertEqual('0.0.0.0:1789', ini.get('uwsgi', 'http'))
        self.assertEqual('OS_CONGRESS_CONFIG_FILES=%s' % self.conf_file,
                         ini.get('uwsgi', 'env'))
        self.assertEqual('2', ini.get('uwsgi', 'processes'))
        self.assertEqual(
            [[uwsgi_ini, 'congress.api.wsgi:application', '',
              '0.0.0.0:1789', 'congress-api']],
            self.calls('write_uwsgi_config'))

    def test_install_phase(self):
        self.run_phases(STACK)
        self.assertEqual(
            [['git_clone', 'https://opendev.org/openstack/congress.git',
              REPO, 'master'],
             ['setup_develop', REPO], ['install_apache_uwsgi']],
            self.calls_in('stack:install'))
        self.assertEqual([], self.calls_in('stack:pre-install'))

    def test_repo_and_branch_are_honoured(self):
        self.run_phases(STACK, CONGRESS_REPO='https://example.org/c.git',
                        CONGRESS_BRANCH='stable/2026.2')
        self.assertEqual(
            [['https://example.org/c.git', REPO, 'stable/2026.2']],
            self.calls('git_clone'))

    def test_keystone_user_service_and_endpoint(self):
        self.run_phases(STACK)
        self.assertEqual([['congress', 'admin']],
                         self.calls('create_service_user'))
        self.assertEqual([['congress', 'policy',
                           'Policy as a service (Congress)']],
                         self.calls('get_or_create_service'))
        # the root URL without /v1, on port 1789
        self.assertEqual([['harness-service-id-policy', 'RegionOne',
                           'http://127.0.0.1:1789']],
                         self.calls('get_or_create_endpoint'))

    def test_database_is_recreated_then_synced(self):
        self.run_phases(STACK)
        names = [c[0] for c in self.calls_in('stack:post-config')]
        self.assertLess(names.index('recreate_database'),
                        names.index('exec'))
        self.assertEqual([['congress']], self.calls('recreate_database'))
        sync = self.calls('exec')
        # the schema, then the policy library
        self.assertEqual(
            [['--config-file', self.conf_file, 'upgrade', 'head'],
             ['--config-file', self.conf_file, 'load-library']],
            [call[1:] for call in sync])
        self.assertTrue(all(call[0].endswith('/congress-db-manage')
                            for call in sync))

    def test_database_initialised_only_where_the_database_runs(self):
        # a host running data source drivers only, or API/engine on a host
        # without the database, must leave the controller's database alone
        for roles, services in (
                ('congress-datasources', 'key,mysql,rabbit,n-cpu'),
                ('congress-datasources', 'n-cpu,q-agt'),
                ('congress-api,congress-engine', 'n-cpu,q-agt')):
            self.run_phases(STACK, CONGRESS_SERVICES=roles,
                            ENABLED_SERVICES=services)
            self.assertEqual([], self.calls('recreate_database'), roles)
            self.assertEqual([], self.calls('exec'), roles)
            self.assertTrue(os.path.exists(self.conf_file))
        for roles, services in (('congress-engine', 'mysql,rabbit'),
                                ('congress-api', 'postgresql,rabbit')):
            self.run_phases(STACK, CONGRESS_SERVICES=roles,
                            ENABLED_SERVICES=services)
            self.assertEqual([['congress']], self.calls('recreate_database'))
            self.assertEqual(2, len(self.calls('exec')), roles)

    def test_real_db_sync_on_the_written_config(self):
        bin_dir = os.path.dirname(sys.executable)
        if not os.path.exists(os.path.join(bin_dir, 'congress-db-manage')):
            self.skipTest('congress-db-manage is not installed next to %s'
                          % sys.executable)
        db = os.path.join(self.work, 'congress.sqlite')
        self.run_phases(STACK, CONGRESS_BIN_DIR=bin_dir,
                        HARNESS_DATABASE_URL='sqlite:///' + db)
        engine = sa.create_engine('sqlite:///' + db)
        try:
            tables = set(sa.inspect(engine).get_table_names())
        finally:
            engine.dispose()
        self.assertIn('alembic_version', tables)
        self.assertTrue(len(tables) > 3, tables)
        # the library devstack installed, loaded
        engine = sa.create_engine('sqlite:///' + db)
        try:
            with engine.connect() as connection:
                names = {row[0] for row in connection.execute(
                    sa.text('SELECT name FROM library_policies'))}
        finally:
            engine.dispose()
        self.assertEqual(self.installed_library(), names)

    def installed_library(self):
        """The policy names of the files devstack installed."""
        library = os.path.join(self.conf_dir, 'library')
        names = set()
        for name in os.listdir(library):
            with open(os.path.join(library, name)) as handle:
                names.add(yaml.safe_load(handle)['name'])
        return names

    def test_the_library_is_installed_without_the_demo_cloud_s(self):
        self.run_phases(STACK)
        shipped = sorted(
            name for name in os.listdir(os.path.join(
                REPO, 'etc', 'congress', 'library'))
            if name.endswith('.yaml') and not name.startswith('demo_'))
        library = os.path.join(self.conf_dir, 'library')
        self.assertEqual(shipped, sorted(os.listdir(library)))
        self.assertIn('nova_pause_disallowed_flavors',
                      self.installed_library())
        self.assertEqual(os.path.join(self.conf_dir, 'library'), read_ini(
            self.conf_file).get('policy_engine', 'policy_library_path'))

    def test_a_bad_library_file_stops_the_stack(self):
        bin_dir = os.path.dirname(sys.executable)
        if not os.path.exists(os.path.join(bin_dir, 'congress-db-manage')):
            self.skipTest('congress-db-manage is not installed next to %s'
                          % sys.executable)
        db = os.path.join(self.work, 'congress.sqlite')
        env = dict(CONGRESS_BIN_DIR=bin_dir,
                   HARNESS_DATABASE_URL='sqlite:///' + db)
        self.run_phases(STACK[:2], **env)
        library = os.path.join(self.conf_dir, 'library')
        os.makedirs(library, exist_ok=True)
        with open(os.path.join(library, 'broken.yaml'), 'w') as handle:
            handle.write('name: [')
        # post-config installs the library again, next to the bad file
        self.assertNotEqual(0, self.run_phases(STACK[2:3], check=False,
                                               **env))
        self.assertIn('broken.yaml', self.output)
        self.assertIn('library policy file could not be loaded',
                      self.output)

    def test_three_roles_run_as_separate_services(self):
        self.run_phases(STACK)
        processes = dict((c[0], c[1]) for c in self.calls('run_process'))
        self.assertEqual({'congress-api', 'congress-engine',
                          'congress-datasources'}, set(processes))
        engine = processes['congress-engine'].split()
        self.assertIn('--policy-engine', engine)
        self.assertNotIn('--api', engine)
        self.assertEqual(['--config-file', self.conf_file],
                         engine[1:3])
        datasources = processes['congress-datasources'].split()
        self.assertIn('--datasources', datasources)
        node_ids = [args[args.index('--node-id') + 1]
                    for args in (engine, datasources)]
        self.assertEqual(2, len(set(node_ids)), node_ids)
        api = processes['congress-api'].split()
        self.assertTrue(api[0].endswith('uwsgi'))
        self.assertEqual(['--ini', os.path.join(
            self.conf_dir, 'congress-api-uwsgi.ini')], api[-2:])
        self.assertEqual([['60', 'http://127.0.0.1:1789/']],
                         self.calls('wait_for_service'))
        for call in self.calls('run_process'):
            self.assertEqual('stack:extra', self.phase_of()[
                self.calls().index(['run_process'] + call)])

    def test_api_without_uwsgi(self):
        self.run_phases(STACK, CONGRESS_USE_UWSGI='False')
        processes = dict((c[0], c[1]) for c in self.calls('run_process'))
        api = processes['congress-api'].split()
        self.assertTrue(api[0].endswith('congress-server'))
        self.assertIn('--api', api)
        self.assertEqual([], self.calls('write_uwsgi_config'))
        self.assertEqual([], self.calls('install_apache_uwsgi'))
        self.assertFalse(os.path.exists(os.path.join(
            self.conf_dir, 'congress-api-uwsgi.ini')))

    def test_roles_are_chosen_with_congress_services(self):
        self.run_phases(STACK,
                        CONGRESS_SERVICES='congress-engine,'
                                          'congress-datasources')
        self.assertEqual({'congress-engine', 'congress-datasources'},
                         {c[0] for c in self.calls('run_process')})
        self.assertEqual([], self.calls('wait_for_service'))
        self.assertEqual([], self.calls('curl'))

    def test_nova_data_source_created_through_the_api(self):
        self.run_phases(STACK)
        curl = self.calls('curl')
        self.assertEqual(1, len(self.posted('nova')))
        # keystone (key) and glance (g-api) too: name = driver
        keystone, = self.posted('keystonev3')
        glance, = self.posted('glancev2')
        self.assertEqual(self.posted('nova')[0]['config'],
                         keystone['config'])
        self.assertEqual(keystone['config'], glance['config'])
        args = curl[0]
        self.assertEqual('http://127.0.0.1:1789/v1/data-sources', args[-1])
        self.assertEqual('POST', args[args.index('-X') + 1])
        self.assertIn('X-Auth-Token: harness-token', args)
        body = json.loads(args[args.index('-d') + 1])
        self.assertEqual('nova', body['name'])
        self.assertEqual('nova', body['driver'])
        self.assertEqual({
            'auth_url': 'http://127.0.0.1/identity/v3',
            'username': 'congress',
            'password': 'harness-service-secret',
            'project_name': 'service',
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
            'region_name': 'RegionOne',
            'poll_time': '10'}, body['config'])

    def test_cinder_data_source_when_cinder_is_enabled(self):
        self.run_phases(STACK, ENABLED_SERVICES='key,mysql,rabbit,n-api,'
                                                'c-api,c-sch,c-vol,tempest')
        nova, = self.posted('nova')
        cinder, = self.posted('cinder')
        self.assertEqual('cinder', cinder['driver'])
        self.assertEqual(nova['config'], cinder['config'])
        tempest = read_ini(self.tempest_conf)
        self.assertEqual('cinder', tempest.get('congress',
                                               'cinder_datasource'))

    def test_neutron_data_sources(self):
        # the harness's default services have Neutron (q-svc), no QoS
        self.run_phases(STACK)
        nova, = self.posted('nova')
        neutron, = self.posted('neutronv2')
        self.assertEqual('neutronv2', neutron['driver'])
        self.assertEqual(nova['config'], neutron['config'])
        self.assertEqual([], self.posted('neutronv2_qos'))
        for qos in ('q-qos', 'neutron-qos'):
            self.run_phases(STACK, ENABLED_SERVICES='key,mysql,rabbit,'
                            'neutron-api,tempest,' + qos)
            self.assertEqual([], self.posted('nova'))
            self.assertEqual(1, len(self.posted('neutronv2')))
            qos_body, = self.posted('neutronv2_qos')
            self.assertEqual('neutronv2_qos', qos_body['driver'])
            self.assertEqual(neutron['config'], qos_body['config'])

    def test_data_source_password_is_json_escaped(self):
        self.run_phases(STACK, SERVICE_PASSWORD='pa"ss\\word')
        args = self.calls('curl')[0]
        body = json.loads(args[args.index('-d') + 1])
        self.assertEqual('pa"ss\\word', body['config']['password'])

    def test_existing_data_source_is_fine_a_failure_stops_the_stack(self):
        self.run_phases(STACK, HARNESS_CURL_CODE='409')
        self.assertIn('exists already', self.output)
        self.assertEqual(1, len(self.posted('nova')))
        rc = self.run_phases(STACK, check=False, HARNESS_CURL_CODE='400')
        self.assertNotEqual(0, rc)
        self.assertIn('HTTP 400', self.output)
        self.assertEqual(1, len(self.calls('curl')))

    def test_data_source_request_retries_5xx_and_no_connection(self):
        self.run_phases(STACK, HARNESS_CURL_CODE='503 000 502 201')
        self.assertEqual(4, len(self.posted('nova')))
        self.assertIn('nova (nova) created', self.output)
        self.assertIn('keystonev3 (keystonev3) created', self.output)
        self.assertIn('glancev2 (glancev2) created', self.output)
        rc = self.run_phases(STACK, check=False, HARNESS_CURL_CODE='500')
        self.assertNotEqual(0, rc)
        self.assertIn('HTTP 500', self.output)
        self.assertEqual(5, len(self.calls('curl')))

    def test_data_source_request_bypasses_proxies(self):
        self.run_phases(STACK, http_proxy='http://proxy.invalid:3128')
        args = self.calls('curl')[0]
        self.assertEqual('*', args[args.index('--noproxy') + 1])

    def test_tempest_installs_the_congress_plugin_only(self):
        # lib/tempest has set TEMPEST_PLUGINS=0 ("none") before the
        # plugin's settings are read
        self.run_phases(STACK)
        self.assertEqual([[REPO]], self.calls('tempest_venv_pip_install'))
        other = self.useFixture(fixtures.TempDir()).path
        self.run_phases(STACK, TEMPEST_PLUGINS=other)
        self.assertEqual([[other], [REPO]],
                         self.calls('tempest_venv_pip_install'))
        self.run_phases(STACK, TEMPEST_PLUGINS=REPO)
        self.assertEqual([[REPO]], self.calls('tempest_venv_pip_install'))

    def test_no_nova_no_data_source(self):
        self.run_phases(STACK, ENABLED_SERVICES='key,mysql,rabbit,tempest')
        # keystone only: its data source alone
        curl = self.calls('curl')
        self.assertEqual(['keystonev3'],
                         [json.loads(a[a.index('-d') + 1])['name']
                          for a in curl])
        tempest = read_ini(self.tempest_conf)
        self.assertEqual('False', tempest.get('congress-feature-enabled',
                                              'nova_driver'))
        self.assertEqual('True', tempest.get('congress-feature-enabled',
                                             'keystone_driver'))
        self.assertEqual('False', tempest.get('congress-feature-enabled',
                                              'glance_driver'))

    def test_tempest_conf(self):
        self.run_phases(STACK)
        tempest = read_ini(self.tempest_conf)
        self.assertEqual('True', tempest.get('service_available',
                                             'congress'))
        self.assertEqual('policy', tempest.get('congress', 'catalog_type'))
        self.assertEqual('nova', tempest.get('congress', 'nova_datasource'))
        self.assertEqual('True', tempest.get('congress-feature-enabled',
                                             'execution'))
        self.assertEqual('True', tempest.get('congress-feature-enabled',
                                             'nova_driver'))
        # the plugin only writes tempest.conf; devstack installs the
        # tempest plugin
        self.assertEqual([['tempest_venv_pip_install', REPO]],
                         self.calls_in('stack:test-config'))

    def test_tempest_conf_names_only_options_of_the_tempest_plugin(self):
        from congress_tempest_tests import config as tempest_config
        self.run_phases(STACK)
        tempest = read_ini(self.tempest_conf)
        self.assertEqual({tempest_config.service_option.dest},
                         set(tempest['service_available']))
        groups = {
            tempest_config.congress_group.name:
                {o.dest for o in tempest_config.CongressGroup},
            tempest_config.congress_feature_group.name:
                {o.dest for o in tempest_config.CongressFeatureGroup},
        }
        for group, options in groups.items():
            self.assertTrue(set(tempest[group]) <= options,
                            '%s: %s' % (group, set(tempest[group])))

    def test_enabled_drivers_are_the_defaults_and_the_test_driver(self):
        self.run_phases(STACK)
        conf = cfg.ConfigOpts()
        congress_conf.register_opts(conf)
        conf(args=[], default_config_files=[self.conf_file])
        self.assertEqual(
            sorted(datasources_conf.DEFAULT_DRIVERS + ['fake']),
            sorted(conf.datasources.enabled_drivers))
        tempest = read_ini(self.tempest_conf)
        for driver in ('fake_driver', 'doctor_driver'):
            self.assertEqual('True', tempest.get('congress-feature-enabled',
                                                 driver))
        # without the test driver, tempest skips the tests that need it
        self.run_phases(STACK, CONGRESS_ENABLED_DRIVERS='nova,cinder')
        self.assertEqual('nova,cinder', read_ini(self.conf_file).get(
            'datasources', 'enabled_drivers'))
        tempest = read_ini(self.tempest_conf)
        for driver in ('fake_driver', 'doctor_driver'):
            self.assertEqual('False', tempest.get('congress-feature-enabled',
                                                  driver))

    def test_no_tempest_no_tempest_conf(self):
        self.run_phases(STACK, ENABLED_SERVICES='key,mysql,rabbit,n-api')
        self.assertFalse(os.path.exists(self.tempest_conf))

    def test_execution_disabled(self):
        self.run_phases(STACK, CONGRESS_EXECUTION_ENABLED='false')
        conf = read_ini(self.conf_file)
        self.assertEqual('False', conf.get('execution', 'enabled'))
        tempest = read_ini(self.tempest_conf)
        self.assertEqual('False', tempest.get('congress-feature-enabled',
                                              'execution'))

    def test_stack_twice_rewrites_the_config(self):
        self.run_phases(STACK)
        with open(self.conf_file, 'a') as f:
            f.write('\n[leftover]\nx = 1\n')
        self.run_phases(STACK)
        self.assertFalse(read_ini(self.conf_file).has_section('leftover'))

    def test_every_role_off_sets_nothing_up(self):
        localrc = os.path.join(self.work, 'localrc')
        for setting in ('disable_service congress-api congress-engine '
                        'congress-datasources',
                        'disable_service congress',
                        'CONGRESS_SERVICES='):
            with open(localrc, 'w') as f:
                f.write(setting + '\n')
            self.run_phases(STACK + ['unstack', 'clean'],
                            HARNESS_LOCALRC=localrc)
            self.assertEqual(
                {'phase'}, {call[0] for call in self.calls()}, setting)
            self.assertFalse(os.path.exists(self.conf_dir), setting)

    # --------------------------------------------------- unstack, clean

    def test_unstack_stops_every_role(self):
        self.run_phases(STACK + ['unstack'])
        self.assertEqual([['congress-api'], ['congress-engine'],
                          ['congress-datasources']],
                         self.calls('stop_process'))

    def test_clean_removes_config_and_state(self):
        self.run_phases(STACK + ['unstack', 'clean'])
        self.assertFalse(os.path.exists(self.conf_dir))
        self.assertFalse(os.path.exists(os.path.join(
            self.work, 'opt', 'stack', 'data', 'congress')))
        self.assertEqual(1, len(self.calls('remove_uwsgi_config')))

    # ----------------------------------------------------------- shellcheck

    def test_shellcheck(self):
        shellcheck = shutil.which('shellcheck')
        if shellcheck is None:
            self.skipTest('shellcheck is not installed')
        files = [f for f in SHELL_FILES
                 if os.path.exists(os.path.join(REPO, f))]
        proc = subprocess.run(
            [shellcheck, '--shell=bash', '--external-sources'] + files,
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=120)
        self.assertEqual(0, proc.returncode,
                         proc.stdout.decode('utf-8', 'replace'))
        self.assertIn('tools/run-tempest.sh', files)
