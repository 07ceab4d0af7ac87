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

"""python-congressclient's ``openstack congress ...`` commands (and its
Python client for what the CLI lacks) against a congress-server found
through the keystone catalog."""

import json
import os
import subprocess
import textwrap
import time
import uuid

from testtools import content

from congress.tests.functional.api import base
from congress.tests.functional.api import clients


class CatalogEntry(object):
    """Service type ``policy`` at ``url`` in a region of its own, so that
    nothing else registered in the same keystone is picked."""

    def __init__(self, session, auth_url, url):
        self.session = session
        self.identity = auth_url.rstrip('/')
        self.url = url
        self.region = 'congress-api-test-%s' % uuid.uuid4().hex[:8]
        self.endpoint_id = None

    def _call(self, method, path, **kwargs):
        response = self.session.request(self.identity + path, method,
                                        raise_exc=True, **kwargs)
        return response.json() if response.content else None

    def register(self):
        services = self._call('GET', '/services?type=policy')['services']
        if services:
            service_id = services[0]['id']
        else:
            service_id = self._call('POST', '/services', json={
                'service': {'type': 'policy', 'name': 'congress'}})[
                    'service']['id']
        self._call('POST', '/regions', json={'region': {'id': self.region}})
        self.endpoint_id = self._call('POST', '/endpoints', json={
            'endpoint': {'service_id': service_id, 'interface': 'public',
                         'region_id': self.region, 'url': self.url}})[
                             'endpoint']['id']

    def remove(self):
        if self.endpoint_id:
            self._call('DELETE', '/endpoints/%s' % self.endpoint_id)
        self._call('DELETE', '/regions/%s' % self.region)


class CongressClientTestCase(base.KeystoneApiTestCase):

    def setUp(self):
        started = time.monotonic()
        installed = clients.ensure_venv()
        super().setUp()
        self.addDetail('clients-venv', content.text_content(
            'install %.1f s, check %.1f s' % (installed,
                                              time.monotonic() - started)))
        self.catalog = CatalogEntry(self.testbed.session('admin'),
                                    self.testbed.auth_url, self.url)
        self.catalog.register()
        self.addCleanup(self.catalog.remove)
        credentials = self.testbed.credentials('admin')
        self.env = dict(os.environ)
        self.env.update({
            'OS_AUTH_URL': credentials['auth_url'],
            'OS_USERNAME': credentials['username'],
            'OS_PASSWORD': credentials['password'],
            'OS_PROJECT_NAME': credentials['project_name'],
            'OS_USER_DOMAIN_NAME': credentials['user_domain_name'],
            'OS_PROJECT_DOMAIN_NAME': credentials['project_domain_name'],
            'OS_IDENTITY_API_VERSION': '3',
            'OS_INTERFACE': 'public',
            'OS_REGION_NAME': self.catalog.region,
        })
        for key in list(self.env):
            if key.startswith('OS_') and key not in (
                    'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD',
                    'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME',
                    'OS_PROJECT_DOMAIN_NAME', 'OS_IDENTITY_API_VERSION',
                    'OS_INTERFACE', 'OS_REGION_NAME'):
                del self.env[key]

    def openstack(self, *args, parse=True):
        command = [clients.openstack_command(), 'congress'] + list(args)
        if parse:
            command += ['-f', 'json']
        proc = subprocess.run(command, env=self.env, capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(0, proc.returncode,
                         '%s failed:\n%s\n%s' % (' '.join(args), proc.stdout,
                                                 proc.stderr))
        return json.loads(proc.stdout) if parse else proc.stdout

    def python_client(self, code):
        """Run ``code`` with ``client`` (congressclient.v1) in the
        clients venv; returns what it prints, parsed as JSON."""
        script = textwrap.dedent('''
            import json, os
            from keystoneauth1.identity import v3
            from keystoneauth1 import session
            from congressclient.v1 import client as cc
            auth = v3.Password(
                auth_url=os.environ['OS_AUTH_URL'],
                username=os.environ['OS_USERNAME'],
                password=os.environ['OS_PASSWORD'],
                project_name=os.environ['OS_PROJECT_NAME'],
                user_domain_name=os.environ['OS_USER_DOMAIN_NAME'],
                project_domain_name=os.environ['OS_PROJECT_DOMAIN_NAME'])
            client = cc.Client(session=session.Session(auth=auth),
                               auth=None, interface='public',
                               service_type='policy',
                               region_name=os.environ['OS_REGION_NAME'])
        ''') + textwrap.dedent(code)
        proc = subprocess.run([os.path.join(clients.VENV, 'bin', 'python'),
                               '-c', script], env=self.env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr)
        return json.loads(proc.stdout)

    def test_cli_against_the_catalog(self):
        versions = self.openstack('version', 'list')
        self.assertEqual(['v1'], [v['id'] for v in versions])
        self.assertEqual('CURRENT', versions[0]['status'])

        drivers = self.openstack('driver', 'list')
        self.assertIn('fake', [d['id'] for d in drivers])
        config = self.openstack('driver', 'config', 'show', 'fake')
        self.assertIn('things', json.dumps(config))
        # (``driver schema show``, ``datasource schema show`` and
        # ``datasource actions show`` of python-congressclient 2.0.1 call
        # dict.iteritems() and fail on Python 3 whatever the server says;
        # the Python client covers them)
        schema = self.python_client(
            "print(json.dumps(client.show_driver('fake')))")
        self.assertEqual(['things'],
                         [t['table_id'] for t in schema['tables']])

        created = self.openstack('datasource', 'create', 'fake', 'cli-ds',
                                 '--config', 'things=2',
                                 '--description', 'made by the CLI')
        self.assertEqual('cli-ds', created['name'])
        self.assertEqual('fake', created['driver'])
        listed = self.openstack('datasource', 'list')
        self.assertEqual(['cli-ds'], [d['name'] for d in listed])

        base.wait_json(
            lambda: self._maybe('datasource', 'status', 'show', 'cli-ds'),
            message='cli-ds answering')
        actions = self.python_client(
            "print(json.dumps(client.list_datasource_actions('cli-ds')))")
        names = [a['name'] for a in actions['results']]
        self.assertIn('things.create', names)
        self.assertEqual(sorted(names), names)

        schema = self.python_client(
            "print(json.dumps(client.show_datasource_schema('cli-ds')))")
        self.assertEqual(['things'],
                         [t['table_id'] for t in schema['tables']])
        tables = self.openstack('datasource', 'table', 'list', 'cli-ds')
        self.assertEqual([{'id': 'things'}], tables)
        spec = self.openstack('datasource', 'table', 'schema', 'show',
                              'cli-ds', 'things')
        self.assertEqual(['id', 'name', 'status'],
                         [c['name'] for c in spec])
        self.openstack('datasource', 'request-refresh', 'cli-ds',
                       parse=False)
        rows = base.wait_json(
            lambda: self.openstack('datasource', 'row', 'list', 'cli-ds',
                                   'things'), message='rows of cli-ds')
        self.assertEqual(2, len(rows))
        status = self.openstack('datasource', 'status', 'show', 'cli-ds')
        self.assertEqual('True', status['initialized'])

        record = self.python_client('''
            print(json.dumps(client.execute_datasource_action(
                'cli-ds', 'execute',
                {'name': 'things.create',
                 'args': {'positional': ['via-client'], 'named': {}}})))
        ''')
        self.assertEqual('accepted', record['status'])

        self.openstack('datasource', 'delete', 'cli-ds', parse=False)
        self.assertEqual([], self.openstack('datasource', 'list'))

    def _maybe(self, *args):
        command = [clients.openstack_command(), 'congress'] + list(args) + [
            '-f', 'json']
        proc = subprocess.run(command, env=self.env, capture_output=True,
                              text=True, timeout=120)
        return json.loads(proc.stdout) if proc.returncode == 0 else None
