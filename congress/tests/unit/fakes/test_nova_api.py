# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""python-novaclient against the recording Nova API double."""

import time

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3 as identity_v3
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
import novaclient
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc
import requests
import testtools

from congress.tests.fakes import nova_api

MAX = novaclient.API_MAX_VERSION.get_string()


class TestFakeNovaAPI(testtools.TestCase):

    def setUp(self):
        super(TestFakeNovaAPI, self).setUp()
        self.nova = self.useFixture(nova_api.FakeNovaAPI())

    def client(self, version=MAX, session=None, **kwargs):
        sess = session or ks_session.Session()
        kwargs.setdefault('endpoint_override', self.nova.endpoint)
        return nova_client.Client(version, session=sess, **kwargs)

    def test_version_discovery(self):
        resp = requests.get(self.nova.url + '/')
        self.assertEqual(300, resp.status_code)
        v21 = [v for v in resp.json()['versions'] if v['id'] == 'v2.1'][0]
        self.assertEqual('2.1', v21['min_version'])
        self.assertEqual('2.96', v21['version'])
        resp = requests.get(self.nova.endpoint + '/')
        self.assertEqual('2.96', resp.json()['version']['version'])

    def test_microversion_headers(self):
        resp = requests.get(self.nova.endpoint + '/flavors',
                            headers={'OpenStack-API-Version': 'compute 2.60'})
        self.assertEqual('compute 2.60',
                         resp.headers['OpenStack-API-Version'])
        self.assertEqual('2.60', resp.headers['X-OpenStack-Nova-API-Version'])
        resp = requests.get(self.nova.endpoint + '/flavors')
        self.assertEqual('2.1', resp.headers['X-OpenStack-Nova-API-Version'])
        resp = requests.get(
            self.nova.endpoint + '/flavors',
            headers={'X-OpenStack-Nova-API-Version': '2.200'})
        self.assertEqual(406, resp.status_code)

    def test_list_10000_servers_across_pages(self):
        started = time.monotonic()
        ids = self.nova.populate(10000, n_projects=4)
        self.assertLess(time.monotonic() - started, 5)
        nc = self.client()
        servers = nc.servers.list(search_opts={'all_tenants': 1}, limit=-1)
        self.assertEqual(10000, len(servers))
        self.assertEqual(set(ids), {s.id for s in servers})
        # Newest first, like Nova.
        self.assertEqual(ids[-1], servers[0].id)
        pages = self.nova.find_calls('GET', r'/servers/detail$')
        # 10 full pages of 1000, then the empty page that ends the loop.
        self.assertEqual(11, len(pages))
        self.assertNotIn('marker', pages[0].query)
        self.assertEqual([servers[999].id], pages[1].query['marker'])
        # Without all_tenants: the caller's project only.
        own = nc.servers.list(limit=-1)
        self.assertEqual(2500, len(own))
        self.assertEqual({self.nova.project_id}, {s.tenant_id for s in own})

    def test_servers_links_and_limit(self):
        self.nova.populate(5)
        resp = requests.get(
            self.nova.endpoint + '/servers/detail?all_tenants=1&limit=2',
            headers={'OpenStack-API-Version': 'compute 2.96'})
        body = resp.json()
        self.assertEqual(2, len(body['servers']))
        link = body['servers_links'][0]
        self.assertEqual('next', link['rel'])
        self.assertIn('marker=%s' % body['servers'][-1]['id'], link['href'])
        self.assertIn('all_tenants=1', link['href'])
        resp = requests.get(link['href'])
        self.assertEqual(2, len(resp.json()['servers']))
        resp = requests.get(self.nova.endpoint + '/servers/detail?marker=x')
        self.assertEqual(400, resp.status_code)
        self.assertIn('badRequest', resp.json())

    def test_server_shape_by_microversion(self):
        server_id = self.nova.populate(1, tags=True)[0]
        new = self.client().servers.get(server_id)
        self.assertEqual('m1.tiny', new.flavor['original_name'])
        self.assertEqual(512, new.flavor['ram'])
        self.assertEqual(['tag-0'], new.tags)
        self.assertEqual('ACTIVE', new.status)
        self.assertEqual('nova', getattr(new, 'OS-EXT-AZ:availability_zone'))
        self.assertEqual('compute-0',
                         getattr(new, 'OS-EXT-SRV-ATTR:hypervisor_hostname'))
        addr = new.addresses['private'][0]
        self.assertEqual(4, addr['version'])
        self.assertEqual('fixed', addr['OS-EXT-IPS:type'])
        self.assertTrue(addr['OS-EXT-IPS-MAC:mac_addr'].startswith('fa:16'))
        self.assertEqual(56, len(new.hostId))
        old = self.client('2.1').servers.get(server_id)
        self.assertEqual('1', old.flavor['id'])
        self.assertFalse(hasattr(old, 'tags'))
        self.assertEqual(['tag-0'],
                         self.client('2.26').servers.tag_list(server_id))

    def test_pause_unpause_stop_start(self):
        server_id = self.nova.populate(1)[0]
        nc = self.client()
        nc.servers.pause(server_id)
        self.assertEqual('PAUSED', nc.servers.get(server_id).status)
        self.assertEqual(
            'paused', getattr(nc.servers.get(server_id),
                              'OS-EXT-STS:vm_state'))
        nc.servers.unpause(server_id)
        nc.servers.stop(server_id)
        self.assertEqual('SHUTOFF', nc.servers.get(server_id).status)
        nc.servers.start(server_id)
        self.assertEqual('ACTIVE', nc.servers.get(server_id).status)
        actions = self.nova.find_calls('POST', r'/action$')
        self.assertEqual([{'pause': None}, {'unpause': None},
                          {'os-stop': None}, {'os-start': None}],
                         [c.body for c in actions])
        # A state conflict is Nova's 409.
        e = self.assertRaises(nova_exc.Conflict, nc.servers.unpause,
                              server_id)
        self.assertIn("Cannot 'unpause'", str(e))

    def test_metadata(self):
        server_id = self.nova.populate(1)[0]
        nc = self.client()
        nc.servers.set_meta(server_id, {'a': '1', 'b': '2'})
        self.assertEqual({'index': '0', 'a': '1', 'b': '2'},
                         nc.servers.get(server_id).metadata)
        nc.servers.set_meta_item(server_id, 'c', '3')
        nc.servers.delete_meta(server_id, ['a', 'index'])
        self.assertEqual({'b': '2', 'c': '3'},
                         nc.servers.get(server_id).metadata)
        self.assertRaises(nova_exc.NotFound, nc.servers.delete_meta,
                          server_id, ['nope'])
        call = self.nova.find_calls('POST', r'/metadata$')[0]
        self.assertEqual({'metadata': {'a': '1', 'b': '2'}}, call.body)
        self.assertEqual(MAX, call.headers['X-OpenStack-Nova-API-Version'])

    def test_delete_server(self):
        server_id = self.nova.populate(2)[0]
        nc = self.client()
        nc.servers.delete(server_id)
        self.assertRaises(nova_exc.NotFound, nc.servers.get, server_id)
        self.assertEqual(1, len(self.nova.servers))

    def test_flavors_hypervisors_services_zones(self):
        self.nova.populate(10, n_flavors=3, n_hypervisors=2,
                           zones=('az1', 'az2'))
        nc = self.client()
        self.assertEqual(3, len(nc.flavors.list()))
        hyps = nc.hypervisors.list()
        self.assertEqual({'compute-0', 'compute-1'},
                         {h.hypervisor_hostname for h in hyps})
        old_hyps = self.client('2.27').hypervisors.list()
        self.assertEqual(5, old_hyps[0].running_vms)
        services = nc.services.list(binary='nova-compute')
        self.assertEqual(2, len(services))
        zones = nc.availability_zones.list()
        self.assertEqual({'az1', 'az2'}, {z.zoneName for z in zones})

    def test_injected_faults(self):
        server_id = self.nova.populate(1)[0]
        nc = self.client()
        self.nova.inject('GET', r'/servers/%s$' % server_id, status=404)
        self.nova.inject('POST', r'/action$', status=409)
        self.nova.inject('GET', r'/servers/detail$', status=500, times=2)
        self.assertRaises(nova_exc.NotFound, nc.servers.get, server_id)
        # times=1: the next call is answered normally.
        self.assertEqual(server_id, nc.servers.get(server_id).id)
        e = self.assertRaises(nova_exc.Conflict, nc.servers.pause,
                              server_id)
        self.assertIn('Injected fault 409', str(e))
        self.assertEqual('ACTIVE', nc.servers.get(server_id).status)
        for _ in range(2):
            e = self.assertRaises(nova_exc.ClientException,
                                  nc.servers.list)
            self.assertEqual(500, e.code)
        self.assertEqual(1, len(nc.servers.list()))
        self.assertEqual(
            [404, 200, 409, 200, 500, 500, 200],
            [c.status for c in self.nova.calls])

    def test_injected_custom_body(self):
        self.nova.inject('GET', r'/flavors', status=409, body={
            'conflictingRequest': {'code': 409, 'message': 'custom'}})
        e = self.assertRaises(nova_exc.Conflict, self.client().flavors.list)
        self.assertEqual('custom', e.message)

    def test_injected_delay_outlasts_timeout(self):
        self.nova.populate(1)
        self.nova.inject(None, r'/servers/detail', status=None, delay=5)
        sess = ks_session.Session(timeout=0.5)
        nc = self.client(session=sess)
        started = time.monotonic()
        self.assertRaises(ks_exc.ConnectTimeout,
                          nc.servers.list)
        self.assertLess(time.monotonic() - started, 3)

    def test_noauth_and_token_plugins(self):
        self.nova.populate(3, n_projects=1)
        sess = ks_session.Session(auth=noauth.NoAuth())
        self.assertEqual(3, len(self.client(session=sess).servers.list()))
        sess = ks_session.Session(
            auth=token_endpoint.Token(self.nova.endpoint, 'a-token'))
        nc = nova_client.Client(MAX, session=sess)
        self.assertEqual(3, len(nc.servers.list()))
        self.assertEqual('a-token',
                         self.nova.calls[-1].headers['X-Auth-Token'])

    def test_stop_restart(self):
        self.nova.stop()
        self.nova.stop()    # idempotent
        self.nova.port = 0
        self.nova.start()
        self.assertEqual(200, requests.get(self.nova.endpoint).status_code)

    def test_identity_v3_password_login(self):
        self.nova.populate(3, n_projects=1)
        resp = requests.get(self.nova.url + '/identity')
        self.assertEqual(300, resp.status_code)
        self.assertEqual(['v3.14'], [v['id'] for v in
                                     resp.json()['versions']['values']])
        resp = requests.get(self.nova.auth_url)
        self.assertEqual('stable', resp.json()['version']['status'])
        config = self.nova.driver_config(project_name='other', timeout=5)
        self.assertEqual(self.nova.auth_url, config['auth_url'])
        self.assertEqual(('admin', 'other', 5), (
            config['username'], config['project_name'], config['timeout']))
        auth = identity_v3.Password(
            auth_url=self.nova.auth_url, username=self.nova.username,
            password=self.nova.password,
            project_name=self.nova.project_name,
            user_domain_name='Default', project_domain_name='Default')
        sess = ks_session.Session(auth=auth)
        # No endpoint_override: the compute endpoint comes from the catalog.
        nc = nova_client.Client(MAX, session=sess)
        self.assertEqual(self.nova.endpoint, sess.get_endpoint(
            service_type='compute', interface='internal'))
        self.assertEqual(3, len(nc.servers.list()))
        self.assertEqual(3, len(nc.servers.list()))
        self.assertEqual(1, self.nova.token_requests)
        token = self.nova.find_calls('POST', r'/identity/v3/auth/tokens$')
        self.assertEqual([201], [c.status for c in token])
        self.assertEqual(sess.get_token(),
                         self.nova.calls[-1].headers['X-Auth-Token'])
        wrong = identity_v3.Password(
            auth_url=self.nova.auth_url, username=self.nova.username,
            password='wrong', project_name=self.nova.project_name,
            user_domain_name='Default', project_domain_name='Default')
        self.assertRaises(ks_exc.Unauthorized,
                          ks_session.Session(auth=wrong).get_token)
        self.assertEqual(2, self.nova.token_requests)
