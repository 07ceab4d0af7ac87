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

"""Provisioning steps of tools/openstack-testbed.sh.

Run by the script with the python of the nova venv (keystoneauth1 and
novaclient are there) and its settings in TESTBED_* environment
variables.  Sub-commands::

    keystone MODE        projects, users, roles, catalog
    content              1 MiB raw image in glance, m1.tiny flavor
    network              the external network "public" and its subnet
    wait-compute         nova services up, compute node in placement
    wait-hypervisor      the hypervisor is listed (after discover_hosts)
    wait-cinder          cinder-scheduler and cinder-volume up
    register-congress U  service type ``policy`` (name congress) at U
    write-env            testbed.env and testbed.json
    smoke                boot, pause, unpause, delete a server

Everything talks plain REST through a keystoneauth1 session, so each step
costs one interpreter start and a few HTTP calls.
"""

import json
import os
import sys
import time

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session

ENV = os.environ
DIR = ENV['TESTBED_DIR']
HOST = ENV['TESTBED_HOST']
REGION = ENV['TESTBED_REGION']
PORTS = {
    'keystone': int(ENV['TESTBED_KEYSTONE_PORT']),
    'placement': int(ENV['TESTBED_PLACEMENT_PORT']),
    'glance': int(ENV['TESTBED_GLANCE_PORT']),
    'neutron': int(ENV['TESTBED_NEUTRON_PORT']),
    'nova': int(ENV['TESTBED_NOVA_PORT']),
}
CINDER = ENV.get('TESTBED_CINDER') == '1'
if CINDER:
    PORTS['cinder'] = int(ENV['TESTBED_CINDER_PORT'])
AUTH_URL = 'http://%s:%d/v3' % (HOST, PORTS['keystone'])
DOMAIN = 'Default'
USERS = {
    'admin': {'username': 'admin',
              'password': ENV['TESTBED_ADMIN_PASSWORD'],
              'project_name': 'admin'},
    'member': {'username': 'member',
               'password': ENV['TESTBED_MEMBER_PASSWORD'],
               'project_name': 'demo'},
    'service': {'username': 'congress',
                'password': ENV['TESTBED_SERVICE_PASSWORD'],
                'project_name': 'service'},
}
# (user, project, role) triples on top of what keystone's bootstrap made.
ASSIGNMENTS = [
    ('admin', 'admin', 'service'),
    ('admin', 'service', 'admin'),
    ('admin', 'service', 'service'),
    ('member', 'demo', 'member'),
    ('congress', 'service', 'admin'),
    ('congress', 'service', 'service'),
]
CATALOG = [
    # type, name, URL
    ('compute', 'nova', 'http://%s:%d/v2.1' % (HOST, PORTS['nova'])),
    ('placement', 'placement', 'http://%s:%d' % (HOST, PORTS['placement'])),
    ('image', 'glance', 'http://%s:%d' % (HOST, PORTS['glance'])),
    ('network', 'neutron', 'http://%s:%d' % (HOST, PORTS['neutron'])),
]
if CINDER:
    # The volume API v3 under its official type and under the alias
    # nova's [cinder] catalog_info and older tempest look up.
    CINDER_URL = 'http://%s:%d/v3' % (HOST, PORTS['cinder'])
    CATALOG += [('block-storage', 'cinder', CINDER_URL),
                ('volumev3', 'cinderv3', CINDER_URL)]
INTERFACES = ('public', 'internal', 'admin')
STATE_FILE = os.path.join(DIR, 'provision-state.json')
FLAVOR_NAME = 'm1.tiny'
IMAGE_NAME = 'testbed-raw-1m'
# The external network for router gateways and floating IPs: flat on the
# physical network "public" (the only one [ml2_type_flat] allows).  It
# belongs to the service project, not admin: nova, asked to boot without a
# network choice, picks the networks of the server's project, and must
# find none in the projects tests boot servers in.
PUBLIC_NETWORK = 'public'
PUBLIC_CIDR = '172.24.4.0/22'


def log(msg, *args):
    sys.stderr.write('[provision] ' + (msg % args if args else msg) + '\n')
    sys.stderr.flush()


def load_state():
    try:
        with open(STATE_FILE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_state(**kwargs):
    state = load_state()
    state.update(kwargs)
    tmp = STATE_FILE + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(state, f, indent=2, sort_keys=True)
    os.replace(tmp, STATE_FILE)
    return state


def make_session(who='admin', project_name=None):
    user = USERS[who]
    auth = v3.Password(
        auth_url=AUTH_URL, username=user['username'],
        password=user['password'],
        project_name=project_name or user['project_name'],
        user_domain_name=DOMAIN, project_domain_name=DOMAIN)
    return ks_session.Session(auth=auth)


class Keystone(object):
    def __init__(self, sess):
        self.s = sess

    def _get(self, path, **params):
        return self.s.get(AUTH_URL + path, params=params).json()

    def _post(self, path, body):
        return self.s.post(AUTH_URL + path, json=body).json()

    def find_or_create(self, collection, key, name, extra=None, **filters):
        found = self._get('/' + collection, name=name, **filters)[collection]
        if found:
            return found[0]['id']
        body = {'name': name}
        body.update(extra or {})
        created = self._post('/' + collection, {key: body})[key]
        log('created %s %s', key, name)
        return created['id']

    def grant(self, project_id, user_id, role_id):
        self.s.put(AUTH_URL + '/projects/%s/users/%s/roles/%s' % (
            project_id, user_id, role_id))

    def ensure_service(self, stype, name, url):
        services = self._get('/services', type=stype)['services']
        mine = [s for s in services if s['name'] == name]
        if mine:
            sid = mine[0]['id']
        else:
            body = {'service': {'type': stype, 'name': name,
                                'enabled': True}}
            sid = self._post('/services', body)['service']['id']
        endpoints = self._get('/endpoints', service_id=sid)['endpoints']
        have = {(e['interface'], e['url'], e.get('region_id'))
                for e in endpoints}
        want = {(i, url, REGION) for i in INTERFACES}
        if have == want:
            return sid
        for e in endpoints:
            self.s.delete(AUTH_URL + '/endpoints/' + e['id'])
        for interface in INTERFACES:
            self._post('/endpoints', {'endpoint': {
                'service_id': sid, 'interface': interface, 'url': url,
                'region_id': REGION, 'enabled': True}})
        log('catalog: %s (%s) at %s', stype, name, url)
        return sid


def cmd_keystone(mode):
    ks = Keystone(make_session('admin'))
    domain_id = ks._get('/domains', name=DOMAIN)['domains'][0]['id']
    projects = {
        name: ks.find_or_create('projects', 'project', name,
                                {'domain_id': domain_id},
                                domain_id=domain_id)
        for name in ('admin', 'service', 'demo')}
    roles = {name: ks.find_or_create('roles', 'role', name)
             for name in ('admin', 'member', 'reader', 'service')}
    users = {'admin': ks._get('/users', name='admin')['users'][0]['id']}
    for key in ('member', 'service'):
        user = USERS[key]
        users[user['username']] = ks.find_or_create(
            'users', 'user', user['username'],
            {'domain_id': domain_id, 'password': user['password'],
             'default_project_id': projects[user['project_name']]},
            domain_id=domain_id)
    for user, project, role in ASSIGNMENTS:
        ks.grant(projects[project], users[user], roles[role])
    if mode == 'full':
        for stype, name, url in CATALOG:
            ks.ensure_service(stype, name, url)
    save_state(mode=mode, project_ids=projects, user_ids=users)


def _wait(what, check, timeout=180, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except (ks_exc.ConnectFailure, ks_exc.HttpError) as e:
            result = None
            last = e
        else:
            last = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise SystemExit('timed out waiting for %s (%s)' % (what, last))
        time.sleep(interval)


def cmd_content():
    sess = make_session('admin')
    image_ep = {'service_type': 'image', 'interface': 'public',
                'region_name': REGION}
    compute_ep = {'service_type': 'compute', 'interface': 'public',
                  'region_name': REGION}
    images = sess.get('/v2/images', endpoint_filter=image_ep,
                      params={'name': IMAGE_NAME}).json()['images']
    if images:
        image_id = images[0]['id']
    else:
        image = sess.post('/v2/images', endpoint_filter=image_ep, json={
            'name': IMAGE_NAME, 'disk_format': 'raw',
            'container_format': 'bare', 'visibility': 'public',
            'min_disk': 0, 'min_ram': 0}).json()
        image_id = image['id']
        sess.put('/v2/images/%s/file' % image_id, endpoint_filter=image_ep,
                 data=b'\0' * (1024 * 1024),
                 headers={'Content-Type': 'application/octet-stream'})

    def image_active():
        img = sess.get('/v2/images/%s' % image_id,
                       endpoint_filter=image_ep).json()
        if img['status'] in ('killed', 'deleted'):
            raise SystemExit('image upload failed: %s' % img['status'])
        return img['status'] == 'active'

    _wait('image %s active' % image_id, image_active, timeout=60)
    log('image %s (%s) active', IMAGE_NAME, image_id)

    flavors = sess.get('/flavors', endpoint_filter=compute_ep).json()
    mine = [f for f in flavors['flavors'] if f['name'] == FLAVOR_NAME]
    if mine:
        flavor_id = mine[0]['id']
    else:
        flavor_id = sess.post('/flavors', endpoint_filter=compute_ep, json={
            'flavor': {'name': FLAVOR_NAME, 'ram': 64, 'vcpus': 1,
                       'disk': 1}}).json()['flavor']['id']
        log('flavor %s (%s) created', FLAVOR_NAME, flavor_id)
    save_state(image_id=image_id, image_name=IMAGE_NAME,
               flavor_id=flavor_id, flavor_name=FLAVOR_NAME)


def cmd_network():
    sess = make_session('admin')
    ep = {'service_type': 'network', 'interface': 'public',
          'region_name': REGION}
    state = load_state()
    project_id = state['project_ids']['service']
    nets = sess.get('/v2.0/networks', endpoint_filter=ep, params={
        'name': PUBLIC_NETWORK}).json()['networks']
    if nets:
        net = nets[0]
    else:
        body = {'network': {'name': PUBLIC_NETWORK,
                            'project_id': project_id,
                            'router:external': True,
                            'provider:network_type': 'flat',
                            'provider:physical_network': PUBLIC_NETWORK}}
        net = sess.post('/v2.0/networks', endpoint_filter=ep,
                        json=body).json()['network']
        log('external network %s (%s) created', PUBLIC_NETWORK, net['id'])
    subnets = sess.get('/v2.0/subnets', endpoint_filter=ep, params={
        'network_id': net['id']}).json()['subnets']
    if subnets:
        subnet = subnets[0]
    else:
        subnet = sess.post('/v2.0/subnets', endpoint_filter=ep, json={
            'subnet': {'name': PUBLIC_NETWORK + '-subnet',
                       'network_id': net['id'], 'project_id': project_id,
                       'ip_version': 4, 'cidr': PUBLIC_CIDR,
                       'enable_dhcp': False}}).json()['subnet']
    save_state(public_network_id=net['id'], public_subnet_id=subnet['id'])


def cmd_wait_compute():
    """nova services up and the compute node's provider in placement."""
    sess = make_session('admin')
    compute_ep = {'service_type': 'compute', 'interface': 'public',
                  'region_name': REGION}
    wanted = {'nova-conductor', 'nova-scheduler', 'nova-compute'}

    def services_up():
        services = sess.get('/os-services',
                            endpoint_filter=compute_ep).json()['services']
        up = {s['binary'] for s in services
              if s['state'] == 'up' and s['status'] == 'enabled'}
        return wanted <= up

    _wait('nova services up', services_up, timeout=180)
    log('nova-conductor, nova-scheduler and nova-compute are up')

    ep = {'service_type': 'placement', 'interface': 'public',
          'region_name': REGION}
    headers = {'OpenStack-API-Version': 'placement 1.14'}

    def inventory():
        rps = sess.get('/resource_providers', endpoint_filter=ep,
                       headers=headers).json()['resource_providers']
        for rp in rps:
            inv = sess.get('/resource_providers/%s/inventories' % rp['uuid'],
                           endpoint_filter=ep,
                           headers=headers).json()['inventories']
            if 'VCPU' in inv and 'MEMORY_MB' in inv:
                return rp
        return None

    rp = _wait('a resource provider with inventory', inventory, timeout=120)
    log('resource provider %s (%s) has inventory', rp['name'], rp['uuid'])
    save_state(compute_node=rp['name'], resource_provider=rp['uuid'])


def cmd_wait_hypervisor():
    """The hypervisor is listed: discover_hosts mapped its host."""
    sess = make_session('admin')
    compute_ep = {'service_type': 'compute', 'interface': 'public',
                  'region_name': REGION}

    def hypervisor():
        return sess.get('/os-hypervisors',
                        endpoint_filter=compute_ep).json()['hypervisors']

    hyps = _wait('a hypervisor', hypervisor, timeout=60)
    log('hypervisor %s is listed', hyps[0]['hypervisor_hostname'])


def cmd_wait_cinder():
    """cinder-scheduler and cinder-volume report up."""
    sess = make_session('admin')
    volume_ep = {'service_type': 'block-storage', 'interface': 'public',
                 'region_name': REGION}
    wanted = {'cinder-scheduler', 'cinder-volume'}

    def services_up():
        services = sess.get('/os-services',
                            endpoint_filter=volume_ep).json()['services']
        up = {s['binary'] for s in services
              if s['state'] == 'up' and s['status'] == 'enabled'}
        return wanted <= up

    _wait('cinder services up', services_up, timeout=120)


def cmd_register_congress(url):
    url = url.rstrip('/')
    if url.endswith('/v1'):
        url = url[:-3]
    ks = Keystone(make_session('admin'))
    ks.ensure_service('policy', 'congress', url)
    save_state(congress_url=url)


def _sh_quote(value):
    return "'" + str(value).replace("'", "'\\''") + "'"


def cmd_write_env():
    state = load_state()
    mode = state.get('mode', 'keystone-only')
    full = mode == 'full'
    endpoints = {'identity': AUTH_URL}
    if full:
        endpoints.update({stype: url for stype, _, url in CATALOG})
    if state.get('congress_url'):
        endpoints['policy'] = state['congress_url']
    data = {
        'mode': mode,
        'dir': DIR,
        'host': HOST,
        'region': REGION,
        'auth_url': AUTH_URL,
        'user_domain_name': DOMAIN,
        'project_domain_name': DOMAIN,
        'users': USERS,
        'ports': PORTS,
        'endpoints': endpoints,
        'nova_endpoint': endpoints.get('compute'),
        'cinder': full and CINDER,
        'cinder_endpoint': endpoints.get('block-storage'),
        'image_id': state.get('image_id'),
        'image_name': state.get('image_name'),
        'flavor_id': state.get('flavor_id'),
        'flavor_name': state.get('flavor_name'),
        'public_network_id': state.get('public_network_id'),
        'public_subnet_id': state.get('public_subnet_id'),
        'compute_host': ENV['TESTBED_COMPUTE_HOST'] if full else None,
        'congress_url': state.get('congress_url'),
        'python': ENV['TESTBED_PYTHON'],
        'project_ids': state.get('project_ids', {}),
        'user_ids': state.get('user_ids', {}),
    }
    tmp = os.path.join(DIR, 'testbed.json.tmp')
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write('\n')
    os.replace(tmp, os.path.join(DIR, 'testbed.json'))

    admin, member, service = (
        USERS[k] for k in ('admin', 'member', 'service'))
    env = [
        ('OS_AUTH_URL', AUTH_URL),
        ('OS_AUTH_TYPE', 'password'),
        ('OS_IDENTITY_API_VERSION', '3'),
        ('OS_REGION_NAME', REGION),
        ('OS_INTERFACE', 'public'),
        ('OS_USER_DOMAIN_NAME', DOMAIN),
        ('OS_PROJECT_DOMAIN_NAME', DOMAIN),
        ('OS_USERNAME', admin['username']),
        ('OS_PASSWORD', admin['password']),
        ('OS_PROJECT_NAME', admin['project_name']),
        ('TESTBED_MODE', mode),
        ('TESTBED_DIR', DIR),
        ('TESTBED_ADMIN_USERNAME', admin['username']),
        ('TESTBED_ADMIN_PASSWORD', admin['password']),
        ('TESTBED_ADMIN_PROJECT_NAME', admin['project_name']),
        ('TESTBED_MEMBER_USERNAME', member['username']),
        ('TESTBED_MEMBER_PASSWORD', member['password']),
        ('TESTBED_MEMBER_PROJECT_NAME', member['project_name']),
        ('TESTBED_SERVICE_USERNAME', service['username']),
        ('TESTBED_SERVICE_PASSWORD', service['password']),
        ('TESTBED_SERVICE_PROJECT_NAME', service['project_name']),
        ('TESTBED_USER_DOMAIN_NAME', DOMAIN),
        ('TESTBED_PROJECT_DOMAIN_NAME', DOMAIN),
        ('TESTBED_REGION', REGION),
        ('TESTBED_PYTHON', ENV['TESTBED_PYTHON']),
    ]
    for name, port in sorted(PORTS.items()):
        env.append(('TESTBED_%s_PORT' % name.upper(), port))
    if full:
        env += [
            ('NOVA_ENDPOINT', endpoints['compute']),
            ('TESTBED_IMAGE_ID', data['image_id']),
            ('TESTBED_FLAVOR_ID', data['flavor_id']),
            ('TESTBED_FLAVOR_NAME', data['flavor_name']),
            ('TESTBED_COMPUTE_HOST', data['compute_host']),
            ('TESTBED_PUBLIC_NETWORK_ID', data['public_network_id']),
        ]
    env.append(('TESTBED_CINDER', '1' if data['cinder'] else '0'))
    if data['congress_url']:
        env.append(('TESTBED_CONGRESS_URL', data['congress_url']))
    tmp = os.path.join(DIR, 'testbed.env.tmp')
    with open(tmp, 'w') as f:
        f.write('# written by tools/openstack-testbed.sh up\n')
        for name, value in env:
            f.write('export %s=%s\n' % (name, _sh_quote(value)))
    os.replace(tmp, os.path.join(DIR, 'testbed.env'))


def cmd_smoke():
    import novaclient
    from novaclient import client as nova_client
    from novaclient import exceptions as nova_exc

    state = load_state()
    version = novaclient.API_MAX_VERSION.get_string()
    member = nova_client.Client(version, session=make_session('member'),
                                region_name=REGION)
    admin = nova_client.Client(version, session=make_session('admin'),
                               region_name=REGION)
    t0 = time.monotonic()

    def wait_status(server_id, status, timeout=60):
        def check():
            server = member.servers.get(server_id)
            if server.status == 'ERROR':
                raise SystemExit('server went to ERROR: %s' %
                                 getattr(server, 'fault', None))
            return server if server.status == status else None
        start = time.monotonic()
        server = _wait('server %s' % status, check, timeout=timeout,
                       interval=0.2)
        log('%-8s after %.1f s', status, time.monotonic() - start)
        return server

    server = member.servers.create(
        name='testbed-smoke', image=state['image_id'],
        flavor=state['flavor_id'], nics='none')
    log('boot requested: %s (microversion %s)', server.id, version)
    try:
        wait_status(server.id, 'ACTIVE')
        listed = admin.servers.list(search_opts={'all_tenants': True})
        assert server.id in [s.id for s in listed], 'not in all_tenants list'
        try:
            member.servers.list(search_opts={'all_tenants': True})
        except nova_exc.Forbidden:
            log('member gets 403 for all_tenants, as expected')
        member.servers.pause(server.id)
        wait_status(server.id, 'PAUSED')
        member.servers.unpause(server.id)
        wait_status(server.id, 'ACTIVE')
        member.servers.set_meta(server.id, {'smoke': 'yes'})
        assert member.servers.get(server.id).metadata == {'smoke': 'yes'}
    finally:
        member.servers.delete(server.id)

    def gone():
        try:
            member.servers.get(server.id)
        except nova_exc.NotFound:
            return True
        return False

    _wait('server deleted', gone, timeout=60, interval=0.2)
    log('deleted; smoke passed in %.1f s', time.monotonic() - t0)


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, args = argv[0], argv[1:]
    commands = {
        'keystone': cmd_keystone,
        'content': cmd_content,
        'network': cmd_network,
        'wait-compute': cmd_wait_compute,
        'wait-hypervisor': cmd_wait_hypervisor,
        'wait-cinder': cmd_wait_cinder,
        'register-congress': cmd_register_congress,
        'write-env': cmd_write_env,
        'smoke': cmd_smoke,
    }
    if cmd not in commands:
        raise SystemExit('unknown command %s\n%s' % (cmd, __doc__))
    commands[cmd](*args)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
