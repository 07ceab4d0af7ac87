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

"""The Cinder driver: configuration, translation of recorded Cinder
answers, paging, negotiation, action discovery and execution."""

import copy
import os
from unittest import mock

from cinderclient import api_versions
from cinderclient import base as cinder_base
from cinderclient import exceptions as cinder_exceptions
from cinderclient.v3 import volumes as cinder_volumes
import requests
import testtools

from congress.api import library_store
from congress.cloudservices import cinder_actions
from congress.cloudservices import cinder_driver
from congress.cloudservices import cinder_tables
from congress.cloudservices import nova_driver
from congress.conf import datasources as datasources_conf
from congress import exception
from congress.policy import engine
from congress.tests.unit.cloudservices import cinder_samples as samples

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'project_name': 'admin'}

VOLUME_COLUMNS = ('id', 'size', 'user_id', 'status', 'description', 'name',
                  'bootable', 'created_at', 'volume_type', 'encrypted',
                  'availability_zone', 'replication_status', 'multiattach',
                  'snapshot_id', 'source_volid', 'consistencygroup_id',
                  'migration_status')


def make_driver(**config):
    return cinder_driver.CinderDriver('cinder', dict(CONFIG, **config))


class FakeHTTP(object):
    """cinderclient's HTTP client answering GETs from canned bodies: a
    collection is served in pages of ``page_size`` with a ``next`` link
    while more remain, as Cinder does."""

    def __init__(self, volumes=(), snapshots=(), services=(), page_size=2):
        self.collections = {'/volumes/detail': ('volumes', list(volumes)),
                            '/snapshots/detail': ('snapshots',
                                                  list(snapshots))}
        self.services = list(services)
        self.page_size = page_size
        self.requests = []

    def get(self, url):
        self.requests.append(url)
        path, _, query = url.partition('?')
        params = dict(p.split('=', 1) for p in query.split('&') if p)
        if path == '/os-services':
            return None, {'services': self.services}
        key, items = self.collections[path]
        assert params.get('all_tenants') == '1', url
        start = 0
        if 'marker' in params:
            start = [i['id'] for i in items].index(params['marker']) + 1
        page = items[start:start + self.page_size]
        body = {key: page}
        if start + self.page_size < len(items):
            body[key + '_links'] = [{'rel': 'next',
                                     'href': 'http://cinder.test/next'}]
        return None, body


def volume(ident, **fields):
    """A copy of the recorded attached volume with a new id."""
    recorded = copy.deepcopy(samples.VOLUMES['volumes'][1])
    recorded.update(id=ident, **fields)
    return recorded


def translate(objects):
    state = {}
    for table in cinder_tables.TABLES:
        table.translate(objects.get(table.name, ()), into=state)
    return state


class ConfigTestCase(testtools.TestCase):

    def test_required_options(self):
        for key in ('auth_url', 'username', 'password', 'project_name'):
            config = dict(CONFIG)
            del config[key]
            err = self.assertRaises(exception.BadRequest,
                                    cinder_driver.CinderDriver, 'cinder',
                                    config)
            self.assertIn(key, str(err))

    def test_tenant_name_stands_for_project_name(self):
        config = dict(CONFIG)
        del config['project_name']
        driver = cinder_driver.CinderDriver('cinder',
                                            dict(config, tenant_name='t'))
        self.assertEqual('t', driver.config['project_name'])

    def test_bad_values(self):
        for key, value in (('api_version', 'abc'), ('api_version', '2.0'),
                           ('api_version', '3.latest'),
                           ('api_version', '3.999'), ('timeout', 0),
                           ('interface', 'private'), ('lazy_tables', 'x')):
            err = self.assertRaises(exception.BadRequest, make_driver,
                                    **{key: value})
            self.assertIn(key, str(err))

    def test_good_values(self):
        driver = make_driver(api_version='3.27', interface='internal',
                             region_name='RegionTwo',
                             endpoint_override='http://127.0.0.1:1/v3',
                             lazy_tables='volumes,services', timeout=3)
        self.assertEqual(api_versions.APIVersion('3.27'),
                         driver.requested_version)
        http = driver._client_without_io().client
        self.assertEqual('internal', http.interface)
        self.assertEqual('RegionTwo', http.region_name)
        self.assertEqual('http://127.0.0.1:1/v3', http.endpoint_override)
        self.assertEqual('3.27', http.default_microversion)

    def test_listed_in_the_default_enabled_drivers(self):
        opt = next(o for o in datasources_conf.OPTS
                   if o.name == 'enabled_drivers')
        self.assertIn('cinder', opt.default)


class SchemaTestCase(testtools.TestCase):

    def test_tables_and_columns_in_the_reference_order(self):
        schema = cinder_driver.CinderDriver.get_schema()
        columns = {table: tuple(c['name'] for c in cols)
                   for table, cols in schema.items()}
        self.assertEqual({
            'volumes': VOLUME_COLUMNS + ('tenant_id',),
            'attachments': ('volume_id', 'server_id', 'attachment_id',
                            'host_name', 'device'),
            'snapshots': ('id', 'size', 'status', 'volume_id', 'name',
                          'created_at', 'tenant_id'),
            'services': ('status', 'binary', 'zone', 'state', 'updated_at',
                         'host', 'disabled_reason'),
        }, columns)
        for cols in schema.values():
            self.assertTrue(all(c['description'] for c in cols))


class TranslationTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.state = translate({
            'volumes': samples.VOLUMES['volumes'],
            'snapshots': samples.SNAPSHOTS['snapshots'],
            'services': samples.SERVICES['services']})

    def test_volumes_row_for_row(self):
        expected = {tuple(v.get(c) for c in VOLUME_COLUMNS)
                    + (v['os-vol-tenant-attr:tenant_id'],)
                    for v in samples.VOLUMES['volumes']}
        self.assertEqual(expected, self.state['volumes'])
        attached = next(r for r in self.state['volumes']
                        if r[3] == 'in-use')
        # the API's types are kept: bootable a string, the flags booleans
        self.assertEqual(('false', False, False),
                         (attached[6], attached[9], attached[12]))
        self.assertEqual('__DEFAULT__', attached[8])

    def test_attachments_link_to_the_volume(self):
        attached = samples.VOLUMES['volumes'][1]
        entry = attached['attachments'][0]
        self.assertEqual({(attached['id'], entry['server_id'],
                           entry['attachment_id'], entry['host_name'],
                           entry['device'])}, self.state['attachments'])

    def test_attachments_volume_id_is_the_parent_not_the_entry(self):
        vol = volume('v-parent')
        vol['attachments'][0]['volume_id'] = 'something-else'
        state = translate({'volumes': [vol]})
        self.assertEqual({'v-parent'},
                         {r[0] for r in state['attachments']})

    def test_snapshots_and_services(self):
        snap = samples.SNAPSHOTS['snapshots'][0]
        self.assertEqual({(snap['id'], snap['size'], snap['status'],
                           snap['volume_id'], snap['name'],
                           snap['created_at'],
                           snap['os-extended-snapshot-attributes:'
                                'project_id'])}, self.state['snapshots'])
        self.assertEqual(
            {(s['status'], s['binary'], s['zone'], s['state'],
              s['updated_at'], s['host'], s['disabled_reason'])
             for s in samples.SERVICES['services']},
            self.state['services'])
        self.assertEqual({'cinder-scheduler', 'cinder-volume'},
                         {r[1] for r in self.state['services']})

    def test_empty_and_missing_fields(self):
        state = translate({'volumes': [{'id': 'bare'},
                                       volume('nulls', attachments=None)],
                           'snapshots': [], 'services': []})
        rows = {r[0]: r for r in state['volumes']}
        self.assertEqual(('bare',) + (None,) * 17, rows['bare'])
        self.assertEqual(set(), state['attachments'])
        self.assertEqual(set(), state['snapshots'])
        self.assertEqual(set(), state['services'])
        # a member's view: no tenant attribute at all
        member = {k: v for k, v in samples.VOLUMES['volumes'][0].items()
                  if k != 'os-vol-tenant-attr:tenant_id'}
        row, = translate({'volumes': [member]})['volumes']
        self.assertIsNone(row[-1])

    def test_cinderclient_resources_translate_the_same(self):
        manager = mock.Mock(spec=cinder_volumes.VolumeManager)
        resources = [cinder_volumes.Volume(manager, v, loaded=True)
                     for v in samples.VOLUMES['volumes']]
        state = translate({'volumes': resources})
        self.assertEqual(self.state['volumes'], state['volumes'])
        self.assertEqual(self.state['attachments'], state['attachments'])


class PollTestCase(testtools.TestCase):

    def driver_with(self, fake):
        driver = make_driver()
        live = mock.Mock()
        live.client = fake
        driver._live = live
        driver.api_version = api_versions.APIVersion('3.71')
        return driver

    def test_every_page_of_every_project(self):
        volumes = [volume('v%d' % i) for i in range(5)]
        fake = FakeHTTP(volumes=volumes,
                        snapshots=samples.SNAPSHOTS['snapshots'],
                        services=samples.SERVICES['services'])
        driver = self.driver_with(fake)
        state = driver.poll()
        self.assertEqual('None', driver.get_status()['last_error'])
        self.assertEqual({'v%d' % i for i in range(5)},
                         {r[0] for r in state['volumes']})
        self.assertEqual(5, len(state['attachments']))
        self.assertEqual(1, len(state['snapshots']))
        self.assertEqual(2, len(state['services']))
        volume_gets = [u for u in fake.requests if u.startswith('/volumes')]
        # pages of 2, 2 and 1: the last has no next link, no 4th request
        self.assertEqual(3, len(volume_gets))
        self.assertIn('marker=v1', volume_gets[1])
        self.assertIn('marker=v3', volume_gets[2])

    def test_a_failed_poll_keeps_the_last_state(self):
        fake = FakeHTTP(volumes=[volume('v1')])
        driver = self.driver_with(fake)
        first = driver.poll()
        fake.get = mock.Mock(side_effect=cinder_exceptions.ClientException(
            503, 'Service Unavailable'))
        self.assertIsNone(driver.poll())
        self.assertIn('Service Unavailable',
                      driver.get_status()['last_error'])
        self.assertEqual(first, driver.state)


class NegotiationTestCase(testtools.TestCase):

    def negotiate(self, versions, **config):
        driver = make_driver(**config)
        client = mock.Mock()
        client.services.server_api_version.return_value = versions
        return driver._negotiate(client)

    def test_newest_common_version(self):
        self.assertEqual(api_versions.APIVersion(api_versions.MAX_VERSION),
                         self.negotiate(samples.VERSIONS))
        older = [dict(samples.VERSIONS[0], version='3.50')]
        self.assertEqual('3.50', self.negotiate(older).get_string())

    def test_configured_version(self):
        self.assertEqual('3.27', self.negotiate(
            samples.VERSIONS, api_version='3.27').get_string())
        older = [dict(samples.VERSIONS[0], version='3.20')]
        err = self.assertRaises(cinder_exceptions.UnsupportedVersion,
                                self.negotiate, older, api_version='3.27')
        self.assertIn('3.0 to 3.20', str(err))

    def test_no_v3(self):
        self.assertRaises(cinder_exceptions.UnsupportedVersion,
                          self.negotiate, [])

    def test_client_rebuilt_at_the_negotiated_version(self):
        driver = make_driver()
        with mock.patch.object(
                cinder_base.Manager, '_get_with_base_url',
                return_value=[mock.Mock(version='3.60',
                                        min_version='3.0',
                                        status='CURRENT')]):
            client = driver.cinder()
        self.assertEqual('3.60', driver.api_version.get_string())
        self.assertEqual('3.60', client.client.default_microversion)
        self.assertIs(client, driver.cinder())


class ActionDiscoveryTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.actions = {a['name']: a for a in self.driver.get_actions()}

    def test_the_useful_ones_are_listed(self):
        for name in ('volumes.set_bootable', 'volumes.set_metadata',
                     'volumes.reset_state', 'volumes.extend',
                     'volumes.delete', 'volumes.retype',
                     'volume_snapshots.delete', 'services.disable',
                     'services.enable', 'services.disable_log_reason',
                     'attachments.create', 'volumes_set_metadata',
                     'volumes_delete_metadata'):
            self.assertIn(name, self.actions)
        self.assertEqual(sorted(self.actions), self.driver.action_names())

    def test_arguments_and_descriptions_from_docstrings(self):
        reset = self.actions['volumes.reset_state']
        self.assertEqual(['volume', 'state', 'attach_status',
                          'migration_status'],
                         [a['name'] for a in reset['args']])
        self.assertIn('state of the volume',
                      reset['args'][1]['description'])
        self.assertTrue(reset['description'].startswith('Update the'))
        wrapper = self.actions['volumes_set_metadata']
        self.assertEqual(['volume_id', '*keys_and_values'],
                         [a['name'] for a in wrapper['args']])

    def test_manager_machinery_is_left_out_with_its_reason(self):
        excluded = self.driver.excluded_actions
        for name in ('volumes.find', 'volumes.findall', 'volumes.add_hook',
                     'volumes.completion_cache'):
            self.assertNotIn(name, self.actions)
            self.assertTrue(excluded[name].startswith('base: '), name)

    def test_versioned_methods_follow_the_declared_version(self):
        old = make_driver(api_version='3.0')
        names = old.action_names()
        self.assertNotIn('attachments.create', names)
        self.assertNotIn('volumes.summary', names)
        self.assertEqual('unavailable: no variant at microversion 3.0',
                         old.excluded_actions['attachments.create'])
        self.assertIn('volumes.set_bootable', names)

    def test_exclusion_rules(self):
        class Manager(cinder_base.Manager):

            def plain(self, thing):
                """Do a thing."""

            def old(self):
                """DEPRECATED: use plain."""

            @api_versions.wraps('3.99')
            def future(self):
                """Not yet."""

            def gone(self):
                """Removed."""
                raise NotImplementedError()

        manager = Manager(mock.Mock(api_version=api_versions.APIVersion(
            '3.71')))
        version = api_versions.APIVersion('3.71')
        reasons = {attr: cinder_actions.exclusion_reason(manager, attr,
                                                         version)
                   for attr in ('plain', 'old', 'future', 'gone',
                                'write_to_completion_cache')}
        self.assertIsNone(reasons['plain'])
        self.assertTrue(reasons['old'].startswith('deprecated'))
        self.assertTrue(reasons['future'].startswith('unavailable'))
        self.assertTrue(reasons['gone'].startswith('removed'))
        self.assertTrue(reasons['write_to_completion_cache'].startswith(
            'base: Manager.'))


class ExecuteTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.live = mock.Mock()
        self.driver._live = self.live
        self.driver.api_version = api_versions.APIVersion('3.71')

    def test_manager_method_runs_on_the_negotiated_client(self):
        response = requests.Response()
        self.live.volumes.set_bootable.return_value = (response, None)
        self.assertIsNone(self.driver.execute(
            'volumes.set_bootable', ['v1', 'true'], {}))
        self.live.volumes.set_bootable.assert_called_once_with('v1', 'true')

    def test_set_metadata_wrapper(self):
        self.live.volumes.set_metadata.return_value = {'a': '1', 'b': '2'}
        self.assertEqual({'a': '1', 'b': '2'}, self.driver.execute(
            'volumes_set_metadata', ['v1', 'a', 1, 'b', '2'], {}))
        self.live.volumes.set_metadata.assert_called_once_with(
            'v1', {'a': '1', 'b': '2'})
        for args in (['v1'], ['v1', 'a']):
            self.assertRaises(exception.InvalidActionArguments,
                              self.driver.execute, 'volumes_set_metadata',
                              args, {})
        self.assertRaises(exception.InvalidActionArguments,
                          self.driver.execute, 'volumes_delete_metadata',
                          ['v1'], {})

    def test_undeclared_names_are_refused(self):
        for name in ('volumes.find', 'client.get', 'volumes._get',
                     'volumes.set_bootable.__call__'):
            self.assertRaises(exception.ActionNotFound,
                              self.driver.execute, name, [], {})
        self.live.assert_not_called()

    def test_plain_result(self):
        plain = cinder_driver.CinderDriver.plain_result
        response = requests.Response()
        self.assertEqual({'x': 1}, plain((response, {'x': 1})))
        self.assertIsNone(plain(response))
        self.assertEqual('v', plain('v'))


class LibraryPolicyTestCase(testtools.TestCase):
    """The shipped cinder library policies over the recorded bed rows: a
    server with an unencrypted volume attached is derived and paused; an
    encrypted volume, or a server that is not ACTIVE, is not."""

    LIBRARY = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                           '..', 'etc', 'congress', 'library')

    def setUp(self):
        super().setUp()
        schemas = {'cinder': cinder_driver.CinderDriver.get_schema(),
                   'nova': nova_driver.NovaDriver.get_schema()}
        self.engine = engine.PolicyEngine(
            action_sink=None,
            schema_lookup=lambda s: {t: [c['name'] for c in cols]
                                     for t, cols in schemas[s].items()}
            if s in schemas else None)
        documents = {d['name']: d for d in _library_documents(self.LIBRARY)}
        for name in ('cinder_servers_unencrypted_volume',
                     'cinder_pause_servers_unencrypted_volume'):
            self.engine.create_policy(name, kind=documents[name]['kind'])
            for rule in documents[name]['rules']:
                self.engine.insert_rule(name, rule['rule'])

    def load(self, volumes, servers):
        state = translate({'volumes': volumes})
        for table in ('volumes', 'attachments'):
            self.engine.initialize_table('cinder', table, state[table])
        self.engine.initialize_table('nova', 'servers', servers)

    @staticmethod
    def server(server_id, status='ACTIVE'):
        return (server_id, 'srv-' + server_id, 'h', status, 'p', 'u', 'i',
                'f', 'nova', 'h', 'c')

    def test_derives_and_pauses(self):
        attached = samples.VOLUMES['volumes'][1]
        server_id = attached['attachments'][0]['server_id']
        encrypted = volume('enc', encrypted=True)
        encrypted['attachments'][0]['server_id'] = 'srv-enc'
        self.load([attached, encrypted, samples.VOLUMES['volumes'][0]],
                  [self.server(server_id), self.server('srv-enc'),
                   self.server('paused', 'PAUSED')])
        rows, _trace = self.engine.select(
            'cinder_servers_unencrypted_volume', 'server_unencrypted_volume')
        self.assertEqual([(server_id, 'srv-' + server_id, attached['id'],
                           attached['name'])], list(rows))
        self.assertEqual(
            {('cinder_pause_servers_unencrypted_volume',
              'execute[nova:servers.pause]'): {(server_id,)}},
            self.engine.action_rows())


def _library_documents(library_path):
    return [library_store.read_file(os.path.join(library_path, name))
            for name in library_store.library_files(library_path)]
