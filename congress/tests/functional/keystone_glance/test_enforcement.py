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

"""keystonev3 and glancev2 in a real deployment: congress-server processes
(API, policy engine, datasources worker) over RabbitMQ and MariaDB, the
data sources on the real keystone, glance and nova of the test bed.

* an ``execute[...]`` rule per driver changes the real service (the next
  GET shows it), with the rule and the rows that made it fire (the *why*)
  on the execution record;
* an action through the API (``POST /v1/data-sources/<ds>?action=execute``);
* this branch's library policies, activated with
  ``POST /v1/policies?library_policy=<id>`` from ``etc/congress/library``,
  derive the rows they should over real objects; the acting one really
  pauses the server.
"""

import uuid

from glanceclient.v2 import client as glance_client
from keystoneclient.v3 import client as keystone_client
import requests

from congress.api import library_store
from congress.db import executions as executions_db
from congress.execution import status
from congress.tests import base
from congress.tests.functional import bed_deployment
from congress.tests.functional.keystone_glance import test_glance_real

LIBRARY = bed_deployment.LIBRARY


class DeploymentTestCase(bed_deployment.BedDeploymentTestCase):

    DATASOURCES = ('keystonev3', 'glancev2', 'nova')
    API = True
    CONFIG = {'policy_engine': {'policy_library_path': LIBRARY}}

    def setUp(self):
        super().setUp()
        self.ks = keystone_client.Client(session=self.testbed.session('admin'),
                                         region_name=self.testbed.region)
        self.glance = glance_client.Client(
            session=self.testbed.session('admin'),
            region_name=self.testbed.region)
        self.prefix = 'kg-e2e-%s' % uuid.uuid4().hex[:8]
        self.wait_initialized(*self.DATASOURCES)

    def post(self, path, body=None):
        r = requests.post(self.api_url + path, json=body, timeout=30)
        self.assertLess(r.status_code, 300, r.text)
        return r.json()

    def create_policy(self, name, *rules):
        self.post('/v1/policies', {'name': name})
        return [self.post('/v1/policies/%s/rules' % name, {'rule': rule})
                for rule in rules]

    def activate(self, library_name):
        r = requests.post(self.api_url + '/v1/policies?library_policy=%s' %
                          library_store.library_id(library_name),
                          timeout=30)
        self.assertEqual(201, r.status_code, r.text)
        return r.json()

    def rows(self, policy, table):
        r = requests.get('%s/v1/policies/%s/tables/%s/rows' % (
            self.api_url, policy, table), timeout=30)
        if r.status_code == 404:
            return set()
        self.assertEqual(200, r.status_code, r.text)
        return {tuple(row['data']) for row in r.json()['results']}

    def records(self, service, policy):
        return executions_db.list_records(service=service, policy=policy,
                                          limit=100)

    def succeeded(self, service, policy, count):
        def check():
            records = self.records(service, policy)
            if len(records) == count and all(
                    r['status'] == status.SUCCEEDED for r in records):
                return records
        return base.wait_for(check, timeout=90,
                             message='%d succeeded records' % count)

    # objects on the bed

    def make_user(self, name, **kwargs):
        user = self.ks.users.create(name=name, domain='default', **kwargs)
        self.addCleanup(self._quietly, self.ks.users.delete, user.id)
        return user

    def make_image(self, name, **properties):
        return test_glance_real.create_image(self, self.glance, name,
                                             data=b'congress', **properties)

    def server_status(self, server_id):
        return self.nova.servers.get(server_id).status

    @staticmethod
    def _quietly(fn, *args):
        try:
            fn(*args)
        except Exception:
            pass

    # tests

    def test_rule_disables_users_and_api_updates_one(self):
        targets = [self.make_user('%s-off-%d' % (self.prefix, i))
                   for i in range(2)]
        bystander = self.make_user('%s-keep' % self.prefix)
        rule, = self.create_policy(
            'identity_ops',
            'execute[keystonev3:users_disable(id)] :- '
            'keystonev3:users(id=id, name=n), '
            'builtin:startswith(n, "%s-off")' % self.prefix)
        for user in targets:
            base.wait_for(lambda u=user: not self.ks.users.get(u.id).enabled,
                          timeout=90, message='user disabled')
        records = self.succeeded('keystonev3', 'identity_ops', 2)
        self.assertEqual(sorted(u.id for u in targets),
                         sorted(r['args']['positional'][0] for r in records))
        for record in records:
            self.assertEqual(('users_disable', rule['id'],
                              status.ORIGIN_POLICY),
                             (record['action'], record['rule_id'],
                              record['origin']))
            self.assertIn('keystonev3:users', str(record['why']))
        self.assertTrue(self.ks.users.get(bystander.id).enabled)
        # through the API, a manager method with a named argument
        self.post('/v1/data-sources/keystonev3?action=execute',
                  {'name': 'users.update',
                   'args': {'positional': [bystander.id],
                            'named': {'description': 'seen by congress'}}})
        base.wait_for(lambda: getattr(self.ks.users.get(bystander.id),
                                      'description', None) ==
                      'seen by congress', timeout=60,
                      message='user updated')

    def test_rule_deactivates_images(self):
        target = self.make_image('%s-retire' % self.prefix)
        bystander = self.make_image('%s-keep' % self.prefix)
        rule, = self.create_policy(
            'image_ops',
            'execute[glancev2:images.deactivate(id)] :- '
            'glancev2:images(id=id, name=n, status="active"), '
            'builtin:startswith(n, "%s-retire")' % self.prefix)
        base.wait_for(lambda: self.glance.images.get(target['id'])[
            'status'] == 'deactivated', timeout=90,
            message='image deactivated')
        record, = self.succeeded('glancev2', 'image_ops', 1)
        self.assertEqual((target['id'], 'images.deactivate', rule['id']),
                         (record['args']['positional'][0], record['action'],
                          record['rule_id']))
        self.assertIn('glancev2:images', str(record['why']))
        self.assertEqual('active',
                         self.glance.images.get(bystander['id'])['status'])
        # through the API: make the other image private
        self.post('/v1/data-sources/glancev2?action=execute',
                  {'name': 'images_update_properties',
                   'args': {'positional': [bystander['id'], 'visibility',
                                           'private']}})
        base.wait_for(lambda: self.glance.images.get(bystander['id'])[
            'visibility'] == 'private', timeout=60,
            message='image private')

    def test_library_public_images_and_users_without_project_role(self):
        public = self.make_image('%s-public' % self.prefix,
                                 visibility='public')
        private = self.make_image('%s-private' % self.prefix,
                                  visibility='private')
        lonely = self.make_user('%s-lonely' % self.prefix)
        working = self.make_user('%s-working' % self.prefix)
        member = self.ks.roles.find(name='member')
        self.ks.roles.grant(member, user=working,
                            project=self.testbed.project_ids['demo'])
        self.activate('glance_public_images')
        self.activate('keystone_users_without_project_role')
        expected_public = {
            (i.id, i.name, i.owner) for i in
            self.glance.images.list(filters={'visibility': 'public'})}
        self.assertIn((public['id'], public['name'], public['owner']),
                      expected_public)
        base.wait_for(lambda: self.rows('glance_public_images',
                                        'public_image') == expected_public,
                      timeout=60, message='public images derived')
        self.assertNotIn(private['id'], {r[0] for r in self.rows(
            'glance_public_images', 'public_image')})

        def without_role():
            return {r[0] for r in self.rows(
                'keystone_users_without_project_role',
                'user_without_project_role')}
        base.wait_for(lambda: lonely.id in without_role(), timeout=60,
                      message='the user without a role derived')
        self.assertNotIn(working.id, without_role())
        for user_id in self.testbed.user_ids.values():
            self.assertNotIn(user_id, without_role())
        # a role granted: the user leaves the table at a later poll
        self.ks.roles.grant(member, user=lonely,
                            project=self.testbed.project_ids['demo'])
        base.wait_for(lambda: lonely.id not in without_role(), timeout=60,
                      message='the user with a role gone')

    def test_library_disallowed_images_pauses_the_server(self):
        tagged = self.make_image('%s-tagged' % self.prefix,
                                 tags=['disallowed'])
        bad = self.boot('%s-bad' % self.prefix, tagged['id'])
        good = self.boot('%s-good' % self.prefix, self.testbed.image_id)
        for server_id in (bad, good):
            base.wait_for(lambda s=server_id: self.server_status(s) ==
                          'ACTIVE', timeout=120, message='server ACTIVE')
        self.activate('disallowed_images')
        base.wait_for(lambda: (bad, '%s-bad' % self.prefix, tagged['id'])
                      in self.rows('disallowed_images',
                                   'server_on_disallowed_image'),
                      timeout=60, message='the server derived')
        self.assertNotIn(good, {r[0] for r in self.rows(
            'disallowed_images', 'server_on_disallowed_image')})
        self.activate('pause_disallowed_images')
        base.wait_for(lambda: self.server_status(bad) == 'PAUSED',
                      timeout=120, message='server PAUSED')
        record, = self.succeeded('nova', 'pause_disallowed_images', 1)
        self.assertEqual(('servers.pause', [bad]),
                         (record['action'], record['args']['positional']))
        self.assertIn('disallowed_images:server_on_disallowed_image',
                      str(record['why']))
        self.assertEqual('ACTIVE', self.server_status(good))
