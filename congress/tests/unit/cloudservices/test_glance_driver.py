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

"""The glancev2 driver: configuration, translation, paging, actions."""

from unittest import mock

from keystoneauth1 import session as ks_session
import testtools

from congress.cloudservices import glance_driver
from congress.cloudservices import glance_tables
from congress import exception
from congress.tests.unit.cloudservices import keystone_glance_samples as s

CONFIG = {'auth_url': 'http://keystone.test/v3', 'username': 'congress',
          'password': 's3cret', 'tenant_name': 'service'}

IMAGE_COLUMNS = ('id', 'status', 'name', 'container_format', 'created_at',
                 'updated_at', 'disk_format', 'owner', 'protected',
                 'min_ram', 'min_disk', 'checksum', 'size', 'file',
                 'kernel_id', 'ramdisk_id', 'schema', 'visibility')


def make_driver(fake=None, **config):
    driver = glance_driver.GlanceDriver('glancev2', dict(CONFIG, **config))
    if fake is not None:
        driver.glance().http_client.get = fake.get
    return driver


def translate(images):
    return glance_tables.IMAGES_TABLE.translate(images)


class ConfigTestCase(testtools.TestCase):

    def test_tenant_name_alias_and_no_io(self):
        with mock.patch.object(ks_session.Session, 'request') as request:
            driver = make_driver(region_name='RegionOne')
            driver.get_actions()
            self.assertEqual('service', driver.session().auth.project_name)
            self.assertIs(driver.session(),
                          driver.glance().http_client.session)
            self.assertEqual('RegionOne',
                             driver.glance().http_client.region_name)
        request.assert_not_called()

    def test_unknown_key(self):
        self.assertRaises(exception.BadRequest, make_driver, page_size=5)


class SchemaTestCase(testtools.TestCase):

    def test_reference_columns(self):
        columns = {t: tuple(c['name'] for c in cols) for t, cols in
                   glance_driver.GlanceDriver.get_schema().items()}
        self.assertEqual({'images': IMAGE_COLUMNS,
                          'tags': ('image_id', 'tag'),
                          'image_properties': ('image_id', 'key', 'value')},
                         columns)


class TranslationTestCase(testtools.TestCase):

    def test_recorded_image(self):
        state = translate([s.image(tags=['gold', 'linux'],
                                   hw_disk_bus='scsi',
                                   locations=[{'url': 'file:///x'}])])
        self.assertEqual({(
            s.IMAGE, 'active', 'testbed-raw-1m', 'bare',
            '2026-12-01T12:40:05Z', '2026-12-01T12:40:06Z', 'raw',
            s.ADMIN_PROJECT, False, 0, 0, 'b6d81b360a5672d80c27430f39153e2c',
            1048576, '/v2/images/%s/file' % s.IMAGE, None, None,
            '/v2/schemas/image', 'public')}, state['images'])
        self.assertEqual({(s.IMAGE, 'gold'), (s.IMAGE, 'linux')},
                         state['tags'])
        self.assertEqual({(s.IMAGE, 'virtual_size', 1048576),
                          (s.IMAGE, 'os_hidden', False),
                          (s.IMAGE, 'os_hash_algo', 'sha512'),
                          (s.IMAGE, 'os_hash_value', 'd629268'),
                          (s.IMAGE, 'stores', 'fs'),
                          (s.IMAGE, 'hw_disk_bus', 'scsi')},
                         state['image_properties'])

    def test_kernel_and_ramdisk(self):
        row = next(iter(translate([s.image(kernel_id='k', ramdisk_id='r')])
                        ['images']))
        self.assertEqual(('k', 'r'), row[14:16])

    def test_queued_image_has_nulls(self):
        image = s.image(status='queued', size=None, checksum=None,
                        virtual_size=None)
        del image['file']
        row = next(iter(translate([image])['images']))
        self.assertEqual(('queued', None, None, None),
                         (row[1], row[11], row[12], row[13]))

    def test_empty_and_sparse(self):
        state = translate([{'id': 'x'}])
        self.assertEqual({('x',) + (None,) * 17}, state['images'])
        self.assertEqual(set(), state['tags'])
        self.assertEqual(set(), state['image_properties'])
        self.assertEqual({'images': set(), 'tags': set(),
                          'image_properties': set()}, translate([]))

    def test_nested_property_becomes_text(self):
        state = translate([{'id': 'x', 'meta': {'a': 1}}])
        self.assertEqual({('x', 'meta', "{'a': 1}")},
                         state['image_properties'])


class PollTestCase(testtools.TestCase):

    def test_every_image_of_many_pages(self):
        images = [s.image('img-%05d' % i, tags=['t%d' % (i % 3)])
                  for i in range(1234)]
        hidden = [s.image('hidden-%d' % i, os_hidden=True) for i in range(3)]
        fake = s.FakeGlanceHTTP(images, hidden)
        driver = make_driver(fake)
        driver.PAGE_SIZE = 100
        state = driver.poll()
        self.assertEqual('None', driver.get_status()['last_error'])
        self.assertEqual(1237, len(state['images']))
        self.assertEqual(1234, len(state['tags']))
        self.assertEqual({i['id'] for i in images + hidden},
                         {r[0] for r in state['images']})
        self.assertEqual(13 + 1, len(fake.calls))
        self.assertTrue(all('visibility=all' in c for c in fake.calls))
        self.assertIn('os_hidden=true', fake.calls[-1])

    def test_failure_is_reported_and_retried(self):
        fake = s.FakeGlanceHTTP([s.image()])
        driver = make_driver(fake)
        first = driver.poll()
        with mock.patch.object(driver.glance().http_client, 'get',
                               side_effect=RuntimeError('HTTP 500 boom')):
            self.assertIsNone(driver.poll())
        self.assertIn('HTTP 500', driver.get_status()['last_error'])
        self.assertEqual(first, driver.state)
        self.assertIsNotNone(driver.poll())


class ActionsTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.actions = {a['name']: a for a in self.driver.get_actions()}

    def args(self, name):
        return [(a['name'], a['description'])
                for a in self.actions[name]['args']]

    def test_controller_methods(self):
        self.assertEqual([('image_id', 'ID of the image.')],
                         self.args('images.deactivate'))
        self.assertEqual('Deactivate an image.',
                         self.actions['images.deactivate']['description'])
        self.assertEqual(['image_id', 'remove_props', '**kwargs'],
                         [a[0] for a in self.args('images.update')])
        self.assertEqual(['image_id', 'tag_value'],
                         [a[0] for a in self.args('image_tags.update')])
        self.assertEqual(
            [('image_id', 'ID of the image.'),
             ('member_id', 'ID of the project the image is shared with.'),
             ('member_status', 'accepted, rejected or pending.')],
            self.args('image_members.update'))
        for name in ('images.reactivate', 'images.delete', 'images.create',
                     'image_tags.delete', 'image_members.create',
                     'image_members.delete', 'tasks.create',
                     'metadefs_namespace.create', 'schemas.get',
                     'versions.list', 'images_update_properties',
                     'images_remove_properties'):
            self.assertIn(name, self.actions)

    def test_exclusions(self):
        for name, reason in (('images.data', 'data'),
                             ('images.upload', 'data'),
                             ('images.stage', 'data'),
                             ('cache.is_supported', 'client-side')):
            self.assertTrue(self.driver.excluded_actions[name].startswith(
                reason))
            self.assertNotIn(name, self.actions)
        for name in ('images.model', 'images.unvalidated_model',
                     'http_client.get', 'version', 'glance'):
            self.assertNotIn(name, self.actions)
            self.assertRaises(exception.ActionNotFound,
                              self.driver.resolve_action, name)

    def test_every_action_described(self):
        for name, action in self.actions.items():
            self.assertTrue(action['description'], name)


class ExecuteTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.driver = make_driver()
        self.images = self.driver.glance().images

    def test_update_properties_wrapper_types_values(self):
        with mock.patch.object(self.images, 'update',
                               return_value={'id': 'i'}) as update:
            result = self.driver.execute(
                'images_update_properties',
                ['i', 'visibility', 'private', 'protected', 'True',
                 'min_ram', '512', 'os_distro', 7], {})
        update.assert_called_once_with('i', visibility='private',
                                       protected=True, min_ram=512,
                                       os_distro='7')
        self.assertEqual({'id': 'i'}, result)

    def test_wrapper_argument_errors(self):
        for name, args in (('images_update_properties', ['i', 'k']),
                           ('images_update_properties', ['i']),
                           ('images_remove_properties', ['i'])):
            self.assertRaises(exception.InvalidActionArguments,
                              self.driver.execute, name, args, {})

    def test_remove_properties(self):
        with mock.patch.object(self.images, 'update',
                               return_value=None) as update:
            self.driver.execute('images_remove_properties', ['i', 'a', 'b'],
                                {})
        update.assert_called_once_with('i', remove_props=['a', 'b'])

    def test_bare_response_is_none_and_generators_are_lists(self):
        import requests
        with mock.patch.object(self.images, 'deactivate',
                               return_value=(requests.Response(), None)):
            self.assertIsNone(self.driver.execute('images.deactivate',
                                                  ['i'], {}))
        with mock.patch.object(self.images, 'list',
                               return_value=(x for x in [{'id': 'a'}])):
            self.assertEqual([{'id': 'a'}],
                             self.driver.execute('images.list', [], {}))
