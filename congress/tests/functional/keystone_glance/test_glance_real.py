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

"""glancev2 against the REAL glance of the test bed: images, tags and
properties equal what Glance lists (computed here with
python-glanceclient), over many pages; actions change Glance (the next GET
shows it)."""

import io
import random
import time

from glanceclient import exc as glance_exc
from glanceclient.v2 import client as glance_client

from congress.cloudservices import glance_driver
from congress.cloudservices import glance_tables
from congress.execution import status
from congress.tests.functional.keystone_glance import base

TABLES = ('images', 'tags', 'image_properties')
IMAGE_FIELDS = [c.name for c in glance_tables.IMAGE_COLUMNS]
NOT_PROPERTIES = set(IMAGE_FIELDS) | {'tags', 'self', 'locations'}
#: What the bed's Glance answers now and then when tests write at the same
#: moment (a failed upload also drops the connection).
FLAKY = (glance_exc.HTTPInternalServerError, glance_exc.CommunicationError)


def make_glance(tb):
    return glance_client.Client(session=tb.session('admin'),
                                region_name=tb.region)


def create_image(test, glance, name, data=b'x', attempts=10, **properties):
    """An image (active when ``data`` is given), deleted at cleanup.

    Tests writing to the bed's Glance at the same moment can make a write
    or the read after it fail (HTTP 500, or a dropped connection); such an
    image is deleted and made again.
    """
    for attempt in range(attempts):
        try:
            image = glance.images.create(name=name, disk_format='raw',
                                         container_format='bare',
                                         **properties)
        except FLAKY:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
            continue
        test.addCleanup(_delete, glance, image['id'])
        try:
            if data is not None:
                glance.images.upload(image['id'], io.BytesIO(data))
            return glance.images.get(image['id'])
        except FLAKY:
            if attempt == attempts - 1:
                raise
            _delete(glance, image['id'])
            time.sleep(random.uniform(0.5, 1.5))


def _delete(glance, image_id):
    for attempt in range(4):
        try:
            glance.images.update(image_id, protected=False)
            glance.images.delete(image_id)
            return
        except glance_exc.HTTPNotFound:
            return
        except (glance_exc.ClientException,) + FLAKY:
            # locked SQLite, or an image still saving: try again
            time.sleep(0.5)


class RealGlanceTestCase(base.RealServiceTestCase):

    DRIVER = glance_driver.GlanceDriver
    NAME = 'glancev2'

    def setUp(self):
        super().setUp()
        self.glance = make_glance(self.tb)

    def execute(self, action, positional=(), named=None):
        """Like the base's; an execution that failed with Glance's HTTP
        500 (SQLite "database is locked" on the bed, see create_image) is
        run again, at most twice. Any other failure is final."""
        for attempt in range(3):
            final = super().execute(action, positional, named)
            if (final['status'] != status.FAILED
                    or 'HTTP 500' not in (final['error'] or '')):
                return final
            time.sleep(0.5)
        return final

    def expected(self):
        images = list(self.glance.images.list(
            filters={'visibility': 'all'}))
        images += list(self.glance.images.list(
            filters={'visibility': 'all', 'os_hidden': True}))
        rows = {'images': set(), 'tags': set(), 'image_properties': set()}
        for image in images:
            rows['images'].add(tuple(image.get(f) for f in IMAGE_FIELDS))
            rows['tags'].update((image['id'], t) for t in image['tags'])
            rows['image_properties'].update(
                (image['id'], k, v if v is None or isinstance(
                    v, (str, int, float, bool)) else str(v))
                for k, v in image.items() if k not in NOT_PROPERTIES)
        return rows

    def test_every_image_over_many_pages(self):
        made = [create_image(self, self.glance, '%s-%d' % (self.prefix, i),
                             data=None if i % 2 else b'abc',
                             tags=['t%d' % i, 'congress'],
                             os_distro='cirros')
                for i in range(5)]
        hidden = create_image(self, self.glance, '%s-hidden' % self.prefix,
                              os_hidden=True, visibility='private')
        self.driver.PAGE_SIZE = 2
        state = self.assert_tables_match(self.expected, TABLES)
        ids = {r[0] for r in state['images']}
        self.assertTrue({i['id'] for i in made + [hidden]} <= ids)
        self.assertGreaterEqual(len(state['images']), 7)
        first = made[0]
        row = next(r for r in state['images'] if r[0] == first['id'])
        self.assertEqual((first['id'], 'active', first['name'], 'bare'),
                         row[:4])
        self.assertEqual((3, 'shared'), (row[12], row[17]))
        self.assertEqual('queued', next(
            r for r in state['images'] if r[0] == made[1]['id'])[1])
        self.assertIn((first['id'], 't0'), state['tags'])
        self.assertIn((first['id'], 'os_distro', 'cirros'),
                      state['image_properties'])
        self.assertIn((hidden['id'], 'os_hidden', True),
                      state['image_properties'])

    def test_deactivate_and_make_private_through_execute(self):
        image = create_image(self, self.glance, '%s-act' % self.prefix,
                             visibility='public')
        final = self.execute('images.deactivate', [image['id']])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('deactivated',
                         self.glance.images.get(image['id'])['status'])
        final = self.execute('images.reactivate', [image['id']])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('active',
                         self.glance.images.get(image['id'])['status'])
        final = self.execute('images_update_properties',
                             [image['id'], 'visibility', 'private',
                              'hw_disk_bus', 'scsi', 'min_ram', '64'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        now = self.glance.images.get(image['id'])
        self.assertEqual(('private', 'scsi', 64),
                         (now['visibility'], now['hw_disk_bus'],
                          now['min_ram']))
        final = self.execute('image_tags.update', [image['id'], 'checked'])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual(['checked'],
                         self.glance.images.get(image['id'])['tags'])
        self.refresh()
        row = next(r for r in self.driver.state['images']
                   if r[0] == image['id'])
        self.assertEqual(('private', 64), (row[17], row[9]))
        self.assertIn((image['id'], 'checked'), self.driver.state['tags'])

    def test_failure_carries_glances_message(self):
        final = self.execute('images.deactivate',
                             ['00000000-0000-0000-0000-000000000000'])
        self.assertEqual(status.FAILED, final['status'], final)
        self.assertIn('404', final['error'])
